"""Builders for cooperative tests."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from bangfu.regions.models import Region

from .choices import Industry
from .services import cooperatives

_seq = itertools.count(1)


def make_cooperative(village: str = "451423100201", **fields):
    return cooperatives.create_cooperative(
        name=fields.pop("name", f"合作社{next(_seq)}"),
        village=Region.objects.get(pk=village),
        industry=fields.pop("industry", Industry.HERBS),
        **fields,
    )


def make_member(cooperative, household=None, joined=datetime.date(2018, 3, 1), **fields):
    return cooperatives.add_member(
        cooperative,
        household=household,
        joined=joined,
        shares=fields.pop("shares", Decimal("1000")),
        **fields,
    )
