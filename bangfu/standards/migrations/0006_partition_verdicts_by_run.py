"""PostgreSQL only: `standards_verdict` becomes a table partitioned by LIST (run_id), one
partition per evaluation run, plus a DEFAULT partition for verdicts without a run (or whose
run has no partition of its own).

Why: writing a million verdicts with `INSERT … SELECT` into the indexed table cost about 14 s of
a 23 s province run (index maintenance row by row); writing them into a new, index-free table and
attaching it (`services/partitions.py`) builds the indexes in one sorted pass each — the whole run
took about 10 s in the same measurement (docs/benchmarks.md, "Standards evaluation").

A partitioned table cannot have a primary key or unique index without the partition column, so
`id` keeps its sequence default and a plain index: ids still come from one sequence and stay
unique, but the database no longer enforces it. The existing rows are moved over; index names
are kept so later migrations can address them. SQLite is left as it is.
"""

from django.db import migrations

TABLE = "standards_verdict"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname <> %s",
            [TABLE, f"{TABLE}_pkey"],
        )
        indexes = cur.fetchall()
        old = f"{TABLE}_unpartitioned"
        cur.execute(f"ALTER TABLE {TABLE} RENAME TO {old}")
        for name, _definition in indexes:
            cur.execute(f'ALTER INDEX "{name}" RENAME TO "{name}_old"')
        # LIKE copies the columns (id without its identity), NOT NULL and CHECK constraints
        cur.execute(
            f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING CONSTRAINTS) PARTITION BY LIST (run_id)"
        )
        cur.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        cur.execute(f"CREATE INDEX {TABLE}_id ON {TABLE} (id)")
        for _name, definition in indexes:
            cur.execute(definition)  # the same name and columns, now on the partitioned table
        # each existing run gets its partition (so attaching later runs scans no big DEFAULT)
        cur.execute(f"SELECT DISTINCT run_id FROM {old} WHERE run_id IS NOT NULL")
        for (run_id,) in cur.fetchall():
            cur.execute(
                f"CREATE TABLE {TABLE}_r{int(run_id)} PARTITION OF {TABLE}"
                f" FOR VALUES IN ({int(run_id)})"
            )
        cur.execute(f"INSERT INTO {TABLE} SELECT * FROM {old}")
        cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {TABLE}")
        (start,) = cur.fetchone()
        cur.execute(f"DROP TABLE {old}")  # and its identity sequence
        cur.execute(f"CREATE SEQUENCE {TABLE}_id_seq START WITH {int(start)} OWNED BY {TABLE}.id")
        cur.execute(
            f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq'::regclass)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    raise migrations.exceptions.IrreversibleError(
        "standards_verdict stays partitioned (move the rows to a plain table by hand)"
    )


class Migration(migrations.Migration):
    atomic = True
    dependencies = [("standards", "0005_region_verdict_run")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
