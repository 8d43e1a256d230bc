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

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    OuterRef,
    Q,
    Subquery,
    When,
)

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


def village_figures(
    year: int,
    region: str = "",
    denominator: str = RURAL_POPULATION,
    households=None,
    facts=None,
) -> dict[str, Incidence]:
    """{village code: Incidence} for every village of the subtree that has households or
    facts. `households` (default all) and `facts` (default all `VillageYear`) may be
    user-scoped querysets."""
    if denominator not in DENOMINATORS:
        raise ValueError(denominator)
    qs = households if households is not None else Household.objects.all()
    if region:
        qs = qs.filter(region_q("region", region))
    rows = _household_rows(qs, year)
    out: dict[str, Incidence] = {}
    registered: dict[str, int] = {}
    for code, poor, exited, registered_members in rows:
        out[code] = Incidence(code, poor=int(poor or 0), exited=int(exited or 0))
        registered[code] = int(registered_members or 0)
    facts = (facts if facts is not None else VillageYear.objects.all()).filter(year=year)
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


def _household_rows(households, year: int) -> list[tuple]:
    """(village code, poor, exited, registered) per village of the households: one statement.

    Set-based with hash joins, no per-household subquery: each household's last status change
    on or before 31 December (ROW_NUMBER over its changes), whether it has any history, whether
    it exited during the year and its number of members are derived tables over the scoped
    households, joined once and summed per village."""
    ops = connection.ops
    h = ops.quote_name(Household._meta.db_table)
    sc = ops.quote_name(StatusChange._meta.db_table)
    m = ops.quote_name(Member._meta.db_table)
    scope_sql, scope_params = households.order_by().values("pk").query.sql_with_params()
    end = ops.adapt_datefield_value(datetime.date(year, 12, 31))
    start = ops.adapt_datefield_value(datetime.date(year, 1, 1))
    sql = f"""
        SELECT SUBSTR(hh.region_id, 1, {VILLAGE_LEN}) AS v,
            SUM(CASE WHEN COALESCE(
                    last.status,
                    CASE WHEN hist.household_id IS NULL AND hh.registered_year <= %s
                         THEN hh.status END
                ) = %s THEN COALESCE(mc.n, 0) ELSE 0 END),
            SUM(CASE WHEN ex.household_id IS NOT NULL THEN COALESCE(mc.n, 0) ELSE 0 END),
            SUM(CASE WHEN hh.registered_year <= %s THEN COALESCE(mc.n, 0) ELSE 0 END)
        FROM {h} hh
        LEFT JOIN (
            SELECT r.household_id, r.status FROM (
                SELECT s1.household_id, s1.status, ROW_NUMBER() OVER (
                    PARTITION BY s1.household_id ORDER BY s1.date DESC, s1.id DESC) AS rn
                FROM {sc} s1 WHERE s1.date <= %s AND s1.household_id IN ({scope_sql})
            ) r WHERE r.rn = 1
        ) last ON last.household_id = hh.id
        LEFT JOIN (
            SELECT DISTINCT s2.household_id FROM {sc} s2 WHERE s2.household_id IN ({scope_sql})
        ) hist ON hist.household_id = hh.id
        LEFT JOIN (
            SELECT DISTINCT s3.household_id FROM {sc} s3
            WHERE s3.status = %s AND s3.date >= %s AND s3.date <= %s
              AND s3.household_id IN ({scope_sql})
        ) ex ON ex.household_id = hh.id
        LEFT JOIN (
            SELECT mm.household_id, COUNT(*) AS n FROM {m} mm
            WHERE mm.household_id IN ({scope_sql}) GROUP BY mm.household_id
        ) mc ON mc.household_id = hh.id
        WHERE hh.id IN ({scope_sql})
        GROUP BY SUBSTR(hh.region_id, 1, {VILLAGE_LEN})
    """
    scope = list(scope_params)
    params = [
        year,
        Status.NOT_EXITED,
        year,
        end,
        *scope,
        *scope,
        Status.EXITED,
        start,
        end,
        *scope,
        *scope,
        *scope,
    ]
    if connection.vendor == "sqlite":
        # SQLite joins those derived tables by scanning them (quadratic: 150 s for 20,000
        # households); its correlated subqueries on the household_id indexes take 0.6 s.
        sql, params = _household_rows_correlated(h, sc, m, scope_sql, scope, year, start, end)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _household_rows_correlated(h, sc, m, scope_sql, scope, year, start, end):
    """The same figures with one correlated subquery per household and fact, computed once in
    a derived table (the plan SQLite executes best)."""
    sql = f"""
        SELECT t.v, SUM(CASE WHEN t.st = %s THEN t.n ELSE 0 END),
               SUM(CASE WHEN t.ex = 1 THEN t.n ELSE 0 END),
               SUM(CASE WHEN t.registered_year <= %s THEN t.n ELSE 0 END)
        FROM (
            SELECT SUBSTR(hh.region_id, 1, {VILLAGE_LEN}) AS v, hh.registered_year,
                COALESCE(
                    (SELECT s1.status FROM {sc} s1
                     WHERE s1.household_id = hh.id AND s1.date <= %s
                     ORDER BY s1.date DESC, s1.id DESC LIMIT 1),
                    CASE WHEN hh.registered_year <= %s
                              AND NOT EXISTS (SELECT 1 FROM {sc} s2 WHERE s2.household_id = hh.id)
                         THEN hh.status END
                ) AS st,
                CASE WHEN EXISTS (
                    SELECT 1 FROM {sc} s3 WHERE s3.household_id = hh.id AND s3.status = %s
                    AND s3.date >= %s AND s3.date <= %s) THEN 1 ELSE 0 END AS ex,
                (SELECT COUNT(*) FROM {m} mm WHERE mm.household_id = hh.id) AS n
            FROM {h} hh
            WHERE hh.id IN ({scope_sql})
        ) t
        GROUP BY t.v
    """
    params = [Status.NOT_EXITED, year, end, year, Status.EXITED, start, end, *scope]
    return sql, params


def incidence_by_prefix(
    year: int,
    region: str,
    prefix_len: int | None,
    denominator: str = RURAL_POPULATION,
    households=None,
    facts=None,
) -> tuple[Incidence, dict[str, Incidence]]:
    """(the region's total, {child code: its total}) with children cut at `prefix_len`
    (None: no children, e.g. for a village)."""
    villages = village_figures(year, region, denominator, households, facts)
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


def households_behind(households, year: int, kind: str):
    """The households behind a figure, for the page that lists them: `poor` — status 未脱贫 at
    the end of `year` (the numerator), `exited` — a change to 已脱贫 dated in `year`."""
    if kind == "exited":
        exited = StatusChange.objects.filter(
            household=OuterRef("pk"), status=Status.EXITED, date__year=year
        )
        return households.filter(Exists(exited))
    return households.annotate(_st=end_of_year_status(year)).filter(_st=Status.NOT_EXITED)
