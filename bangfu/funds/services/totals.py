"""Maintained totals of money out and money in: `AllocationTotal` (allocations) and
`SourceTotal` (fund sources), each a count and cents per county, month and kind, so a county's,
city's or province's figures card reads a few hundred rows instead of every record under it;
and beside each its companion per DAY (`AllocationDayTotal`, `SourceDayTotal`), which the card
reads for the partial months at the ends of a period (2020-06-10 – 2020-07-20: the days
06-10…06-30 and 07-01…07-20), so no period makes it read the records.
Both pairs share this one mechanism: a `Table` names the month and day totals tables and the
records table they sum (`ALLOCATIONS`, `SOURCES`); every function takes it (allocations by
default) and writes both tables of the pair.

Written in the same transaction as the record write that changes them, always as set-based
upserts that ADD a delta to a key:

    INSERT INTO funds_allocationtotal (county, month, kind, count, amount_cents) …
    ON CONFLICT (county, month, kind) DO UPDATE
        SET count = funds_allocationtotal.count + excluded.count, …

(SQLite ≥ 3.24 and PostgreSQL alike). Two transactions adding to the same key on PostgreSQL both
count: the second waits for the first's row lock, then adds to the committed row. Keys are
written in sorted order, so two writers touching several keys cannot deadlock.

Who calls it: `save()` / `.delete()` of `Allocation` and `FundSource` (`models.TotalledModel`:
old key minus, new key plus; every page, API call, import row, demo and service goes through
them) and their querysets' `bulk_create`, `update` and `delete` (`models.TotalledQuerySet`:
deltas from one GROUP BY over the affected rows). Raw SQL that writes `funds_allocation` or
`funds_fundsource` (the benchmarks) calls `rebuild()` afterwards, which rebuilds every table.
`differences()` compares a table with a GROUP BY of its records (`bangfu reconcile-funds`,
`allocation_totals` and `source_totals`); `rebuild()` recomputes the tables in one transaction
(`bangfu reconcile-funds --rebuild-totals`).

The key: `county` = the first 6 characters of the record's region code (the county; a region
above county level keeps its own, shorter code — the region prefix `LIKE 'P%'` of any P of 6
characters or fewer then selects exactly the records under P), `month` = the first day of
the record's month (month tables), `day` = the record's date (day tables). A day table holds at
most one row per county, day and kind, so for a province it is far smaller than the records;
the month table stays because an open period over years would read ~365 times as many rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction

from bangfu.core.scoping import prefix_range
from bangfu.core.yeartotals import (
    COUNTY_LENGTH,
    cents_sql,
    county_sql,
)  # shared with the yearly totals

CHUNK = 500  # keys or ids per statement (5 parameters a key: far below SQLite's limit)

Key = tuple[str, datetime.date, str]


MONTH, DAY = "month", "day"  # the grains: each is also the name of its table's date column


@dataclass(frozen=True)
class Table:
    """A pair of maintained totals tables — per month (`name`) and per day (`day_name`) — and
    the records they sum (the records have `region`, `date`, `kind` and `amount`)."""

    name: str  # the month totals table
    day_name: str  # the day totals table
    records: str  # the records table
    label: str  # the month totals model's app label, for `apps.get_model` and the audit
    day_label: str  # the same of the day totals model

    def table(self, grain: str) -> str:
        return self.name if grain == MONTH else self.day_name

    def upsert(self, grain: str) -> str:
        name = self.table(grain)
        return (
            f" ON CONFLICT (county, {grain}, kind) DO UPDATE SET count = {name}.count"
            f" + excluded.count, amount_cents = {name}.amount_cents + excluded.amount_cents"
        )

    def model(self, grain: str = MONTH):
        from django.apps import apps

        return apps.get_model(self.label if grain == MONTH else self.day_label)


ALLOCATIONS = Table(
    "funds_allocationtotal",
    "funds_allocationdaytotal",
    "funds_allocation",
    "funds.allocationtotal",
    "funds.allocationdaytotal",
)
SOURCES = Table(
    "funds_sourcetotal",
    "funds_sourcedaytotal",
    "funds_fundsource",
    "funds.sourcetotal",
    "funds.sourcedaytotal",
)
TABLES = (ALLOCATIONS, SOURCES)


def month_sql(column: str) -> str:
    """SQL for the first day of the month of the date `column`."""
    if connection.vendor == "sqlite":
        return f"date({column}, 'start of month')"
    return f"CAST(date_trunc('month', {column}) AS date)"


def grain_sql(grain: str, column: str = "date") -> str:
    """SQL for the key date of the date `column` at this grain."""
    return month_sql(column) if grain == MONTH else column


def key_of(region_id: str, date, kind: str) -> Key:
    """The DAY key of a record; `apply` rolls day keys up into month keys."""
    if isinstance(date, str):
        date = datetime.date.fromisoformat(date)
    if isinstance(date, datetime.datetime):
        date = date.date()
    return (str(region_id)[:COUNTY_LENGTH], date, str(kind))


def cents(amount) -> int:
    return int((Decimal(str(amount)) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def apply(deltas: dict[Key, tuple[int, int]], table: Table = ALLOCATIONS) -> None:
    """Add (count, cents) to each DAY key in the day table and to the month keys they roll up
    to in the month table: one upsert statement per `CHUNK` keys, the month table first, each
    in key order (every writer takes its row locks in the same order: no deadlock)."""
    by_month: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for (county, day, kind), (n, amount) in deltas.items():
        m = by_month[(county, day.replace(day=1), kind)]
        m[0] += n
        m[1] += amount
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for grain, keyed in ((MONTH, by_month), (DAY, deltas)):
            rows = sorted((k, tuple(v)) for k, v in keyed.items() if tuple(v) != (0, 0))
            for chunk in _chunks(rows):
                values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
                params: list = []
                for (county, date, kind), (n, amount) in chunk:
                    params += [county, adapt(date), kind, n, amount]
                cursor.execute(
                    f"INSERT INTO {table.table(grain)} (county, {grain}, kind, count, "
                    f"amount_cents) VALUES {values}{table.upsert(grain)}",
                    params,
                )


def change(old: tuple | None, new: tuple | None, table: Table = ALLOCATIONS) -> None:
    """One record changed from `old` to `new`, each `(region_id, date, kind, amount)` or None
    (created: old is None; deleted: new is None)."""
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for values, sign in ((old, -1), (new, 1)):
        if values is None:
            continue
        region_id, date, kind, amount = values
        d = deltas[key_of(region_id, date, kind)]
        d[0] += sign
        d[1] += sign * cents(amount)
    apply({k: (n, c) for k, (n, c) in deltas.items()}, table)


def add_objects(records: Iterable, sign: int = 1, table: Table = ALLOCATIONS) -> None:
    """Add (or with sign=-1 subtract) in-memory records, grouped by key first."""
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for a in records:
        d = deltas[key_of(a.region_id, a.date, a.kind)]
        d[0] += sign
        d[1] += sign * cents(a.amount)
    apply({k: (n, c) for k, (n, c) in deltas.items()}, table)


def add_ids(ids: list, sign: int = 1, table: Table = ALLOCATIONS) -> None:
    """Add (or subtract) the records with these ids as they are now in the database: one
    `INSERT … SELECT … GROUP BY … ON CONFLICT` per `CHUNK` ids."""
    if sign not in (1, -1):
        raise ValueError("sign is 1 or -1")
    with connection.cursor() as cursor:
        for chunk in _chunks(list(ids)):
            marks = ", ".join(["%s"] * len(chunk))
            for grain in (MONTH, DAY):
                cursor.execute(
                    f"INSERT INTO {table.table(grain)} (county, {grain}, kind, count, "
                    f"amount_cents) SELECT {county_sql()}, {grain_sql(grain)}, kind, "
                    f"{sign} * COUNT(*), {sign} * SUM({cents_sql('amount')}) "
                    f"FROM {table.records} WHERE id IN ({marks}) "
                    f"GROUP BY 1, 2, 3 ORDER BY 1, 2, 3{table.upsert(grain)}",
                    chunk,
                )


def _records_sql(table: Table, where: str = "1 = 1", grain: str = MONTH) -> str:
    return (
        f"SELECT {county_sql()} AS county, {grain_sql(grain)} AS {grain}, kind, "
        f"COUNT(*) AS n, SUM({cents_sql('amount')}) AS cents FROM {table.records} "
        f"WHERE {where} GROUP BY 1, 2, 3"
    )


def rebuild(tables: Iterable[Table] = TABLES) -> dict[str, int]:
    """Recompute every total of these pairs (all of them by default) in one transaction: the
    day table from the records (one GROUP BY), the month table from the day table;
    `{totals table: number of keys}`. One audit entry per totals table says who rebuilt it and
    how many keys it held before and after (the tables are derived: their rows are not audited
    one by one, the records are)."""
    from bangfu.core import audit
    from bangfu.core.choices import AuditAction

    keys: dict[str, int] = {}
    with transaction.atomic():
        for table in tables:
            for grain in (DAY, MONTH):
                name = table.table(grain)
                if grain == DAY:
                    records = _records_sql(table, grain=DAY)
                    select = f"SELECT county, day, kind, n, cents FROM ({records}) r"
                else:
                    select = (
                        f"SELECT county, {month_sql('day')}, kind, SUM(count), SUM(amount_cents) "
                        f"FROM {table.day_name} GROUP BY 1, 2, 3"
                    )
                with connection.cursor() as cursor:
                    if connection.vendor == "postgresql":
                        # Writers upsert under ROW EXCLUSIVE: they wait for the rebuild, which
                        # then reads every record committed before it (READ COMMITTED, per
                        # statement).
                        cursor.execute(f"LOCK TABLE {name} IN EXCLUSIVE MODE")
                    cursor.execute(f"DELETE FROM {name}")
                    before = cursor.rowcount
                    cursor.execute(
                        f"INSERT INTO {name} (county, {grain}, kind, count, amount_cents) {select}"
                    )
                    after = cursor.rowcount
                label = table.label if grain == MONTH else table.day_label
                audit.entry(
                    AuditAction.UPDATE,
                    label,
                    "*",
                    str(table.model(grain)._meta.verbose_name),
                    label,
                    "*",
                    {"keys": before},
                    {"keys": after},
                ).save()
                keys[name] = after
    return keys


def differences(region: str = "", table: Table = ALLOCATIONS) -> list[tuple]:
    """Keys where the month or the day totals differ from the records, in one query that reads
    the records once (grouped by day; the month side rolls those groups up):
    `(grain, county, month or day, kind, total count, total cents, record count, record cents)`,
    the month keys first. `region` (a code prefix) restricts both sides to its county (or the
    region itself when it is a county or above): totals are kept per county."""
    prefix = region[:COUNTY_LENGTH]
    where_t, where_r, params = "1 = 1", "1 = 1", []
    if prefix:  # a prefix as an index range (core.scoping.prefix_range), not LIKE
        low, high = prefix_range(prefix)
        where_t = "county >= %s AND county < %s"
        where_r = "region_id >= %s AND region_id < %s"
        params = [low, high] * 3
    sides: list[str] = []
    for grain in (MONTH, DAY):
        key = grain_sql(grain, "day")
        sides.append(f"""
        SELECT '{grain}' AS grain, county, {grain} AS date, kind, SUM(tn), SUM(tc), SUM(rn), SUM(rc)
        FROM (
            SELECT county, {grain}, kind, count AS tn, amount_cents AS tc, 0 AS rn, 0 AS rc
            FROM {table.table(grain)} WHERE {where_t}
            UNION ALL
            SELECT county, {key}, kind, 0, 0, n, cents FROM r
        ) both_sides
        GROUP BY county, {grain}, kind
        HAVING SUM(tn) <> SUM(rn) OR SUM(tc) <> SUM(rc)""")
    sql = (
        f"WITH r AS ({_records_sql(table, where_r, DAY)}) "
        f"SELECT * FROM ({sides[0]}) m UNION ALL SELECT * FROM ({sides[1]}) d "
        "ORDER BY 1 DESC, 2, 3, 4"
    )
    # (the same range three times: the records in the WITH, then each side's totals)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out = []
    for grain, county, date, kind, tn, tc, rn, rc in rows:
        if isinstance(date, str):
            date = datetime.date.fromisoformat(date[:10])
        out.append((grain, county, date, kind, int(tn), int(tc), int(rn), int(rc)))
    return out
