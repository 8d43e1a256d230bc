"""Builders for funds tests (on top of core.testing's regions, users and households)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from bangfu.regions.models import Region

from .choices import DonorKind, ProjectKind, SourceKind
from .models import Donation, FundPool, FundSource, Project
from .services import allocations, funds, projects

DAY = datetime.date(2020, 3, 1)
XINLIAN, LUOHUI = "451423100201", "451423100202"
_seq = itertools.count(1)


def make_source(
    amount="100000.00",
    region: str = XINLIAN,
    kind: str = SourceKind.FISCAL,
    unit=None,
    date: datetime.date = DAY,
    name: str | None = None,
) -> FundSource:
    return funds.save_source(
        FundSource(
            kind=kind,
            name=name or f"资金{next(_seq)}",
            year=date.year,
            amount=Decimal(amount),
            unit=unit,
            region=Region.objects.get(pk=region),
            date=date,
        )
    )


def make_donation(amount="50000.00", region: str = XINLIAN, unit=None, donor="某公司") -> Donation:
    return funds.save_donation(
        Donation(
            donor_name=donor,
            donor_kind=DonorKind.COMPANY,
            amount=Decimal(amount),
            date=DAY,
            purpose="危房改造",
            unit=unit,
            region=Region.objects.get(pk=region),
        )
    )


def make_pool(region: str = XINLIAN, unit=None, name: str | None = None) -> FundPool:
    return funds.save_pool(
        FundPool(
            name=name or f"资金池{next(_seq)}", region=Region.objects.get(pk=region), unit=unit
        )
    )


def make_project(
    village: str = XINLIAN, budget="200000.00", kind=ProjectKind.INFRASTRUCTURE, unit=None, **kw
) -> Project:
    return projects.save_project(
        Project(
            kind=kind,
            name=kw.pop("name", f"项目{next(_seq)}"),
            village=Region.objects.get(pk=village),
            budget=Decimal(budget),
            unit=unit,
            **kw,
        )
    )


def fill_pool(pool: FundPool, amount="10000.00", source: FundSource | None = None):
    source = source or make_source(amount, region=pool.region_id)
    return allocations.put_into_pool(pool, source, Decimal(amount), DAY)
