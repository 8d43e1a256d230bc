"""Maintained totals of money out and money in: `AllocationTotal` (allocations) and
`SourceTotal` (fund sources), each a count and cents per county, month and kind, so a county's,
city's or province's figures card reads a few hundred rows instead of every record under it.
Both tables share this one mechanism: a `Table` names the totals table and the records table it
sums (`ALLOCATIONS`, `SOURCES`); every function takes it (allocations by default).

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
the record's month.
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


@dataclass(frozen=True)
class Table:
    """A maintained totals table and the records it sums (both models have `region`, `date`,
    `kind` and `amount`)."""

    name: str  # the totals table
    records: str  # the records table
    label: str  # the totals model's app label, for `apps.get_model` and the audit

    @property
    def upsert(self) -> str:
        return (
            f" ON CONFLICT (county, month, kind) DO UPDATE SET count = {self.name}.count"
            f" + excluded.count, amount_cents = {self.name}.amount_cents + excluded.amount_cents"
        )

    def model(self):
        from django.apps import apps

        return apps.get_model(self.label)


ALLOCATIONS = Table("funds_allocationtotal", "funds_allocation", "funds.allocationtotal")
SOURCES = Table("funds_sourcetotal", "funds_fundsource", "funds.sourcetotal")
TABLES = (ALLOCATIONS, SOURCES)


def month_sql(column: str) -> str:
    """SQL for the first day of the month of the date `column`."""
    if connection.vendor == "sqlite":
        return f"date({column}, 'start of month')"
    return f"CAST(date_trunc('month', {column}) AS date)"


def key_of(region_id: str, date, kind: str) -> Key:
    if isinstance(date, str):
        date = datetime.date.fromisoformat(date)
    if isinstance(date, datetime.datetime):
        date = date.date()
    return (str(region_id)[:COUNTY_LENGTH], date.replace(day=1), str(kind))


def cents(amount) -> int:
    return int((Decimal(str(amount)) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def apply(deltas: dict[Key, tuple[int, int]], table: Table = ALLOCATIONS) -> None:
    """Add (count, cents) to each key: one upsert statement per `CHUNK` keys, in key order."""
    rows = sorted((k, v) for k, v in deltas.items() if v != (0, 0))
    if not rows:
        return
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            params: list = []
            for (county, month, kind), (n, amount) in chunk:
                params += [county, adapt(month), kind, n, amount]
            cursor.execute(
                f"INSERT INTO {table.name} (county, month, kind, count, amount_cents) "
                f"VALUES {values}{table.upsert}",
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
            cursor.execute(
                f"INSERT INTO {table.name} (county, month, kind, count, amount_cents) "
                f"SELECT {county_sql()}, {month_sql('date')}, kind, {sign} * COUNT(*), "
                f"{sign} * SUM({cents_sql('amount')}) FROM {table.records} "
                f"WHERE id IN ({marks}) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3{table.upsert}",
                chunk,
            )


def _records_sql(table: Table, where: str = "1 = 1") -> str:
    return (
        f"SELECT {county_sql()} AS county, {month_sql('date')} AS month, kind, "
        f"COUNT(*) AS n, SUM({cents_sql('amount')}) AS cents FROM {table.records} "
        f"WHERE {where} GROUP BY 1, 2, 3"
    )


def rebuild(tables: Iterable[Table] = TABLES) -> dict[str, int]:
    """Recompute every total of these tables (all of them by default) from the records in one
    transaction; `{totals table: number of keys}`. One audit entry per table says who rebuilt it
    and how many keys it held before and after (the tables are derived: their rows are not
    audited one by one, the records are)."""
    from bangfu.core import audit
    from bangfu.core.choices import AuditAction

    keys: dict[str, int] = {}
    with transaction.atomic():
        for table in tables:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # Writers upsert under ROW EXCLUSIVE: they wait for the rebuild, which then
                    # reads every record committed before it (READ COMMITTED, per statement).
                    cursor.execute(f"LOCK TABLE {table.name} IN EXCLUSIVE MODE")
                cursor.execute(f"DELETE FROM {table.name}")
                before = cursor.rowcount
                cursor.execute(
                    f"INSERT INTO {table.name} (county, month, kind, count, amount_cents) "
                    f"SELECT county, month, kind, n, cents FROM ({_records_sql(table)}) r"
                )
                after = cursor.rowcount
            audit.entry(
                AuditAction.UPDATE,
                table.label,
                "*",
                str(table.model()._meta.verbose_name),
                table.label,
                "*",
                {"keys": before},
                {"keys": after},
            ).save()
            keys[table.name] = after
    return keys


def differences(region: str = "", table: Table = ALLOCATIONS) -> list[tuple]:
    """Keys where the totals differ from the records, in one query:
    `(county, month, kind, total count, total cents, record count, record cents)`.
    `region` (a code prefix) restricts both sides to its county (or the region itself when it is
    a county or above): totals are kept per county."""
    prefix = region[:COUNTY_LENGTH]
    where_t, where_r, params = "1 = 1", "1 = 1", []
    if prefix:  # a prefix as an index range (core.scoping.prefix_range), not LIKE
        low, high = prefix_range(prefix)
        where_t = "county >= %s AND county < %s"
        where_r = "region_id >= %s AND region_id < %s"
        params = [low, high, low, high]
    sql = f"""
        SELECT county, month, kind, SUM(tn), SUM(tc), SUM(rn), SUM(rc) FROM (
            SELECT county, month, kind, count AS tn, amount_cents AS tc, 0 AS rn, 0 AS rc
            FROM {table.name} WHERE {where_t}
            UNION ALL
            SELECT county, month, kind, 0, 0, n, cents FROM ({_records_sql(table, where_r)}) r
        ) both_sides
        GROUP BY county, month, kind
        HAVING SUM(tn) <> SUM(rn) OR SUM(tc) <> SUM(rc)
        ORDER BY county, month, kind
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out = []
    for county, month, kind, tn, tc, rn, rc in rows:
        if isinstance(month, str):
            month = datetime.date.fromisoformat(month[:10])
        out.append((county, month, kind, int(tn), int(tc), int(rn), int(rc)))
    return out
