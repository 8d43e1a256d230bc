"""Cooperatives (合作社): the village, the industry, member households (poor or not, or
non-registered people by name), shares contributed, purchase contracts, jobs per year, profit
and dividends per member per year.

Every record reaches the cooperative's village (`scope_region_path`), so scope is one prefix
match like every other region-bound record; unit staff see the cooperatives of the villages
assigned to their unit (assistance's scope provider). A dividend is paid to a membership that
runs in the dividend's year (`services/rules.py`).
"""

from __future__ import annotations

from django.db import models, router, transaction
from django.utils.translation import gettext_lazy as _

from bangfu.core.audit import AuditedModel
from bangfu.core.scoping import ScopedManager
from bangfu.core.yeartotals import TotalsQuerySet
from bangfu.registry import copies

from .choices import Industry

MONEY = {"max_digits": 14, "decimal_places": 2}


class CooperativeQuerySet(TotalsQuerySet):
    """A bulk change of village or a bulk delete moves or removes the cooperatives' dividends
    in `DividendTotal` (`services/totals.py`)."""

    total_fields = frozenset({"village"})

    def add_to_totals(self, ids, sign: int) -> None:
        from .services import totals

        totals.add_cooperatives(ids, sign)


class DividendQuerySet(TotalsQuerySet):
    """Bulk writes of dividends keep `DividendTotal` in step (`services/totals.py`)."""

    total_fields = frozenset({"cooperative", "year", "amount"})

    def add_to_totals(self, ids, sign: int) -> None:
        from .services import totals

        totals.add_ids(ids, sign)


def _using(obj, kwargs) -> str:
    return kwargs.get("using") or router.db_for_write(type(obj), instance=obj)


class Cooperative(AuditedModel):
    name = models.CharField(_("合作社名称"), max_length=200)
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在村"),
        on_delete=models.PROTECT,
        related_name="cooperatives",
    )
    industry = models.CharField(_("产业"), max_length=16, choices=Industry.choices)
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    registered_no = models.CharField(_("统一社会信用代码"), max_length=40, blank=True)
    unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("帮扶单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperatives",
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)

    scope_region_path = "village"
    objects = ScopedManager.from_queryset(CooperativeQuerySet)()

    class Meta:
        verbose_name = _("合作社")
        verbose_name_plural = _("合作社")
        ordering = ["village_id", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        """Saves the cooperative; when its village changes county, its dividends' totals
        (`DividendTotal`) move with it in the same transaction (one GROUP BY each way)."""
        from .services import totals

        moved = False
        with transaction.atomic(using=_using(self, kwargs), savepoint=False):
            if self.pk is not None:
                stored = (
                    type(self)._base_manager.filter(pk=self.pk).values_list("village_id").first()
                )
                moved = stored is not None and stored[0] != self.village_id
                if moved:
                    totals.add_cooperatives([self.pk], -1)
            super().save(*args, **kwargs)
            if moved:
                totals.add_cooperatives([self.pk], 1)

    def delete(self, *args, **kwargs):
        """Deletes the cooperative and subtracts its dividends from the totals (a savepoint: a
        cooperative whose members were paid dividends is protected, and the refusal must leave
        the totals as they were)."""
        from .services import totals

        with transaction.atomic(using=_using(self, kwargs)):
            if self.pk is not None:
                totals.add_cooperatives([self.pk], -1)
            return super().delete(*args, **kwargs)

    def clean(self):
        from .services.rules import check_cooperative

        check_cooperative(self)


class _CooperativePart(AuditedModel):
    scope_region_path = "cooperative__village"
    objects = ScopedManager()

    class Meta:
        abstract = True

    def audit_subject(self):
        return self.cooperative


class Membership(_CooperativePart):
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("合作社"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("建档立卡户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperative_memberships",
        help_text=_("非建档立卡社员不填，改填姓名"),
    )
    name = models.CharField(_("社员姓名"), max_length=50, blank=True)
    shares = models.DecimalField(_("入股金额（元）"), default=0, **MONEY)
    joined = models.DateField(_("入社日期"))
    left = models.DateField(_("退社日期"), null=True, blank=True)
    # A copy of "the member household is registered poor" (`is_poor`), kept in step by
    # bangfu/registry/copies.py: the figures count poor members without joining households.
    poor = models.BooleanField(_("建档立卡户社员"), default=False, editable=False)

    class Meta:
        verbose_name = _("社员")
        verbose_name_plural = _("社员")
        ordering = ["cooperative_id", "joined", "pk"]
        indexes = [models.Index(fields=["household", "cooperative"])]

    def __str__(self) -> str:
        return self.name or (str(self.household) if self.household_id else "")

    @property
    def is_poor(self) -> bool:
        from bangfu.registry.choices import Category

        return bool(self.household_id) and self.household.category != Category.NON_POOR

    @classmethod
    def get_audit_fields(cls):
        return copies.audit_fields(cls)

    def save(self, *args, **kwargs):
        super().save(*args, **copies.save_kwargs(self, kwargs))

    def clean(self):
        from .services.rules import check_membership

        check_membership(self)


class PurchaseContract(_CooperativePart):
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("合作社"),
        on_delete=models.CASCADE,
        related_name="contracts",
    )
    buyer = models.CharField(_("收购方"), max_length=200)
    product = models.CharField(_("产品"), max_length=100)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    quantity = models.CharField(_("数量"), max_length=100, blank=True)
    price = models.CharField(_("价格"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("收购合同")
        verbose_name_plural = _("收购合同")
        ordering = ["cooperative_id", "-start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.buyer} · {self.product}"

    def clean(self):
        from .services.money import check_period

        check_period(self.start_date, self.end_date)


class CooperativeYear(_CooperativePart):
    """One year of a cooperative: profit and the people it employed."""

    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("合作社"),
        on_delete=models.CASCADE,
        related_name="years",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    profit = models.DecimalField(_("利润（元）"), default=0, **MONEY)
    jobs = models.PositiveIntegerField(_("带动就业人数"), default=0)
    poor_jobs = models.PositiveIntegerField(_("其中建档立卡人数"), default=0)

    class Meta:
        verbose_name = _("合作社年度经营")
        verbose_name_plural = _("合作社年度经营")
        ordering = ["cooperative_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year"], name="cooperative_year_once")
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.year}"

    def clean(self):
        from .services.rules import check_year

        check_year(self)


class Dividend(_CooperativePart):
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("合作社"),
        on_delete=models.CASCADE,
        related_name="dividends",
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("社员"),
        on_delete=models.PROTECT,
        related_name="dividends",
    )
    year = models.PositiveSmallIntegerField(_("分红年度"))
    amount = models.DecimalField(_("分红金额（元）"), **MONEY)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)

    objects = ScopedManager.from_queryset(DividendQuerySet)()

    class Meta:
        verbose_name = _("分红")
        verbose_name_plural = _("分红")
        ordering = ["cooperative_id", "-year", "pk"]
        indexes = [models.Index(fields=["cooperative", "year"])]

    def __str__(self) -> str:
        return f"{self.membership} · {self.year} · {self.amount}"

    def save(self, *args, **kwargs):
        """Saves the dividend and moves its count and amount in `DividendTotal` (stored values
        minus, saved values plus) in the same transaction."""
        from .services import totals

        with transaction.atomic(using=_using(self, kwargs), savepoint=False):
            if self.pk is not None:
                totals.add_ids([self.pk], -1)
            super().save(*args, **kwargs)
            totals.add_ids([self.pk], 1)

    def delete(self, *args, **kwargs):
        from .services import totals

        with transaction.atomic(using=_using(self, kwargs), savepoint=False):
            if self.pk is not None:
                totals.add_ids([self.pk], -1)
            return super().delete(*args, **kwargs)

    def clean(self):
        from .services.rules import check_dividend

        check_dividend(self)


class DividendTotal(models.Model):
    """Dividends counted and summed per county (of the cooperative's village) and year: what the
    figures card of a county, city or province reads instead of every dividend under it.

    Derived data, kept by `services/totals.py` in the same transaction as every write of a
    dividend or of its cooperative's village, checked by `bangfu reconcile-funds`
    (`year_totals`) and rebuilt by `--rebuild-totals`. `amount_cents` is exact (whole fen).
    Not audited: the dividends it sums are."""

    county = models.CharField(_("县级区划代码"), max_length=6)
    year = models.PositiveSmallIntegerField(_("分红年度"))
    count = models.IntegerField(_("笔数"), default=0)
    amount_cents = models.BigIntegerField(_("分红金额（分）"), default=0)

    class Meta:
        verbose_name = _("分红年度合计")
        verbose_name_plural = _("分红年度合计")
        ordering = ["county", "year"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="dividendtotal_county_year")
        ]

    def __str__(self) -> str:
        return f"{self.county} · {self.year}: {self.count}"
