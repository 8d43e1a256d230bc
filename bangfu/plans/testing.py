"""Builders for plans tests (on top of core.testing and assistance.testing)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from bangfu.regions.models import Region

from .choices import MeasureKind, PlanStatus
from .models import Measure, Plan
from .services import plans

START = datetime.date(2019, 1, 1)
END = datetime.date(2020, 12, 31)


def make_plan(household=None, village: str | None = None, **kw) -> Plan:
    fields = dict(
        title=kw.pop("title", "脱贫计划"),
        start_date=START,
        end_date=END,
        status=PlanStatus.ACTIVE,
    )
    fields.update(kw)
    if household is not None:
        fields["household"] = household
    else:
        fields["village"] = Region.objects.get(pk=village)
    return plans.create_plan(**fields)


def make_measure(plan: Plan, kind: str = MeasureKind.INDUSTRY, **kw) -> Measure:
    fields = dict(
        description=kw.pop("description", "养殖肉牛 3 头"),
        cost=Decimal("1000"),
        due_date=datetime.date(2019, 6, 30),
    )
    fields.update(kw)
    return plans.add_measure(plan, kind=kind, **fields)
