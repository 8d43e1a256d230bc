"""Consumption assistance (消费扶贫): a unit buys products from a village or a cooperative.

`village` is always set (a cooperative's purchase takes the cooperative's village), so region
users see the purchases from villages in their area; unit staff see their unit's purchases.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.scoping import AssistanceManager
from bangfu.core.audit import AuditedModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class Purchase(AuditedModel):
    unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("采购单位"),
        on_delete=models.PROTECT,
        related_name="purchases",
    )
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("销售村"),
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchases",
        help_text=_("从合作社采购时可不填，取合作社所在村"),
    )
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("销售合作社"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchases",
    )
    product = models.CharField(_("产品"), max_length=100)
    quantity = models.CharField(_("数量"), max_length=100, blank=True)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    date = models.DateField(_("采购日期"))

    scope_region_path = "village"
    scope_unit_path = "unit__path"
    objects = AssistanceManager()

    class Meta:
        verbose_name = _("消费扶贫采购")
        verbose_name_plural = _("消费扶贫")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "date"]),
            models.Index(fields=["village", "date"]),
            models.Index(fields=["date", "id"]),  # the list's order, newest first
        ]

    def __str__(self) -> str:
        return f"{self.date} · {self.product} · {self.amount}"

    @property
    def seller(self) -> str:
        return self.cooperative.name if self.cooperative_id else self.village.name

    def clean(self):
        from .services.purchases import check_purchase

        check_purchase(self)
