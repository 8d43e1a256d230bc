"""Poverty incidence (贫困发生率, standards.md "Poverty incidence"), indicator `poverty_incidence`.

For a region (any level) and a year, per village of its subtree, in one GROUP BY query over the
registry:

- numerator `poor`: members of households whose status at the end of the year is 未脱贫 — the
  status of the household's latest `StatusChange` dated on or before 31 December; a household
  with no status history at all counts with its current status once its registered year has come;
- `exited`: members of households with a change to 已脱贫 dated in the year (reported beside it);
- denominator: `rural_population` of the village's `VillageYear` (default), or the registered
  population of the registry (members of every household of the village registered by then).

Sums go upwards from villages; a village without facts for the year has no denominator: it is
reported as such ("无村情数据") and left out of both sums of the regions above it (its poor
persons are reported as `poor_without_facts`), never a division by zero.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr

from bangfu.core.scoping import region_q
from bangfu.regions.choices import LEVEL_LENGTH, Level
from bangfu.regions.models import VillageYear
from bangfu.registry.choices import Status
from bangfu.registry.models import Household, Member, StatusChange

RURAL_POPULATION = "rural_population"
REGISTRY_POPULATION = "registry_population"
DENOMINATORS = (RURAL_POPULATION, REGISTRY_POPULATION)
VILLAGE_LEN = LEVEL_LENGTH[Level.VILLAGE]


@dataclass
class Incidence:
    """The figures of one area (a village or a sum of villages)."""

    code: str
    poor: int = 0  # persons in households 未脱贫 at the end of the year
    exited: int = 0  # persons in households exited during the year
    population: int | None = None  # the denominator; None: no village facts
    villages: int = 0  # villages with a denominator
    villages_without_facts: list[str] = field(default_factory=list)
    poor_without_facts: int = 0

    @property
    def rate(self) -> Decimal | None:
        """Percent, 2 decimals; None without a denominator (never a division by zero)."""
        if not self.population:
            return None
        value = Decimal(self.poor) * 100 / Decimal(self.population)
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def exact_rate(self) -> Decimal | None:
        if not self.population:
            return None
        return Decimal(self.poor) * 100 / Decimal(self.population)

    def add(self, other: Incidence) -> None:
        self.villages_without_facts += other.villages_without_facts
        self.poor_without_facts += other.poor_without_facts
        if other.population is None:
            if len(other.code) == VILLAGE_LEN:  # a village without facts
                self.villages_without_facts.append(other.code)
                self.poor_without_facts += other.poor
            return
        self.poor += other.poor
        self.exited += other.exited
        self.population = (self.population or 0) + other.population
        self.villages += other.villages


def end_of_year_status(year: int):
    """The household's status at the end of `year` as an SQL expression over Household."""
    last = (
        StatusChange.objects.filter(household=OuterRef("pk"), date__lte=datetime.date(year, 12, 31))
        .order_by("-date", "-id")
        .values("status")[:1]
    )
    no_history = ~Exists(StatusChange.objects.filter(household=OuterRef("pk")))
    return Case(
        When(no_history & Q(registered_year__lte=year), then="status"),
        default=Subquery(last),
    )


def _members():
    sub = (
        Member.objects.filter(household=OuterRef("pk"))
        .order_by()
        .values("household")
        .annotate(c=Count("pk"))
        .values("c")[:1]
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def village_figures(
    year: int, region: str = "", denominator: str = RURAL_POPULATION, households=None
) -> dict[str, Incidence]:
    """{village code: Incidence} for every village of the subtree that has households or
    facts. `households` (default all) may be a user-scoped Household queryset."""
    if denominator not in DENOMINATORS:
        raise ValueError(denominator)
    qs = households if households is not None else Household.objects.all()
    if region:
        qs = qs.filter(region_q("region", region))
    exited_in_year = StatusChange.objects.filter(
        household=OuterRef("pk"), status=Status.EXITED, date__year=year
    )
    rows = (
        qs.annotate(
            _v=Substr("region_id", 1, VILLAGE_LEN),
            _st=end_of_year_status(year),
            _m=_members(),
            _ex=Exists(exited_in_year),
        )
        .values("_v")
        .annotate(
            poor=Sum(Case(When(_st=Status.NOT_EXITED, then="_m"), default=Value(0))),
            exited=Sum(Case(When(_ex=True, then="_m"), default=Value(0))),
            registered=Sum(Case(When(registered_year__lte=year, then="_m"), default=Value(0))),
        )
        .order_by()
    )
    out: dict[str, Incidence] = {}
    registered: dict[str, int] = {}
    for r in rows:
        out[r["_v"]] = Incidence(r["_v"], poor=r["poor"] or 0, exited=r["exited"] or 0)
        registered[r["_v"]] = r["registered"] or 0
    facts = VillageYear.objects.filter(year=year)
    if region:
        facts = facts.filter(region_q("region", region))
    with_facts = dict(facts.values_list("region_id", "rural_population"))
    for code in with_facts:
        out.setdefault(code, Incidence(code))
    for code, item in out.items():
        if denominator == REGISTRY_POPULATION:
            item.population, item.villages = registered.get(code, 0), 1
        elif code in with_facts:
            item.population, item.villages = with_facts[code], 1
        # else: no facts, no denominator (shown as 无村情数据)
    return out


def incidence_by_prefix(
    year: int,
    region: str,
    prefix_len: int | None,
    denominator: str = RURAL_POPULATION,
    households=None,
) -> tuple[Incidence, dict[str, Incidence]]:
    """(the region's total, {child code: its total}) with children cut at `prefix_len`
    (None: no children, e.g. for a village)."""
    villages = village_figures(year, region, denominator, households)
    total = Incidence(region)
    children: dict[str, Incidence] = {}
    for code, item in sorted(villages.items()):
        total.add(item)
        if prefix_len and len(code) >= prefix_len:
            key = code[:prefix_len]
            child = children.setdefault(key, Incidence(key))
            if prefix_len == VILLAGE_LEN:
                children[key] = item
            else:
                child.add(item)
    if len(region) == VILLAGE_LEN:
        total = villages.get(region, Incidence(region))
    return total, children
