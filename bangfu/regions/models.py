from django.db import models
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from bangfu.core.audit import AuditedModel
from bangfu.core.scoping import ScopedManager

from .choices import LEVEL_LENGTH, Level


class Region(AuditedModel):
    """A node of the administrative tree. The short statistical code is the primary key, so the
    code of a row's region *is* its path and subtree filters need no join."""

    code = models.CharField(_("区划代码"), max_length=15, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    western_region = models.BooleanField(_("西部地区"), default=False)
    is_registered_poor = models.BooleanField(_("贫困村/贫困县"), default=False)

    scope_region_path = "pk"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        permissions = [("import_regions", _("可导入行政区划"))]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Region"]:
        """From the province down to the parent, in one query."""
        from .codes import parent_code

        codes, code = [], parent_code(self.code)
        while code:
            codes.append(code)
            code = parent_code(code)
        by_code = Region.objects.in_bulk(codes)
        return [by_code[c] for c in sorted(codes, key=len) if c in by_code]

    def full_name(self) -> str:
        return "".join(r.name for r in [*self.ancestors(), self])

    def child_counts(self, queryset, path: str = "region") -> dict[str, int]:
        """Rows of `queryset` under each child of this region, in one GROUP BY on the code prefix."""
        child_len = LEVEL_LENGTH.get(self.level + 1)
        if child_len is None:
            return {}
        rows = (
            queryset.filter(**{f"{path}__pk__startswith": self.code})
            .annotate(_prefix=Substr(f"{path}_id" if path != "pk" else "pk", 1, child_len))
            .values("_prefix")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {r["_prefix"]: r["n"] for r in rows}


class VillageYear(AuditedModel):
    """The facts of one village in one year (村情, standards.md "Village facts"): the denominator
    of poverty incidence and the inputs of the village and county standards. `western_region` is
    read from the region tree (the province's flag), not stored twice."""

    region = models.ForeignKey(
        Region, verbose_name=_("村"), on_delete=models.PROTECT, related_name="village_years"
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    rural_population = models.PositiveIntegerField(_("户籍人口"))
    featured_industry = models.BooleanField(_("特色产业"))
    road_to_village_hardened = models.BooleanField(_("通村硬化路"))
    clinic_with_doctor = models.BooleanField(_("卫生室和村医"))
    public_service_venue = models.BooleanField(_("公共服务场所"))
    broadband = models.BooleanField(_("宽带"))
    collective_income = models.DecimalField(_("村集体经济收入"), max_digits=14, decimal_places=2)
    committee_rated_good = models.BooleanField(_("两委班子好"))

    scope_region_path = "region"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("村情")
        verbose_name_plural = _("村情")
        ordering = ["region", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="village_year_unique")
        ]
        permissions = [("import_villageyear", _("可导入村情"))]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"

    @property
    def western_region(self) -> bool:
        return self.region.western_region

    def audit_subject(self):
        return self.region

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.region_id and self.region.level != Level.VILLAGE:
            errors["region"] = _("村情只能填写到村（12 位区划代码）")
        if self.year is not None and not 2000 <= self.year <= 2100:
            errors["year"] = _("年度应在 2000–2100 之间")
        if self.collective_income is not None and self.collective_income < 0:
            errors["collective_income"] = _("村集体经济收入不能为负数")
        if errors:
            raise ValidationError(errors)
