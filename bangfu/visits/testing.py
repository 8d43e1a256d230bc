"""Builders for visit tests (on top of core.testing and assistance.testing)."""

from __future__ import annotations

import datetime

from .choices import Purpose
from .models import FollowUp, Visit
from .services import visits

DATE = datetime.date(2020, 6, 1)


def make_visit(
    cadre, household=None, village=None, date: datetime.date = DATE, purpose=Purpose.CARE, **kw
) -> Visit:
    if village is not None and isinstance(village, str):
        from bangfu.regions.models import Region

        village = Region.objects.get(pk=village)
    return visits.record_visit(
        cadre=cadre, household=household, village=village, date=date, purpose=purpose, **kw
    )


def make_follow_up(visit: Visit, due_date: datetime.date | None = None, **kw) -> FollowUp:
    return visits.add_follow_up(
        visit,
        kw.pop("action", "落实危房改造补助"),
        due_date or visit.date + datetime.timedelta(30),
        **kw,
    )
