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


def attach(cur, run_id: int) -> None:
    name = partition_name(run_id)
    cur.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES IN ({int(run_id)})")
