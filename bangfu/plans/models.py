"""Plans (一村一策 / 一户一策) and their measures (帮扶措施).

A `Plan` is for one village or one household for a period, with its goals; a `Measure` is one
thing to be done under a plan (kind, owner, cost, due date, status, evidence). The rules live in
`services/rules.py` (each model's `clean()` calls them); plans and measures are written through
`services/plans.py`, which validates, checks the result is inside the user's scope, and saves in
one transaction. Progress against the goals is computed set-based in `services/progress.py`.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.audit import AuditedModel

from .choices import MeasureKind, MeasureStatus, PlanKind, PlanStatus
from .scoping import MeasureManager, PlanManager

MONEY = {"max_digits": 14, "decimal_places": 2}


class Plan(AuditedModel):
    """A plan for one village (`village`) or one household (`household`) — exactly one — for a
    period (inclusive dates, end after start).

    `region` is always set (the village's code, or the household's region) by the rules, so region
    scope is one prefix match on one column, as everywhere else.

    Goals are fixed fields, not a list of `PlanTarget` rows: the goals the seeds set (target net
    income per person, the industries to develop) are the ones the progress can be measured
    against from records (the household's latest survey, the measures done and their cost); a
    free list of named targets with hand-typed "achieved" values could not be checked against
    anything, and would be a second place where the same income figure is kept. Other goals are
    free text (`other_goals`).
    """

    title = models.CharField(_("计划名称"), max_length=200)
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("村"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="village_plans",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("帮扶户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="plans",
        editable=False,
    )
    unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    author = models.ForeignKey(
        "assistance.Cadre",
        verbose_name=_("制定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authored_plans",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    target_income_per_capita = models.DecimalField(
        _("目标人均纯收入（元/人·年）"), null=True, blank=True, **MONEY
    )
    industries = models.TextField(_("发展产业"), blank=True)
    other_goals = models.TextField(_("其他目标"), blank=True)
    status = models.CharField(
        _("计划状态"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )

    scope_region_path = "region"
    # Unit staff: plans of their unit (and backing units), or written by its cadres.
    scope_unit_path = ("unit__path", "author__unit__path")
    objects = PlanManager()

    class Meta:
        verbose_name = _("帮扶计划")
        verbose_name_plural = _("帮扶计划")
        ordering = ["region_id", "-start_date", "pk"]
        indexes = [
            models.Index(fields=["region", "start_date"]),
            models.Index(fields=["household", "start_date"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind(self) -> str:
        return PlanKind.HOUSEHOLD if self.household_id else PlanKind.VILLAGE

    def get_kind_display(self) -> str:
        return str(PlanKind(self.kind).label)

    def audit_subject(self):
        return self.household if self.household_id else self

    def clean(self):
        from .services import rules

        rules.check_plan(self)


class Measure(AuditedModel):
    """One assistance measure of a plan: what, by whom (a cadre and/or a unit), at what cost, by
    when, and what was done (status, done date, evidence). Evidence is text; files are attached
    through the shared attachments mechanism, not stored here."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("帮扶计划"), on_delete=models.PROTECT, related_name="measures"
    )
    kind = models.CharField(_("措施类型"), max_length=20, choices=MeasureKind.choices)
    description = models.CharField(_("措施内容"), max_length=500)
    owner = models.ForeignKey(
        "assistance.Cadre",
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    owner_unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    cost = models.DecimalField(_("投入资金（元）"), default=Decimal("0"), **MONEY)
    due_date = models.DateField(_("完成期限"))
    status = models.CharField(
        _("措施状态"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    done_date = models.DateField(_("完成日期"), null=True, blank=True)
    evidence = models.TextField(_("完成情况及佐证"), blank=True)

    scope_region_path = "plan__region"
    scope_unit_path = (
        "plan__unit__path",
        "plan__author__unit__path",
        "owner__unit__path",
        "owner_unit__path",
    )
    objects = MeasureManager()

    class Meta:
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        ordering = ["plan_id", "due_date", "pk"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["plan", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.description[:40]}"

    @property
    def is_overdue(self) -> bool:
        """Due before today and neither completed nor cancelled (the check's definition)."""
        from django.utils import timezone

        from .choices import CLOSED_MEASURE_STATUSES

        return self.due_date < timezone.localdate() and self.status not in CLOSED_MEASURE_STATUSES

    def audit_subject(self):
        plan = self.plan
        return plan.household if plan.household_id else plan

    def clean(self):
        from .services import rules

        rules.check_measure(self)
