"""Employment (就业帮扶): labour-export agreements (劳务输出协议) with companies, brokered by a
unit, and member-level jobs of four kinds with the months worked in a year and the income.

An agreement belongs to a region (a county, township or village): it is seen in that subtree and
below it (a village user records jobs under the county's agreement), like credit's loan products;
unit staff see the agreements their unit brokered. A job is scoped by its member's household's region, copied onto the job (`region`,
bangfu/registry/copies.py).
"""

from __future__ import annotations

from django.db import models, router, transaction
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.scoping import AssistanceManager
from bangfu.core.audit import AuditedModel
from bangfu.core.scoping import ScopedManager
from bangfu.core.yeartotals import TotalsQuerySet
from bangfu.credit.models import ProductQuerySet
from bangfu.registry import copies

from .choices import JobKind

MONEY = {"max_digits": 14, "decimal_places": 2}


class LabourAgreement(AuditedModel):
    company = models.CharField(_("用工企业"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("输出地区划"),
        on_delete=models.PROTECT,
        related_name="labour_agreements",
    )
    unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("促成单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="labour_agreements",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    places = models.PositiveIntegerField(_("岗位数"))
    note = models.CharField(_("备注"), max_length=500, blank=True)

    scope_region_path = "region"
    scope_unit_path = "unit__path"
    objects = AssistanceManager.from_queryset(ProductQuerySet)()

    class Meta:
        verbose_name = _("劳务输出协议")
        verbose_name_plural = _("劳务输出协议")
        ordering = ["-start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.company}（{self.start_date}）"

    def clean(self):
        from .services.rules import check_agreement

        check_agreement(self)


class JobQuerySet(TotalsQuerySet):
    """Bulk writes of jobs keep `JobTotal` in step (`services/totals.py`)."""

    total_fields = frozenset({"region", "year", "kind", "income"})

    def add_to_totals(self, ids, sign: int) -> None:
        from .services import totals

        totals.add_ids(ids, sign)


class JobManager(ScopedManager.from_queryset(JobQuerySet)):
    pass


class Job(AuditedModel):
    member = models.ForeignKey(
        "registry.Member", verbose_name=_("家庭成员"), on_delete=models.PROTECT, related_name="jobs"
    )
    kind = models.CharField(_("就业方式"), max_length=16, choices=JobKind.choices)
    employer = models.CharField(_("用工单位"), max_length=200)
    agreement = models.ForeignKey(
        LabourAgreement,
        verbose_name=_("劳务输出协议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    months = models.PositiveSmallIntegerField(_("务工月数"))
    income = models.DecimalField(_("务工收入（元）"), **MONEY)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    # A copy of the member's household's region (bangfu/registry/copies.py keeps it in step):
    # scope, the region filter and the region figures read it without joining households.
    region = copies.region_copy_field()

    scope_region_path = "region"
    scope_household_path = "member__household"
    objects = JobManager()

    class Meta:
        verbose_name = _("就业")
        verbose_name_plural = _("就业")
        ordering = ["-year", "-start_date", "pk"]
        indexes = [
            models.Index(fields=["year", "kind"]),
            models.Index(fields=["agreement"]),
            models.Index(fields=["-year", "-start_date", "id"]),  # the list's order
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()} · {self.year}"

    def audit_subject(self):
        return self.member.household

    @classmethod
    def get_audit_fields(cls):
        return copies.audit_fields(cls)

    def save(self, *args, **kwargs):
        """Saves the job (its region copied from the household) and moves its count and income
        in `JobTotal` (stored values minus, saved values plus) in the same transaction."""
        from .services import totals

        kwargs = copies.save_kwargs(self, kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            if self.pk is not None:
                totals.add_ids([self.pk], -1)
            super().save(*args, **kwargs)
            totals.add_ids([self.pk], 1)

    def delete(self, *args, **kwargs):
        from .services import totals

        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            if self.pk is not None:
                totals.add_ids([self.pk], -1)
            return super().delete(*args, **kwargs)

    def clean(self):
        from .services.rules import check_job

        check_job(self)


class JobTotal(models.Model):
    """Jobs counted and their income summed per county, year and kind: what the figures card of
    a county, city or province reads instead of aggregating every job under it.

    Derived data, kept by `services/totals.py` in the same transaction as every write of a job
    or of its copied region, checked by `bangfu reconcile-funds` (`year_totals`) and rebuilt by
    `--rebuild-totals`. `county` is the first 6 characters of the job's region code;
    `income_cents` is exact (whole fen). Not audited: the jobs it sums are."""

    county = models.CharField(_("县级区划代码"), max_length=6)
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("就业方式"), max_length=16, choices=JobKind.choices)
    count = models.IntegerField(_("人次"), default=0)
    income_cents = models.BigIntegerField(_("务工收入（分）"), default=0)

    class Meta:
        verbose_name = _("就业年度合计")
        verbose_name_plural = _("就业年度合计")
        ordering = ["county", "year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "kind"], name="jobtotal_county_year_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.county} · {self.year} · {self.kind}: {self.count}"
