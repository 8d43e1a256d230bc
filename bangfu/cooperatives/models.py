"""Cooperatives (合作社): the village, the industry, member households (poor or not, or
non-registered people by name), shares contributed, purchase contracts, jobs per year, profit
and dividends per member per year.

Every record reaches the cooperative's village (`scope_region_path`), so scope is one prefix
match like every other region-bound record; unit staff see the cooperatives of the villages
assigned to their unit (assistance's scope provider). A dividend is paid to a membership that
runs in the dividend's year (`services/rules.py`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.audit import AuditedModel
from bangfu.core.scoping import ScopedManager
from bangfu.registry import copies

from .choices import Industry

MONEY = {"max_digits": 14, "decimal_places": 2}


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
    objects = ScopedManager()

    class Meta:
        verbose_name = _("合作社")
        verbose_name_plural = _("合作社")
        ordering = ["village_id", "name"]

    def __str__(self) -> str:
        return self.name

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

    class Meta:
        verbose_name = _("分红")
        verbose_name_plural = _("分红")
        ordering = ["cooperative_id", "-year", "pk"]
        indexes = [models.Index(fields=["cooperative", "year"])]

    def __str__(self) -> str:
        return f"{self.membership} · {self.year} · {self.amount}"

    def clean(self):
        from .services.rules import check_dividend

        check_dividend(self)
