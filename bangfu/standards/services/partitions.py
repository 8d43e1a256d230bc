"""PostgreSQL: an evaluation run's verdicts are written into a table of their own, then attached
as the run's partition of `standards_verdict` (migration 0006).

Why: the table has three indexes besides `id`'s; maintaining them row by row while a
province's million verdicts are inserted cost more than computing the verdicts. A new table has
no index while it is filled, and `ATTACH PARTITION` builds each of the parent's indexes on it in
one sorted pass. The CHECK constraint on `run_id` lets PostgreSQL attach without scanning the
new table; the DEFAULT partition (verdicts without a run of their own, normally none) is scanned
to prove it holds none of this run's rows. Everything happens in the run's transaction: a failed
run leaves no table behind.

While the partition is attached the DEFAULT partition is locked briefly (index builds of the
new rows, a second or two for a province), so pages reading verdicts wait that long at most.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

TABLE = "standards_verdict"


def partition_name(run_id: int) -> str:
    return f"{TABLE}_r{int(run_id)}"


def available(run_id: int, year: int, region: str | None) -> bool:
    """True on PostgreSQL when the run is large enough to be worth a partition of its own, the
    table is partitioned and this run has no partition yet (a test database flushed and reused
    may still hold an attached partition for a reused id).

    Small runs (a village, a county: fewer than `BANGFU_VERDICT_PARTITION_MIN` surveys, default
    100,000) insert into the DEFAULT partition as before: every query not narrowed to one run
    (a household's verdicts) probes each partition's index, so partitions are kept for the
    province- or city-wide runs whose writing they speed up."""
    if connection.vendor != "postgresql":
        return False
    minimum = getattr(settings, "BANGFU_VERDICT_PARTITION_MIN", 100_000)
    if minimum > 0:
        from bangfu.core.scoping import region_q
        from bangfu.registry.models import Survey

        surveys = Survey.objects.filter(year=year)
        if region:
            surveys = surveys.filter(region_q("household__region", region))
        if surveys[:minimum].count() < minimum:
            return False
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relkind, to_regclass(%s) FROM pg_class c WHERE c.oid = to_regclass(%s)",
            [partition_name(run_id), TABLE],
        )
        row = cur.fetchone()
    return bool(row) and row[0] == "p" and row[1] is None


def create(cur, run_id: int) -> str:
    """An empty table shaped like the verdicts, accepting only this run's rows."""
    name = partition_name(run_id)
    cur.execute(
        f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS,"
        f" CONSTRAINT {name}_run CHECK (run_id IS NOT NULL AND run_id = {int(run_id)}))"
    )
    return name


def counts(cur, run_id: int) -> tuple[int, int]:
    """(verdicts, passed) of the run's table, in one pass."""
    cur.execute(f"SELECT count(*), count(*) FILTER (WHERE passed) FROM {partition_name(run_id)}")
    evaluated, passed = cur.fetchone()
    return int(evaluated), int(passed)


def attach(cur, run_id: int) -> None:
    name = partition_name(run_id)
    cur.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES IN ({int(run_id)})")


def create_as(cur, run_id: int, insert: tuple[str, list], reserve: int) -> str:
    """The run's table filled by `CREATE TABLE … AS SELECT` (which, unlike `INSERT … SELECT`,
    PostgreSQL may run with parallel workers), from the INSERT statement `Plan.insert` builds:
    the same SELECT, each column cast to the verdict table's type, ids `reserve`d from the
    table's sequence up front (a block as large as the surveys evaluated, so that concurrent
    inserts take ids after it), then the verdict table's NOT NULL and CHECK constraints and the
    run's own, which ATTACH requires — one ALTER, one pass over the table."""
    sql, params = insert
    head, select = sql.split(") SELECT ", 1)
    cols = [c.strip() for c in head.split("(", 1)[1].split(",")]
    cur.execute(
        "SELECT attname, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute"
        " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
        [TABLE],
    )
    columns = cur.fetchall()
    cur.execute(f"SELECT nextval('{TABLE}_id_seq')")
    (base,) = cur.fetchone()
    cur.execute(f"SELECT setval('{TABLE}_id_seq', %s)", [int(base) + int(reserve)])
    exprs = []
    for name, type_, _notnull in columns:
        if name == "id":
            exprs.append(f"CAST({int(base)} - 1 + row_number() OVER () AS {type_}) AS id")
        elif name in cols:
            exprs.append(f"CAST(x.{name} AS {type_}) AS {name}")
        else:
            exprs.append(f"CAST(NULL AS {type_}) AS {name}")
    table = partition_name(run_id)
    cur.execute(
        f"CREATE TABLE {table} AS SELECT {', '.join(exprs)}"
        f" FROM (SELECT {select}) AS x({', '.join(cols)})",
        params,
    )
    cur.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype = 'c'",
        [TABLE],
    )
    clauses = [f"ALTER COLUMN {name} SET NOT NULL" for name, _t, notnull in columns if notnull]
    clauses += [f'ADD CONSTRAINT "{n}" {d}' for n, d in cur.fetchall()]  # same names
    clauses.append(
        f"ADD CONSTRAINT {table}_run CHECK (run_id IS NOT NULL AND run_id = {int(run_id)})"
    )
    cur.execute(f"ALTER TABLE {table} {', '.join(clauses)}")
    return table
