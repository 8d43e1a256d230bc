"""Funds and what they buy (资金使用精准): money in (`FundSource`, `Donation`), fund pools
(`FundPool`, `PoolEntry`), money out (`Allocation`) and projects (`Project`, `ProjectOutput`).

One record of money in: every yuan that arrives is exactly one `FundSource`. A donation is a
`FundSource` of kind 社会捐赠 plus the donor's details: `Donation.source` is a one-to-one link to
the source it created and owns (`services/funds.create_donation` writes both in one transaction
and keeps amount, date, unit and region equal). Totals, checks and figures of money in count
`FundSource` rows only, so a donation is never counted twice; donor lists read `Donation`.

Money out is an `Allocation`, drawn from exactly one source or one pool, going to exactly one
project or one household. Putting money from a source into a pool is a `PoolEntry` (inflow);
an allocation from a pool is mirrored by its outflow `PoolEntry`. A pool keeps its `balance`
(inflows − outflows) in a column, never below zero (a database CHECK as a last line); a source's
remainder is its amount minus its allocations and pool inflows. Every write goes through
`services/allocations.py`, which locks the source or pool row and re-checks the remainder inside
the transaction, so two clerks spending the last of a pool at once cannot both succeed.
`services/reconcile.py` checks that all of this adds up. `AllocationTotal` and `SourceTotal` hold
the allocations and the sources summed per county, month and kind for the figures of large
regions; `save()`/`delete()` of `TotalledModel` and `TotalledQuerySet`'s bulk writes keep them in
the same transaction (`services/totals.py`).

Amounts are `Decimal` yuan with two places, more than 0 and below `AMOUNT_LIMIT`.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.audit import AuditedModel
from bangfu.core.scoping import ScopedManager, ScopedQuerySet

from .choices import (
    AllocationKind,
    DonorKind,
    EntryDirection,
    ProjectKind,
    ProjectStatus,
    SourceKind,
)

AMOUNT_LIMIT = Decimal("10000000000")  # 10^10 yuan: no single record of bangfu's is that large
MIN_AMOUNT = Decimal("0.01")


def amount_field(verbose_name, **kw):
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=[
            MinValueValidator(MIN_AMOUNT, message=_("金额必须大于0元")),
            MaxValueValidator(AMOUNT_LIMIT, message=_("金额不得超过100亿元（疑为录入错误）")),
        ],
        **kw,
    )


def _positive(name: str, field: str = "amount") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gt": 0}) & Q(**{f"{field}__lte": AMOUNT_LIMIT}), name=name
    )


# The fields a record's maintained total depends on (the key and sums of `AllocationTotal` and
# `SourceTotal`).
TOTAL_FIELDS = ("region_id", "date", "kind", "amount")
TOTAL_NAMES = {"region", "date", "kind", "amount"}


def _totals_table(model):
    from .services import totals

    return getattr(totals, model.totals_table)


class TotalledQuerySet(ScopedQuerySet):
    """Bulk writes of a totalled model (`TotalledModel`) keep its totals table in step, in the
    same transaction, with set-based deltas (`services/totals.py`)."""

    def bulk_create(self, objs, *args, **kwargs):
        from .services import totals

        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise TypeError("totalled records are bulk-created without conflict handling")
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            totals.add_objects(created, 1, _totals_table(self.model))
        return created

    def _ids(self) -> list:
        return list(self.order_by().values_list("pk", flat=True))

    def update(self, **kwargs):
        from .services import totals

        touched = {f.removesuffix("_id") for f in kwargs} & TOTAL_NAMES
        if not touched:
            return super().update(**kwargs)
        table = _totals_table(self.model)
        plain = models.QuerySet(self.model, using=self.db)
        n = 0
        with transaction.atomic(using=self.db, savepoint=False):
            ids = self._ids()
            for i in range(0, len(ids), totals.CHUNK):
                chunk = ids[i : i + totals.CHUNK]
                totals.add_ids(chunk, -1, table)
                n += plain.filter(pk__in=chunk).update(**kwargs)
                totals.add_ids(chunk, 1, table)
        return n

    update.alters_data = True

    def delete(self):
        from .services import totals

        table = _totals_table(self.model)
        plain = models.QuerySet(self.model, using=self.db)
        deleted, by_model = 0, {}
        with transaction.atomic(using=self.db, savepoint=False):
            ids = self._ids()
            for i in range(0, len(ids), totals.CHUNK):
                chunk = ids[i : i + totals.CHUNK]
                totals.add_ids(chunk, -1, table)
                n, counts = plain.filter(pk__in=chunk).delete()
                deleted += n
                for label, k in counts.items():
                    by_model[label] = by_model.get(label, 0) + k
        return deleted, by_model

    delete.alters_data = True
    delete.queryset_only = True


class TotalledManager(models.Manager.from_queryset(TotalledQuerySet)):
    pass


class TotalledModel(AuditedModel):
    """A record counted in a maintained totals table (`totals_table`: the name of its
    `services.totals.Table`): `save()` and `delete()` move its count and amount there (old key
    minus, new key plus) in the same transaction."""

    totals_table = ""

    class Meta:
        abstract = True

    def _stored_total_fields(self) -> tuple | None:
        if self.pk is None:
            return None
        return type(self)._base_manager.filter(pk=self.pk).values_list(*TOTAL_FIELDS).first()

    def save(self, *args, **kwargs):
        from .services import totals

        update_fields = kwargs.get("update_fields")
        named = None if update_fields is None else {f.removesuffix("_id") for f in update_fields}
        if named is not None and not named & TOTAL_NAMES:
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            old = self._stored_total_fields()
            super().save(*args, **kwargs)
            new = tuple(
                getattr(self, f)
                if named is None or old is None or f.removesuffix("_id") in named
                else old[i]
                for i, f in enumerate(TOTAL_FIELDS)
            )
            totals.change(old, new, _totals_table(type(self)))

    def delete(self, *args, **kwargs):
        from .services import totals

        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            old = self._stored_total_fields()
            result = super().delete(*args, **kwargs)
            if old is not None:
                totals.change(old, None, _totals_table(type(self)))
        return result


class FundSource(TotalledModel):
    """Money in: one appropriation, self-raised sum, donation, credit line or other source."""

    kind = models.CharField(_("资金来源类型"), max_length=16, choices=SourceKind.choices)
    name = models.CharField(_("资金名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = amount_field(_("金额（元）"))
    unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("协调单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_sources",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="fund_sources",
    )
    date = models.DateField(_("到位日期"))
    document_no = models.CharField(_("文号"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)

    scope_region_path = "region"
    scope_unit_path = "unit__path"
    totals_table = "SOURCES"
    objects = TotalledManager()

    class Meta:
        verbose_name = _("资金来源")
        verbose_name_plural = _("资金来源")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["region", "date"]),
            models.Index(fields=["unit", "date"]),
            models.Index(fields=["date", "id"]),  # the list's order, newest first
        ]
        constraints = [_positive("fundsource_amount_range")]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}）"

    def get_absolute_url(self) -> str:
        return reverse("funds:source", kwargs={"pk": self.pk})


class Donation(AuditedModel):
    """A donation (社会捐赠): the donor's details of the `FundSource` it owns (see the module)."""

    source = models.OneToOneField(
        FundSource,
        verbose_name=_("资金来源"),
        on_delete=models.PROTECT,
        related_name="donation",
        editable=False,
    )
    donor_name = models.CharField(_("捐赠方"), max_length=200)
    donor_kind = models.CharField(_("捐赠方类型"), max_length=16, choices=DonorKind.choices)
    amount = amount_field(_("金额（元）"))
    date = models.DateField(_("捐赠日期"))
    purpose = models.CharField(_("用途"), max_length=200)
    unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("协调单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("受赠区划"),
        on_delete=models.PROTECT,
        related_name="donations",
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)

    scope_region_path = "region"
    scope_unit_path = "unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("社会捐赠")
        verbose_name_plural = _("社会捐赠")
        ordering = ["-date", "-pk"]
        constraints = [_positive("donation_amount_range")]

    def __str__(self) -> str:
        return f"{self.donor_name} · {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("funds:source", kwargs={"pk": self.source_id})


class FundPool(AuditedModel):
    """A fund pool (资金池): money put together for one purpose, spent by allocations."""

    name = models.CharField(_("资金池名称"), max_length=200)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="fund_pools",
    )
    unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("管理单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_pools",
    )
    balance = models.DecimalField(
        _("余额（元）"), max_digits=14, decimal_places=2, default=Decimal("0"), editable=False
    )

    scope_region_path = "region"
    scope_unit_path = "unit__path"
    audit_fields = ("name", "purpose", "region_id", "unit_id", "balance")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("资金池")
        verbose_name_plural = _("资金池")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="fundpool_balance_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:pool", kwargs={"pk": self.pk})


class Project(AuditedModel):
    """A project (扶贫项目) in a village, with its budget, status, beneficiaries and outputs.

    Status and dates: 在建 needs a start date, 已完工 and 已验收 a completion date not before the
    start (`services/projects.py` says so in words; `clean()` calls it)."""

    kind = models.CharField(_("项目类型"), max_length=16, choices=ProjectKind.choices)
    name = models.CharField(_("项目名称"), max_length=200)
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在村"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    budget = amount_field(_("预算（元）"))
    status = models.CharField(
        _("项目状态"),
        max_length=16,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PLANNED,
    )
    start_date = models.DateField(_("开工日期"), null=True, blank=True)
    completion_date = models.DateField(_("完工日期"), null=True, blank=True)
    beneficiaries = models.ManyToManyField(
        "registry.Household",
        verbose_name=_("受益户"),
        blank=True,
        related_name="projects",
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)

    scope_region_path = "village"
    scope_unit_path = "unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("扶贫项目")
        verbose_name_plural = _("扶贫项目")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["village", "status"])]
        constraints = [
            _positive("project_budget_range", "budget"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(completion_date__isnull=True)
                | Q(completion_date__gte=models.F("start_date")),
                name="project_completed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:project", kwargs={"pk": self.pk})

    def clean(self):
        from .services import projects

        projects.check_project(self)


class ProjectOutput(AuditedModel):
    """What a project built or created: a quantity with its measure (公里, 盏, 亩, 个岗位)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="outputs"
    )
    name = models.CharField(_("产出名称"), max_length=200)
    quantity = models.DecimalField(
        _("数量"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message=_("数量必须大于0"))],
    )
    measure = models.CharField(_("计量单位"), max_length=20)

    scope_region_path = "project__village"
    scope_unit_path = "project__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("项目产出")
        verbose_name_plural = _("项目产出")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} {Decimal(self.quantity).normalize():f}{self.measure}"

    def audit_subject(self):
        return self.project


class Allocation(TotalledModel):
    """Money out: from one source or one pool, to one project or one household."""

    source = models.ForeignKey(
        FundSource,
        verbose_name=_("资金来源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    pool = models.ForeignKey(
        FundPool,
        verbose_name=_("资金池"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    kind = models.CharField(_("拨付类型"), max_length=16, choices=AllocationKind.choices)
    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("受助户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_allocations",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="fund_allocations",
        editable=False,
        help_text=_("项目所在村或受助户所在区划"),
    )
    unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("经办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_allocations",
    )
    date = models.DateField(_("拨付日期"))
    amount = amount_field(_("金额（元）"))
    purpose = models.CharField(_("用途"), max_length=200)
    note = models.CharField(_("备注"), max_length=500, blank=True)

    scope_region_path = "region"
    scope_unit_path = "unit__path"
    totals_table = "ALLOCATIONS"
    objects = TotalledManager()

    class Meta:
        verbose_name = _("资金拨付")
        verbose_name_plural = _("资金拨付")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["source", "amount"]),
            models.Index(fields=["pool", "amount"]),
            models.Index(fields=["project", "amount"]),
            models.Index(fields=["household", "date"]),
            models.Index(fields=["region", "date"]),
            models.Index(fields=["date", "id"]),  # the list's order, newest first
        ]
        constraints = [
            _positive("allocation_amount_range"),
            models.CheckConstraint(
                condition=(Q(source__isnull=False) & Q(pool__isnull=True))
                | (Q(source__isnull=True) & Q(pool__isnull=False)),
                name="allocation_one_origin",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=AllocationKind.PROJECT)
                    & Q(project__isnull=False)
                    & Q(household__isnull=True)
                )
                | (
                    ~Q(kind=AllocationKind.PROJECT)
                    & Q(project__isnull=True)
                    & Q(household__isnull=False)
                ),
                name="allocation_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} · {self.amount}元 · {self.purpose}"

    def get_absolute_url(self) -> str:
        return reverse("funds:allocation", kwargs={"pk": self.pk})

    @property
    def origin(self):
        return self.source if self.source_id else self.pool

    @property
    def target(self):
        return self.project if self.project_id else self.household


class CountyTotal(models.Model):
    """What every maintained totals table of `services/totals.py` holds per key: a count and an
    exact amount in whole fen, per `county` (the first 6 characters of the record's region
    code — its county, or the region's own code when that is shorter: a city or province). A
    subclass adds its date key (`month` or `day`), its `kind` with the records' choices and its
    unique constraint. Derived data: not audited, the records it sums are."""

    county = models.CharField(_("县级区划代码"), max_length=6)
    count = models.IntegerField(_("笔数"), default=0)
    amount_cents = models.BigIntegerField(_("金额（分）"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        date = getattr(self, "day", None) or getattr(self, "month", None)
        return f"{self.county} · {date:%Y-%m-%d} · {self.kind}: {self.count}"


class AllocationTotal(CountyTotal):
    """Allocations summed per county, month and kind: what the figures card of a county, city or
    province reads for the whole months of its period instead of aggregating every record.

    Derived data, kept by `services/totals.py` in the same transaction as every write of an
    allocation (set-based upserts that add the change's count and cents to its keys) and
    checked by `bangfu reconcile-funds` (`allocation_totals`), which can also rebuild it
    (`--rebuild-totals`). `county` is the first 6 characters of the allocation's region code —
    its county, or the region's own code when that is shorter (a city or province). `month` is
    the first day of the allocation's month; `amount_cents` is exact (whole fen). Not audited:
    the allocations it sums are."""

    month = models.DateField(_("月份"))
    kind = models.CharField(_("拨付类型"), max_length=16, choices=AllocationKind.choices)

    class Meta:
        verbose_name = _("资金拨付月度合计")
        verbose_name_plural = _("资金拨付月度合计")
        ordering = ["county", "month", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "month", "kind"], name="allocationtotal_county_month_kind"
            )
        ]


class SourceTotal(CountyTotal):
    """Fund sources (money in) summed per county, month and kind: what the figures card of a
    county, city or province reads for "sources by kind" in the whole months of its period.
    Kept, checked (`source_totals`) and rebuilt exactly like `AllocationTotal` (same key, same
    mechanism in `services/totals.py`); `month` is the first day of the source's 到位日期 month."""

    month = models.DateField(_("月份"))
    kind = models.CharField(_("资金来源类型"), max_length=16, choices=SourceKind.choices)

    class Meta:
        verbose_name = _("资金来源月度合计")
        verbose_name_plural = _("资金来源月度合计")
        ordering = ["county", "month", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "month", "kind"], name="sourcetotal_county_month_kind"
            )
        ]


class PoolEntry(AuditedModel):
    """A movement of a pool: an inflow from a source, or the outflow of an allocation."""

    pool = models.ForeignKey(
        FundPool, verbose_name=_("资金池"), on_delete=models.PROTECT, related_name="entries"
    )
    direction = models.CharField(_("方向"), max_length=4, choices=EntryDirection.choices)
    source = models.ForeignKey(
        FundSource,
        verbose_name=_("资金来源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pool_entries",
    )
    allocation = models.OneToOneField(
        Allocation,
        verbose_name=_("资金拨付"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pool_entry",
    )
    amount = amount_field(_("金额（元）"))
    date = models.DateField(_("日期"))
    note = models.CharField(_("备注"), max_length=500, blank=True)

    scope_region_path = "pool__region"
    scope_unit_path = "pool__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("资金池收支")
        verbose_name_plural = _("资金池收支")
        ordering = ["date", "pk"]
        indexes = [
            models.Index(fields=["pool", "direction"]),
            models.Index(fields=["source", "direction"]),
        ]
        constraints = [
            _positive("poolentry_amount_range"),
            models.CheckConstraint(
                condition=(
                    Q(direction=EntryDirection.IN)
                    & Q(source__isnull=False)
                    & Q(allocation__isnull=True)
                )
                | (
                    Q(direction=EntryDirection.OUT)
                    & Q(source__isnull=True)
                    & Q(allocation__isnull=False)
                ),
                name="poolentry_in_from_source_out_to_allocation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool} {self.get_direction_display()} {self.amount}元"

    def audit_subject(self):
        return self.pool


class AllocationDayTotal(CountyTotal):
    """Allocations summed per county, DAY and kind: the companion of `AllocationTotal` that
    the figures card reads for the partial months at the ends of its period (a period from the
    10th reads the days 10…31 here, not the records). Kept, checked (`allocation_totals`) and
    rebuilt with its month table by `services/totals.py`; `day` is the allocation's date."""

    day = models.DateField(_("日期"))
    kind = models.CharField(_("拨付类型"), max_length=16, choices=AllocationKind.choices)

    class Meta:
        verbose_name = _("资金拨付日合计")
        verbose_name_plural = _("资金拨付日合计")
        ordering = ["county", "day", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "day", "kind"], name="allocationdaytotal_county_day_kind"
            )
        ]


class SourceDayTotal(CountyTotal):
    """Fund sources summed per county, DAY and kind: the companion of `SourceTotal` for the
    partial months at the ends of a period (like `AllocationDayTotal`)."""

    day = models.DateField(_("日期"))
    kind = models.CharField(_("资金来源类型"), max_length=16, choices=SourceKind.choices)

    class Meta:
        verbose_name = _("资金来源日合计")
        verbose_name_plural = _("资金来源日合计")
        ordering = ["county", "day", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "day", "kind"], name="sourcedaytotal_county_day_kind"
            )
        ]
