"""Microcredit (扶贫小额信贷): loan products a county's banks offer (e.g. 半夏贷) and loans to
registered households, with the repayment status.

A product belongs to a region (usually a county): it is seen by the users of that subtree and by
the users below it (a village user chooses among the county's products), so its queryset adds
the ancestors of the user's region to the usual prefix match. A loan is scoped by its
household's region like every registry record, read from the copy on the loan (`region`,
bangfu/registry/copies.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.audit import AuditedModel
from bangfu.core.scoping import ScopedManager, ScopedQuerySet, user_region_code
from bangfu.registry import copies

from .choices import Repayment

MONEY = {"max_digits": 14, "decimal_places": 2}
CODE_LENGTHS = (2, 4, 6, 9, 12)


def region_and_ancestors_q(path: str, code: str) -> Q:
    """Rows whose region lies in the subtree of `code` or is one of its ancestors."""
    if code == "":
        return Q()
    ancestors = [code[:n] for n in CODE_LENGTHS if n < len(code)]
    return Q(**{f"{path}__pk__startswith": code}) | Q(**{f"{path}__pk__in": ancestors})


class ProductQuerySet(ScopedQuerySet):
    def for_user(self, user):
        code = user_region_code(user)
        if code is not None:
            return self.filter(region_and_ancestors_q("region", code))
        return super().for_user(user)


class LoanProduct(AuditedModel):
    name = models.CharField(_("产品名称"), max_length=100)
    bank = models.CharField(_("贷款银行"), max_length=100)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("适用区划"),
        on_delete=models.PROTECT,
        related_name="loan_products",
    )
    rate = models.DecimalField(_("年利率（%）"), max_digits=6, decimal_places=3, default=0)
    max_amount = models.DecimalField(_("最高额度（元）"), **MONEY)
    term_months = models.PositiveSmallIntegerField(_("最长期限（月）"))
    note = models.CharField(_("备注"), max_length=500, blank=True)

    scope_region_path = "region"
    objects = ScopedManager.from_queryset(ProductQuerySet)()

    class Meta:
        verbose_name = _("贷款产品")
        verbose_name_plural = _("贷款产品")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.bank}）"

    def clean(self):
        from .services.rules import check_product

        check_product(self)


class Loan(AuditedModel):
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("建档立卡户"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    product = models.ForeignKey(
        LoanProduct, verbose_name=_("贷款产品"), on_delete=models.PROTECT, related_name="loans"
    )
    amount = models.DecimalField(_("贷款金额（元）"), **MONEY)
    date = models.DateField(_("放款日期"))
    term_months = models.PositiveSmallIntegerField(_("期限（月）"))
    purpose = models.CharField(_("用途"), max_length=200)
    repayment = models.CharField(
        _("还款状态"), max_length=16, choices=Repayment.choices, default=Repayment.CURRENT
    )
    repaid_date = models.DateField(_("还清日期"), null=True, blank=True)
    # A copy of the household's region (bangfu/registry/copies.py keeps it in step): scope, the
    # region filter and the region figures read it without joining households.
    region = copies.region_copy_field()

    scope_region_path = "region"
    scope_household_path = "household"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("贷款")
        verbose_name_plural = _("扶贫小额信贷")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["product", "date"]),
            models.Index(fields=["repayment"]),
            models.Index(fields=["date", "id"]),  # the list's order, newest first
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.amount} · {self.date}"

    def audit_subject(self):
        return self.household

    @classmethod
    def get_audit_fields(cls):
        return copies.audit_fields(cls)

    def save(self, *args, **kwargs):
        super().save(*args, **copies.save_kwargs(self, kwargs))

    @property
    def due_date(self):
        from .services.rules import add_months

        return add_months(self.date, self.term_months) if self.date else None

    def clean(self):
        from .services.rules import check_loan

        check_loan(self)
