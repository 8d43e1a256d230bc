"""The plans app's figures on the unit page (`core.figures`), for a period.

- Plans: those of the unit (responsible unit, or written by one of its cadres; the unit and its
  backing units) whose own period overlaps the page's period, village plans and household plans.
- Measures: those of the unit (of its plans, or owned by the unit or one of its cadres) *in the
  period*, meaning due in the period or completed in it (`filters.measure_period_q`), by kind
  and by status; the planned cost (measures not cancelled) and the cost of the completed ones.

Every figure links to the plan or measure list with the same filters (`unit`, `start`, `end`,
plus the kind or status), whose `unit` filter takes the unit's backing units in the same way, so
a figure and its list agree. Three queries whatever the size of the unit: the unit's id, one
aggregate over the plans, one GROUP BY kind and status over the measures; all over
`Model.objects.for_user(user)`.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bangfu.assistance.models import Unit
from bangfu.core.figures import Figure, FigureSection, Period, register_unit_figures

from .choices import MeasureKind, MeasureStatus, PlanKind
from .filters import measure_period_q, measure_unit_q, plan_period_q, plan_unit_q
from .models import Measure, Plan


def _url(name: str, unit_id, period: Period, **extra) -> str:
    parts = [f"unit={unit_id}"]
    if period.query_string():
        parts.append(period.query_string())
    parts += [f"{k}={v}" for k, v in extra.items()]
    return reverse(name) + "?" + "&".join(parts)


def plan_figures(unit_ids, user, period: Period) -> FigureSection | None:
    if not user.has_perm("plans.view_plan"):
        return None
    top = (
        Unit.objects.filter(pk__in=unit_ids)
        .order_by(Length("path"), "path")
        .values_list("pk", flat=True)
        .first()
    )
    if top is None:
        return None
    plans = (
        Plan.objects.for_user(user)
        .filter(plan_unit_q(unit_ids))
        .filter(plan_period_q(period.start, period.end))
        .aggregate(
            village=Count("pk", filter=Q(household__isnull=True)),
            household=Count("pk", filter=Q(household__isnull=False)),
        )
    )
    measures = (
        Measure.objects.for_user(user)
        .filter(measure_unit_q(unit_ids))
        .filter(measure_period_q(period.start, period.end))
    )
    # One GROUP BY over the measures gives every measure figure.
    by_kind: dict[str, int] = {}
    by_status: dict[str, int] = {}
    costs = {"planned": Decimal("0"), "spent": Decimal("0")}
    for kind, status, n, cost in (
        measures.order_by().values_list("kind", "status").annotate(n=Count("pk"), cost=Sum("cost"))
    ):
        by_kind[kind] = by_kind.get(kind, 0) + n
        by_status[status] = by_status.get(status, 0) + n
        if status != MeasureStatus.CANCELLED:
            costs["planned"] += cost or 0
        if status == MeasureStatus.COMPLETED:
            costs["spent"] += cost or 0
    plan_list, measure_list = "plans:plan_list", "plans:measure_list"
    figures = [
        Figure(
            _("一村一策计划"),
            plans["village"],
            _url(plan_list, top, period, kind=PlanKind.VILLAGE),
            pgettext("count of plans", "个"),
        ),
        Figure(
            _("一户一策计划"),
            plans["household"],
            _url(plan_list, top, period, kind=PlanKind.HOUSEHOLD),
            pgettext("count of plans", "个"),
        ),
    ]
    for kind in MeasureKind:
        figures.append(
            Figure(
                _("%(kind)s措施") % {"kind": kind.label},
                by_kind.get(kind.value, 0),
                _url(measure_list, top, period, kind=kind.value),
                _("项"),
            )
        )
    for status in MeasureStatus:
        figures.append(
            Figure(
                _("措施：%(status)s") % {"status": status.label},
                by_status.get(status.value, 0),
                _url(measure_list, top, period, status=status.value),
                _("项"),
            )
        )
    figures += [
        Figure(
            _("计划投入资金（不含已取消措施）"),
            costs["planned"] or Decimal("0"),
            _url(measure_list, top, period, cancelled="0"),
            _("元"),
        ),
        Figure(
            _("已完成措施投入资金"),
            costs["spent"] or Decimal("0"),
            _url(measure_list, top, period, status=MeasureStatus.COMPLETED),
            _("元"),
        ),
    ]
    return FigureSection(key="plans", title=_("帮扶计划与措施"), figures=figures, order=50)


def register() -> None:
    register_unit_figures("plans", plan_figures)
