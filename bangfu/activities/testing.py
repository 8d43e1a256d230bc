"""Builders for activity tests (on top of assistance.testing's units and assignments)."""

from __future__ import annotations

import datetime
import itertools

from bangfu.assistance.models import Unit
from bangfu.regions.models import Region

from .choices import ActivityKind
from .models import Activity
from .services.activities import record_activity

_seq = itertools.count(1)


def make_activity(
    unit: Unit,
    village: str | None = None,
    kind: str = ActivityKind.TRAINING,
    date: datetime.date = datetime.date(2019, 6, 1),
    region: str | None = None,
    **fields,
) -> Activity:
    return record_activity(
        unit=unit,
        kind=kind,
        date=date,
        title=fields.pop("title", f"活动{next(_seq)}"),
        village=Region.objects.get(pk=village) if village else None,
        region=Region.objects.get(pk=region) if region else None,
        **fields,
    )
