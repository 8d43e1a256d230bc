"""Zones (战区 / 作战单元) and responsibility chains (包村 → 包组 → 包户)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bangfu.core.audit import entry
from bangfu.core.choices import AuditAction

from ..choices import ResponsibilityLevel as L
from ..models import Cadre, Responsibility, Zone
from .pairings import responsible_cadre
from .records import create, end
from .rules import VILLAGE_CODE_LENGTH, active_q, household_village


def create_zone(name: str, region, parent: Zone | None = None, commander=None) -> Zone:
    return create(Zone, name=name, region=region, parent=parent, commander=commander)


@transaction.atomic
def set_villages(zone: Zone, villages: Iterable) -> None:
    """Replace the zone's villages (all in the zone's county), with one audit entry."""
    codes = sorted({getattr(v, "pk", v) for v in villages})
    wrong = [c for c in codes if len(c) != VILLAGE_CODE_LENGTH or not c.startswith(zone.region_id)]
    if wrong:
        raise ValidationError(
            {"villages": _("以下区划不是本县的村：%(codes)s") % {"codes": "、".join(wrong)}}
        )
    before = sorted(zone.villages.values_list("pk", flat=True))
    if before == codes:
        return
    zone.villages.set(codes)
    entry(
        AuditAction.UPDATE,
        zone._meta.label_lower,
        zone.pk,
        str(zone),
        zone._meta.label_lower,
        zone.pk,
        {"villages": before},
        {"villages": codes},
    ).save()


def assign_responsibility(
    zone: Zone,
    level: str,
    cadre: Cadre,
    start_date: datetime.date,
    region=None,
    household=None,
    end_date: datetime.date | None = None,
) -> Responsibility:
    return create(
        Responsibility,
        zone=zone,
        level=L(level),
        cadre=cadre,
        region=region,
        household=household,
        start_date=start_date,
        end_date=end_date,
    )


def end_responsibility(resp: Responsibility, end_date: datetime.date) -> Responsibility:
    return end(resp, end_date)


@dataclass(frozen=True)
class Link:
    """One level of a responsibility chain: who answers for what."""

    level: str
    cadre: Cadre | None
    zone: Zone | None = None
    region: object | None = None
    household: object | None = None
    source: str = "responsibility"  # or "commander" / "pairing"


def responsibility_chain(household, date: datetime.date) -> list[Link]:
    """Who answers for `household` on `date`, top to bottom: the commander of each zone from the
    battle zone down to the combat unit, then 包村, 包组 (when the household is in a group) and
    包户 (a household responsibility, else the paired cadre). A level with nobody is left out.

    Zone-level responsibilities (a deputy commander for a period) take precedence over the zone's
    standing commander. A handful of queries whatever the data size.
    """
    village = household_village(household)
    group = household.region_id if len(household.region_id) > VILLAGE_CODE_LENGTH else None
    containing = list(
        Zone.objects.filter(villages=village).select_related("commander", "parent__commander")
    )
    # The innermost zone holding the village (a combat unit rather than its battle zone).
    parents = {z.parent_id for z in containing}
    zone = next((z for z in sorted(containing, key=lambda z: z.pk) if z.pk not in parents), None)
    links: list[Link] = []
    if zone is None:
        cadre = responsible_cadre(household, date)
        return [Link(L.HOUSEHOLD, cadre, household=household, source="pairing")] if cadre else []
    zones = [*zone.ancestors(), zone]
    resps = list(
        Responsibility.objects.filter(active_q(date), zone__in=zones)
        .filter(
            _level_q(L.ZONE)
            | _level_q(L.VILLAGE, region_id=village)
            | _level_q(L.GROUP, region_id=group)
            | _level_q(L.HOUSEHOLD, household_id=household.pk)
        )
        .select_related("cadre")
        .order_by("start_date")
    )
    by_zone = {r.zone_id: r for r in resps if r.level == L.ZONE}
    for z in zones:
        if z.pk in by_zone:
            links.append(Link(L.ZONE, by_zone[z.pk].cadre, zone=z))
        elif z.commander_id:
            links.append(Link(L.ZONE, z.commander, zone=z, source="commander"))
    for level in (L.VILLAGE, L.GROUP):
        found = [r for r in resps if r.level == level]
        if found:
            links.append(Link(level, found[-1].cadre, zone=found[-1].zone, region=found[-1].region))
    own = [r for r in resps if r.level == L.HOUSEHOLD]
    if own:
        links.append(Link(L.HOUSEHOLD, own[-1].cadre, zone=own[-1].zone, household=household))
    else:
        cadre = responsible_cadre(household, date)
        if cadre is not None:
            links.append(Link(L.HOUSEHOLD, cadre, household=household, source="pairing"))
    return links


def _level_q(level: str, **target) -> Q:
    """Responsibilities of `level` for the given target; nothing when the target is missing."""
    if any(v is None for v in target.values()):
        return Q(pk__in=[])
    return Q(level=level, **target)


@dataclass
class GroupNode:
    group: object  # a Region (村民小组)
    deputies: list  # 包组 responsibilities
    households: list  # 包户 responsibilities of households in the group


@dataclass
class VillageNode:
    village: object
    chiefs: list  # 包村 responsibilities
    groups: list[GroupNode]
    households: list  # 包户 responsibilities of households registered at village level


@dataclass
class ZoneTree:
    zone: Zone
    commanders: list[Link]  # the zone-level responsibility running on the date, else the commander
    villages: list[VillageNode]
    combat_units: list[Zone]


def zone_tree(zone: Zone, date: datetime.date, responsibilities=None, regions=None) -> ZoneTree:
    """The zone's chain on `date` as a tree: commander → 包村 per village → 包组 per group →
    包户, from the responsibilities of the zone and its combat units running on that date.
    `responsibilities` is the base queryset — pass `Responsibility.objects.for_user(user)` so a
    page shows only the rows in the user's scope — and `regions` likewise
    (`Region.objects.for_user(user)`) limits the villages shown. Four queries whatever the
    zone's size."""
    if responsibilities is None:
        responsibilities = Responsibility.objects.all()
    combat_units = list(zone.combat_units.select_related("commander").order_by("name"))
    villages = zone.villages.order_by("code")
    if regions is not None:
        villages = villages.filter(pk__in=regions.values("pk"))
    villages = list(villages)
    resps = list(
        responsibilities.filter(active_q(date), zone__in=[zone, *combat_units])
        .select_related("cadre", "region", "household__region")
        .order_by("start_date", "pk")
    )
    commanders = [Link(L.ZONE, r.cadre, zone=zone) for r in resps if r.level == L.ZONE]
    commanders = [c for c in commanders if c.zone.pk == zone.pk] or (
        [Link(L.ZONE, zone.commander, zone=zone, source="commander")] if zone.commander_id else []
    )
    nodes = {v.pk: VillageNode(v, [], [], []) for v in villages}
    groups: dict[str, GroupNode] = {}
    for r in resps:
        # a household-level row follows its household's current region (see Responsibility)
        region = r.household.region if r.level == L.HOUSEHOLD else r.region
        code = region.pk if region is not None else ""
        village = nodes.get(code[:VILLAGE_CODE_LENGTH])
        if village is None:
            continue
        if r.level == L.VILLAGE:
            village.chiefs.append(r)
        elif r.level in (L.GROUP, L.HOUSEHOLD) and len(code) > VILLAGE_CODE_LENGTH:
            node = groups.get(code)
            if node is None:
                node = groups[code] = GroupNode(region, [], [])
                village.groups.append(node)
            if r.level == L.GROUP:
                node.deputies.append(r)
            else:
                node.households.append(r)
        elif r.level == L.HOUSEHOLD:
            village.households.append(r)
    for node in nodes.values():
        node.groups.sort(key=lambda g: g.group.pk)
    return ZoneTree(zone, commanders, list(nodes.values()), combat_units)


@dataclass
class HouseholdResponsibles:
    """Who answers for a household on a date, at every level (the household page)."""

    assignments: list  # Assignment rows of the village running on the date (unit, backing unit)
    first_secretaries: list  # Posting rows (first secretary) of the village on the date
    chain: list[Link]  # zone commander(s), 包村, 包组, 包户 (responsibilities only)
    paired: Cadre | None  # the cadre paired with the household (结对帮扶责任人)


def household_responsibles(household, date: datetime.date) -> HouseholdResponsibles:
    """Assisting units of the household's village (with the responsible backing unit), its first
    secretary, the responsibility chain and the paired cadre — on `date`. About six queries
    whatever the county's size (the chain's zones nest a level or two)."""
    from ..choices import PostingRole
    from ..models import Assignment, Posting

    village = household_village(household)
    assignments = list(
        Assignment.objects.filter(active_q(date), village_id=village)
        .select_related("unit", "backing_unit")
        .order_by("start_date", "pk")
    )
    secretaries = list(
        Posting.objects.filter(active_q(date), village_id=village, role=PostingRole.FIRST_SECRETARY)
        .select_related("cadre")
        .order_by("start_date", "pk")
    )
    chain = responsibility_chain(household, date)
    paired = next((link.cadre for link in chain if link.source == "pairing"), None)
    chain = [link for link in chain if link.source != "pairing"]
    if paired is None and chain:
        paired = responsible_cadre(household, date)
    return HouseholdResponsibles(assignments, secretaries, chain, paired)
