"""Builders for assistance tests (on top of core.testing's regions, users and households).

`make_world()` builds, in 龙州县 of core.testing.TREE:

- 自治区公安厅 (`hall`) with backing units 崇左市公安局 (`city`) › 龙州县公安局 (`county`), and an
  unrelated unit 钟山县委组织部 (`other`) in 钟山县;
- assignments from 2015-01-01: hall → 新联村 (backing unit: county), hall → 罗回村 (backing: city),
  other → 大桥村;
- cadres: `secretary` (county), `officer` (county), `city_officer` (city), `other_cadre` (other).
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from bangfu.accounts.choices import Role
from bangfu.core.testing import make_user

from .choices import PostingRole, UnitKind
from .models import Assignment, Cadre, Pairing, Posting, Unit
from .services import pairings, units

START = datetime.date(2015, 1, 1)
XINLIAN, LUOHUI, XIAGANG, DAQIAO = "451423100201", "451423100202", "451423101201", "451122100201"

_seq = itertools.count(1)


def make_unit(
    name: str | None = None, parent: Unit | None = None, kind: str = UnitKind.GOVERNMENT, **kw
) -> Unit:
    return units.create_unit(name or f"单位{next(_seq)}", kind, parent=parent, **kw)


def make_cadre(unit: Unit, name: str | None = None, **kw) -> Cadre:
    return units.create_cadre(unit, name or f"干部{next(_seq)}", **kw)


def make_assignment(
    unit: Unit, village: str = XINLIAN, start: datetime.date = START, **kw
) -> Assignment:
    return units.assign(unit, _region(village), start, **kw)


def make_posting(
    cadre: Cadre,
    village: str = XINLIAN,
    role: str = PostingRole.FIRST_SECRETARY,
    start: datetime.date = START,
    **kw,
) -> Posting:
    return units.post(cadre, _region(village), role, start, **kw)


def make_pairing(cadre: Cadre, household, start: datetime.date = START, **kw) -> Pairing:
    return pairings.pair(cadre, household, start, **kw)


def make_unit_user(username: str, unit: Unit, role: str = Role.UNIT):
    user = make_user(username, role, None)
    user.unit = unit
    user.save()
    return user


def _region(code: str):
    from bangfu.regions.models import Region

    return Region.objects.get(pk=code)


@dataclass
class World:
    hall: Unit
    city: Unit
    county: Unit
    other: Unit
    secretary: Cadre
    officer: Cadre
    city_officer: Cadre
    other_cadre: Cadre
    assignments: dict[str, Assignment]


def make_world() -> World:
    hall = make_unit("广西壮族自治区公安厅")
    city = make_unit("崇左市公安局", parent=hall)
    county = make_unit("龙州县公安局", parent=city)
    other = make_unit("钟山县委组织部")
    assignments = {
        XINLIAN: make_assignment(hall, XINLIAN, backing_unit=county),
        LUOHUI: make_assignment(hall, LUOHUI, backing_unit=city),
        DAQIAO: make_assignment(other, DAQIAO),
    }
    return World(
        hall=hall,
        city=city,
        county=county,
        other=other,
        secretary=make_cadre(county, "黄书记", position="副大队长"),
        officer=make_cadre(county, "李民警"),
        city_officer=make_cadre(city, "陈民警"),
        other_cadre=make_cadre(other, "王干部"),
        assignments=assignments,
    )
