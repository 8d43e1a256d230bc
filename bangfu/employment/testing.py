"""Builders for employment tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from bangfu.regions.models import Region

from .choices import JobKind
from .services import jobs


def make_agreement(region: str = "451423", **fields):
    return jobs.create_agreement(
        company=fields.pop("company", "广东某电子厂"),
        region=Region.objects.get(pk=region),
        start_date=fields.pop("start_date", datetime.date(2019, 3, 1)),
        places=fields.pop("places", 50),
        **fields,
    )


def make_job(member, kind=JobKind.LABOUR_EXPORT, **fields):
    return jobs.record_job(
        member=member,
        kind=kind,
        employer=fields.pop("employer", "广东某电子厂"),
        year=fields.pop("year", 2019),
        months=fields.pop("months", 10),
        income=fields.pop("income", Decimal("36000")),
        start_date=fields.pop("start_date", datetime.date(2019, 3, 1)),
        **fields,
    )
