"""Designated assistance (定点帮扶): assisting units and their backing units, village
assignments, cadres and their postings, household pairings, zones and responsibility chains.

Every dated record keeps its history: ending something sets `end_date`, nothing is overwritten.
Periods are inclusive on both ends (`end_date` None = still running), so a record ending on the
day another starts overlaps it. The rules live in `services/rules.py`; each model's `clean()`
calls them and the creating services (`services/assignments.py`, ...) call `full_clean()`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import ProtectedError
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bangfu.core.audit import AuditedModel
from bangfu.registry.choices import Sex

from .choices import PostingRole, ResponsibilityLevel, UnitKind
from .scoping import AssistanceManager, CadreManager, ResponsibilityManager, UnitManager


class Unit(AuditedModel):
    """An assisting unit (帮扶单位); `parent` makes it a backing unit (后盾单位) of another.

    `path` is the materialised chain of ids ("/1/7/"), kept by `save()`, so "a unit and all its
    backing units" is `path__startswith` on one indexed column (`Unit.objects.subtree(unit)`).
    """

    name = models.CharField(_("单位名称"), max_length=200)
    kind = models.CharField(_("单位类型"), max_length=24, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级帮扶单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="backing_units",
        help_text=_("填写后本单位为该单位的后盾单位"),
    )
    path = models.CharField(_("单位路径"), max_length=255, editable=False, db_index=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    audit_fields = (
        "name",
        "kind",
        "parent_id",
        "contact_person",
        "contact_phone",
        "address",
    )
    objects = UnitManager()

    class Meta:
        verbose_name = _("帮扶单位")
        verbose_name_plural = _("帮扶单位")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from .services import rules

        rules.check_unit_parent(self)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read from the path: no query."""
        return [int(p) for p in self.path.strip("/").split("/")[:-1] if p]

    @transaction.atomic
    def save(self, *args, **kwargs):
        old_path = self.path
        super().save(*args, **kwargs)
        parent_path = (
            Unit.objects.filter(pk=self.parent_id).values_list("path", flat=True).get()
            if self.parent_id
            else "/"
        )
        if old_path and parent_path.startswith(old_path):
            # clean() says this in words; a save that skipped it must not corrupt the tree.
            raise ValueError(f"unit {self.pk} cannot move under its own subtree")
        new_path = f"{parent_path}{self.pk}/"
        if new_path != old_path:
            Unit.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                # Moving a unit moves its whole subtree: one UPDATE rewriting the path prefix.
                Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1))
                )
            self.path = new_path


class Assignment(AuditedModel):
    """A unit assigned to a village (定点帮扶) for a period, with its responsible backing unit."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("帮扶单位"), on_delete=models.PROTECT, related_name="assignments"
    )
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("帮扶村"),
        on_delete=models.PROTECT,
        related_name="assistance_assignments",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    backing_unit = models.ForeignKey(
        Unit,
        verbose_name=_("后盾单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="backed_assignments",
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)

    scope_region_path = "village"
    scope_unit_path = ("unit__path", "backing_unit__path")
    objects = AssistanceManager()

    class Meta:
        verbose_name = _("定点帮扶")
        verbose_name_plural = _("定点帮扶")
        ordering = ["village_id", "start_date"]
        indexes = [models.Index(fields=["village", "start_date"])]

    def __str__(self) -> str:
        return f"{self.unit} → {self.village}"

    def clean(self):
        from .services import rules

        rules.check_assignment(self)


class CadreHasHistory(ProtectedError):
    """Deleting a cadre who has postings, pairings or responsibilities is refused."""


class Cadre(AuditedModel):
    """A cadre or police officer (干部/民警) of a unit; may log in through `user`."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="cadres"
    )
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    id_number = models.CharField(_("证件号码"), max_length=18, blank=True)
    active = models.BooleanField(_("在岗"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cadre",
    )

    objects = CadreManager()

    class Meta:
        verbose_name = _("帮扶干部")
        verbose_name_plural = _("帮扶干部")
        ordering = ["unit_id", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from .services import rules

        rules.check_cadre(self)

    def delete(self, *args, **kwargs):
        try:
            with transaction.atomic():
                return super().delete(*args, **kwargs)
        except ProtectedError as exc:
            raise CadreHasHistory(
                gettext("该干部已有驻村、结对或包联记录，不能删除；请结束其驻村任职和结对帮扶。"),
                exc.protected_objects,
            ) from exc


class Posting(AuditedModel):
    """A cadre stationed in a village: first secretary, work-team leader or member."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("干部"), on_delete=models.PROTECT, related_name="postings"
    )
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("驻村"),
        on_delete=models.PROTECT,
        related_name="assistance_postings",
    )
    role = models.CharField(_("驻村职务"), max_length=20, choices=PostingRole.choices)
    full_time = models.BooleanField(_("全脱产"), default=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    scope_region_path = "village"
    scope_unit_path = "cadre__unit__path"
    scope_cadre_path = "cadre"
    objects = AssistanceManager()

    class Meta:
        verbose_name = _("驻村任职")
        verbose_name_plural = _("驻村任职")
        ordering = ["village_id", "start_date"]
        indexes = [models.Index(fields=["village", "role", "start_date"])]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.get_role_display()} · {self.village}"

    def clean(self):
        from .services import rules

        rules.check_posting(self)


class Pairing(AuditedModel):
    """A cadre answering for a household (结对帮扶) for a period; one cadre per household at a time."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("帮扶责任人"), on_delete=models.PROTECT, related_name="pairings"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("帮扶户"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    scope_region_path = "household__region"
    scope_unit_path = "cadre__unit__path"
    scope_cadre_path = "cadre"
    objects = AssistanceManager()

    class Meta:
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对帮扶")
        ordering = ["household_id", "start_date"]
        indexes = [
            models.Index(fields=["household", "start_date"]),
            models.Index(fields=["cadre", "start_date"]),
            # covers the cadre-load check (services/coverage.py): index-only counts per cadre
            models.Index(
                fields=["cadre", "start_date", "end_date"], name="assist_pairing_cadre_load"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} ↔ {self.household}"

    def audit_subject(self):
        return self.household

    def clean(self):
        from .services import rules

        rules.check_pairing(self)


class Zone(AuditedModel):
    """A battle zone (战区) or, with a parent, a combat unit (作战单元): villages grouped across
    townships of one county (`region`), with a commander."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属县"),
        on_delete=models.PROTECT,
        related_name="assistance_zones",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级战区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="combat_units",
    )
    commander = models.ForeignKey(
        Cadre,
        verbose_name=_("指挥长"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commanded_zones",
    )
    # Membership is not audited by AuditedModel (an M2M table); `services.zones.set_villages`
    # writes the audit entry for it.
    villages = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("所辖村"),
        blank=True,
        related_name="assistance_zone_memberships",
    )

    scope_region_path = "region"
    scope_unit_path = "commander__unit__path"
    objects = AssistanceManager()

    class Meta:
        verbose_name = _("战区")
        verbose_name_plural = _("战区")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from .services import rules

        rules.check_zone(self)

    def ancestors(self) -> list[Zone]:
        """From the top zone down to the parent (zones nest a level or two: a few queries)."""
        chain, zone = [], self.parent
        while zone is not None:
            chain.append(zone)
            zone = zone.parent
        return chain[::-1]


class Responsibility(AuditedModel):
    """Who answers for a zone, a village, a group (村民小组) or a household within a zone, for a
    period (包村 / 包组 / 包户). `region` is always set — the zone's county, the village, the group,
    or the household's region — so scope is one prefix match.

    A household-level row's `region` is the household's region *when it was assigned*; households
    move (edits and imports update them in bulk, unseen by signals), so that copy is not trusted:
    scope (`scoping.ResponsibilityQuerySet`), the region filter and the zone tree read the
    household's current region (`household__region`) instead. Other levels name their own area,
    which does not move."""

    zone = models.ForeignKey(
        Zone, verbose_name=_("战区"), on_delete=models.PROTECT, related_name="responsibilities"
    )
    level = models.CharField(_("层级"), max_length=12, choices=ResponsibilityLevel.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("村或村民小组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_responsibilities",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("包联户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="responsibilities"
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    scope_region_path = "region"
    scope_unit_path = "cadre__unit__path"
    scope_cadre_path = "cadre"
    objects = ResponsibilityManager()

    class Meta:
        verbose_name = _("包联责任")
        verbose_name_plural = _("包联责任")
        ordering = ["zone_id", "level", "start_date"]
        indexes = [models.Index(fields=["level", "region", "start_date"])]

    def __str__(self) -> str:
        target = self.household or self.region or self.zone
        return f"{self.get_level_display()} · {target} · {self.cadre}"

    def clean(self):
        from .services import rules

        rules.check_responsibility(self)
