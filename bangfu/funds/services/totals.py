"""Maintained allocation totals (`AllocationTotal`): count and cents per county, month and kind,
so a county's, city's or province's figures card reads a few hundred rows instead of every
allocation under it.

Written in the same transaction as the allocation write that changes them, always as set-based
upserts that ADD a delta to a key:

    INSERT INTO funds_allocationtotal (county, month, kind, count, amount_cents) …
    ON CONFLICT (county, month, kind) DO UPDATE
        SET count = funds_allocationtotal.count + excluded.count, …

(SQLite ≥ 3.24 and PostgreSQL alike). Two transactions adding to the same key on PostgreSQL both
count: the second waits for the first's row lock, then adds to the committed row. Keys are
written in sorted order, so two writers touching several keys cannot deadlock.

Who calls it: `Allocation.save()` / `.delete()` (old key minus, new key plus: every page, API
call, import row, demo and the spending services go through them) and `AllocationQuerySet`'s
`bulk_create`, `update` and `delete` (deltas from one GROUP BY over the affected rows). Raw SQL
that writes `funds_allocation` (the benchmarks) calls `rebuild()` afterwards.
`check()` compares the totals with a GROUP BY of the records (`bangfu reconcile-funds`,
`allocation_totals`); `rebuild()` recomputes the table in one transaction
(`bangfu reconcile-funds --rebuild-totals`).

The key: `county` = the first 6 characters of the allocation's region code (the county; a region
above county level keeps its own, shorter code — the region prefix `LIKE 'P%'` of any P of 6
characters or fewer then selects exactly the allocations under P), `month` = the first day of
the allocation's month.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction

from bangfu.core.scoping import prefix_range

TABLE = "funds_allocationtotal"
COUNTY_LENGTH = 6
CHUNK = 500  # keys or ids per statement (5 parameters a key: far below SQLite's limit)

Key = tuple[str, datetime.date, str]

_UPSERT = (
    f" ON CONFLICT (county, month, kind) DO UPDATE SET count = {TABLE}.count + excluded.count,"
    f" amount_cents = {TABLE}.amount_cents + excluded.amount_cents"
)


def month_sql(column: str) -> str:
    """SQL for the first day of the month of the date `column`."""
    if connection.vendor == "sqlite":
        return f"date({column}, 'start of month')"
    return f"CAST(date_trunc('month', {column}) AS date)"


def cents_sql(column: str) -> str:
    """SQL for an amount column (yuan, two places) as exact whole cents."""
    if connection.vendor == "sqlite":  # decimals are stored as floating point numbers
        return f"CAST(ROUND({column} * 100) AS INTEGER)"
    return f"CAST({column} * 100 AS bigint)"


def county_sql(column: str = "region_id") -> str:
    return f"SUBSTR({column}, 1, {COUNTY_LENGTH})"


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


def apply(deltas: dict[Key, tuple[int, int]]) -> None:
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
                f"INSERT INTO {TABLE} (county, month, kind, count, amount_cents) "
                f"VALUES {values}{_UPSERT}",
                params,
            )


def change(old: tuple | None, new: tuple | None) -> None:
    """One allocation changed from `old` to `new`, each `(region_id, date, kind, amount)` or None
    (created: old is None; deleted: new is None)."""
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for values, sign in ((old, -1), (new, 1)):
        if values is None:
            continue
        region_id, date, kind, amount = values
        d = deltas[key_of(region_id, date, kind)]
        d[0] += sign
        d[1] += sign * cents(amount)
    apply({k: (n, c) for k, (n, c) in deltas.items()})


def add_objects(allocations: Iterable, sign: int = 1) -> None:
    """Add (or with sign=-1 subtract) in-memory allocations, grouped by key first."""
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for a in allocations:
        d = deltas[key_of(a.region_id, a.date, a.kind)]
        d[0] += sign
        d[1] += sign * cents(a.amount)
    apply({k: (n, c) for k, (n, c) in deltas.items()})


def add_ids(ids: list, sign: int = 1) -> None:
    """Add (or subtract) the allocations with these ids as they are now in the database: one
    `INSERT … SELECT … GROUP BY … ON CONFLICT` per `CHUNK` ids."""
    if sign not in (1, -1):
        raise ValueError("sign is 1 or -1")
    with connection.cursor() as cursor:
        for chunk in _chunks(list(ids)):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {TABLE} (county, month, kind, count, amount_cents) "
                f"SELECT {county_sql()}, {month_sql('date')}, kind, {sign} * COUNT(*), "
                f"{sign} * SUM({cents_sql('amount')}) FROM funds_allocation "
                f"WHERE id IN ({marks}) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3{_UPSERT}",
                chunk,
            )


def _records_sql(where: str = "1 = 1") -> str:
    return (
        f"SELECT {county_sql()} AS county, {month_sql('date')} AS month, kind, "
        f"COUNT(*) AS n, SUM({cents_sql('amount')}) AS cents FROM funds_allocation "
        f"WHERE {where} GROUP BY 1, 2, 3"
    )


def rebuild() -> int:
    """Recompute every total from the records in one transaction; the number of keys. One audit
    entry says who rebuilt the table and how many keys it held before and after (the table is
    derived: its rows are not audited one by one, the allocations are)."""
    from bangfu.core import audit
    from bangfu.core.choices import AuditAction

    from ..models import AllocationTotal

    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Writers upsert under ROW EXCLUSIVE: they wait for the rebuild, which then
                # reads every allocation committed before it (READ COMMITTED, per statement).
                cursor.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
            cursor.execute(f"DELETE FROM {TABLE}")
            before = cursor.rowcount
            cursor.execute(
                f"INSERT INTO {TABLE} (county, month, kind, count, amount_cents) "
                f"SELECT county, month, kind, n, cents FROM ({_records_sql()}) r"
            )
            after = cursor.rowcount
        label = "funds.allocationtotal"
        audit.entry(
            AuditAction.UPDATE,
            label,
            "*",
            str(AllocationTotal._meta.verbose_name),
            label,
            "*",
            {"keys": before},
            {"keys": after},
        ).save()
    return after


def differences(region: str = "") -> list[tuple]:
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
            FROM {TABLE} WHERE {where_t}
            UNION ALL
            SELECT county, month, kind, 0, 0, n, cents FROM ({_records_sql(where_r)}) r
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
