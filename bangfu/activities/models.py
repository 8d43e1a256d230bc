"""Meetings and activities (会议与活动): typed records with counts, attributable to a unit and a
village (or, for county-wide work, to a region of the county).

`region` is always set — the village when there is one, else the township or county the activity
covered — so scope is one prefix match on `region` like every other region-bound record; unit
staff see their unit subtree's activities (`scope_unit_path`), a cadre user those they led.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.scoping import AssistanceManager
from bangfu.core.audit import AuditedModel

from .choices import KIND_COUNTS, ActivityKind


class Activity(AuditedModel):
    kind = models.CharField(_("活动类型"), max_length=16, choices=ActivityKind.choices)
    date = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=200)
    unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("帮扶单位"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("村"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("全县（乡镇）范围的活动不填，改填所属区划"),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区划"),
        blank=True,  # filled from the village; required (by the rules) only without one
        on_delete=models.PROTECT,
        related_name="activities",
    )
    participants = models.PositiveIntegerField(_("参加人次"), default=0)
    count = models.PositiveIntegerField(_("数量"), default=0)
    cadre = models.ForeignKey(
        "assistance.Cadre",
        verbose_name=_("负责干部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)

    scope_region_path = "region"
    scope_unit_path = "unit__path"
    scope_cadre_path = "cadre"
    objects = AssistanceManager()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("会议与活动")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "date"]),
            models.Index(fields=["region", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date} · {self.get_kind_display()} · {self.title}"

    @property
    def counts(self):
        return KIND_COUNTS[self.kind]

    def clean(self):
        from .services.rules import check_activity

        check_activity(self)
