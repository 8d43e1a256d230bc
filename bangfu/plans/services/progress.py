"""Progress of plans against their goals, computed in SQL for a whole queryset of plans.

`with_progress(plans, households)` annotates every plan with correlated subqueries (no per-plan
Python loop, one statement for a page of plans):

- measures: `measures_total` (not cancelled), `measures_done` (completed), `cost_planned`
  (cost of the measures not cancelled) and `cost_spent` (cost of the completed ones);
- a household plan: `latest_income` and `latest_year`, the household's latest survey's net income
  per person (registry.Survey), to hold against `target_income_per_capita`;
- a village plan: `households_total`, the village's households in `households` (pass the user's
  scoped `Household` queryset, so the counts stay in scope), and `households_reached`, those
  whose latest survey income is at or above the plan's target (only where a target is set).

`progress_bars(plan)` turns an annotated plan into the bars the plan page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from bangfu.registry.models import Survey

from ..choices import MeasureStatus
from ..models import Measure

MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)


def _count(queryset):
    return Coalesce(
        Subquery(
            queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _sum(queryset, field):
    return Coalesce(
        Subquery(
            queryset.order_by().annotate(_s=Func(F(field), function="SUM")).values("_s"),
            output_field=MONEY_FIELD,
        ),
        Value(Decimal("0")),
        output_field=MONEY_FIELD,
    )


def latest_income(household_ref="household_id"):
    return Subquery(
        Survey.objects.filter(household=OuterRef(household_ref))
        .order_by("-year")
        .values("net_income_per_capita")[:1],
        output_field=MONEY_FIELD,
    )


def with_progress(plans, households):
    measures = Measure.objects.filter(plan=OuterRef("pk"))
    live = measures.exclude(status=MeasureStatus.CANCELLED)
    done = measures.filter(status=MeasureStatus.COMPLETED)
    village_households = households.filter(region__pk__startswith=OuterRef("region_id"))
    reached = village_households.annotate(_income=latest_income("pk")).filter(
        _income__gte=OuterRef("target_income_per_capita")
    )
    return plans.annotate(
        measures_total=_count(live),
        measures_done=_count(done),
        cost_planned=_sum(live, "cost"),
        cost_spent=_sum(done, "cost"),
        latest_income=latest_income(),
        latest_year=Subquery(
            Survey.objects.filter(household=OuterRef("household_id"))
            .order_by("-year")
            .values("year")[:1]
        ),
        households_total=Case(
            When(household__isnull=True, then=_count(village_households)),
            default=Value(None),
            output_field=IntegerField(),
        ),
        households_reached=Case(
            When(
                household__isnull=True,
                target_income_per_capita__isnull=False,
                then=_count(reached),
            ),
            default=Value(None),
            output_field=IntegerField(),
        ),
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: str  # as shown, e.g. "3 / 4" or "5,200.00 / 6,000.00 元"
    percent: int  # 0–100, the width of the bar
    reached: bool


def _percent(part, whole) -> int:
    if not whole:
        return 0
    return max(0, min(100, int(Decimal(part) * 100 / Decimal(whole))))


def _money(value) -> str:
    from django.utils.formats import number_format

    return number_format(value or Decimal("0"), 2, force_grouping=True)


def progress_bars(plan) -> list[Bar]:
    """The bars of an annotated plan (see `with_progress`), in the page's order."""
    bars = []
    target = plan.target_income_per_capita
    if plan.household_id and target is not None:
        income = plan.latest_income
        if income is None:
            value = _("无调查数据") + f" / {_money(target)}"
        else:
            value = _("%(year)s年 %(income)s / 目标 %(target)s 元") % {
                "year": plan.latest_year,
                "income": _money(income),
                "target": _money(target),
            }
        bars.append(
            Bar(
                _("人均纯收入"),
                value,
                _percent(income or 0, target),
                income is not None and income >= target,
            )
        )
    if not plan.household_id and target is not None and plan.households_total is not None:
        bars.append(
            Bar(
                _("人均纯收入达到目标的户"),
                f"{plan.households_reached} / {plan.households_total}",
                _percent(plan.households_reached, plan.households_total),
                bool(plan.households_total) and plan.households_reached == plan.households_total,
            )
        )
    bars.append(
        Bar(
            _("已完成措施"),
            f"{plan.measures_done} / {plan.measures_total}",
            _percent(plan.measures_done, plan.measures_total),
            bool(plan.measures_total) and plan.measures_done == plan.measures_total,
        )
    )
    bars.append(
        Bar(
            _("已完成措施的投入资金（元）"),
            f"{_money(plan.cost_spent)} / {_money(plan.cost_planned)}",
            _percent(plan.cost_spent, plan.cost_planned),
            bool(plan.cost_planned) and plan.cost_spent >= plan.cost_planned,
        )
    )
    return bars
