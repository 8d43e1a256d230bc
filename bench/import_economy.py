"""Benchmark of the issue-4 imports that write set-based (`Layout.bulk_writer`), by round trip:
`python bench/import_economy.py [--households N] [--row-by-row M] [--database-url URL]
[--database-name NAME]`.

Migrates a fresh database (a temp SQLite file, or a fresh PostgreSQL database created and
dropped through the `postgres` database: `bangfu_bench_economy_<pid>` unless --database-name),
writes N households (default 20,000) in 200 villages with bulk inserts and what
bench/household_copies.py puts beside them — jobs for 40 % of the members, loans to one
household in ten, memberships for half of them, commitments for one in a hundred — plus one
2019 dividend per membership and twelve monthly payments per commitment; rebuilds the
maintained totals. Then, for memberships, dividends, jobs, loans and commitment payments:

1. exports each kind to CSV with its layout (`bangfu export-economy OUT.csv KIND`);
2. deletes them all (dependants first) and imports each file back as
   `bangfu import-economy KIND FILE` does (the layout's `bulk_writer`: set-based), timed;
   checks that every row came back and that `reconcile()` finds nothing;
3. deletes them again and imports the first M rows (default 2,000) of each file through the
   row-by-row path (the layout's `writer`), timed, for comparison.

Prints one line of figures per database (`KIND_rows`, `KIND_s`, `KIND_rows_per_s`,
`KIND_row_by_row_rows_per_s`). Not run in CI.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# imported in this order (a dividend names its membership), deleted in the reverse order
KINDS = ("memberships", "dividends", "jobs", "loans", "commitment_payments")


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / f"bench/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def add_dividends_and_payments() -> dict[str, int]:
    """One 2019 dividend per membership, twelve monthly payments per commitment (bulk)."""
    from bangfu.commitments.models import Commitment, CommitmentPayment
    from bangfu.cooperatives.models import Dividend, Membership
    from bangfu.core.imports import bulk

    members = list(Membership.objects.order_by("pk").values_list("pk", "cooperative_id"))
    bulk.insert(
        Dividend._meta.db_table,
        ["id", "cooperative_id", "membership_id", "year", "amount", "paid_on"],
        [
            (pk, coop, mid, 2019, 480, bulk.db_value(datetime.date(2020, 1, 20)))
            for pk, (mid, coop) in zip(
                bulk.allocate_ids(Dividend, len(members)), members, strict=True
            )
        ],
    )
    rows = []
    for c in Commitment.objects.order_by("pk"):
        for month in range(12):
            day = datetime.date(c.start_date.year + (c.start_date.month - 1 + month) // 12,
                                (c.start_date.month - 1 + month) % 12 + 1, 1)  # fmt: skip
            rows.append((c.pk, bulk.db_value(day), bulk.db_value(day), 1000, ""))
    ids = bulk.allocate_ids(CommitmentPayment, len(rows))
    bulk.insert(
        CommitmentPayment._meta.db_table,
        ["id", "commitment_id", "period_start", "date", "amount", "note"],
        [(pk, *row) for pk, row in zip(ids, rows, strict=True)],
    )
    return {"dividends": len(members), "commitment_payments": len(rows)}


def delete_all() -> None:
    from bangfu.funds.services.sheets import all_layouts

    layouts = all_layouts()
    for kind in reversed(KINDS):
        layouts[kind].model.objects.all().delete()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--row-by-row", type=int, default=2_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--database-name", default=os.environ.get("BANGFU_BENCH_DB", ""))
    args = parser.parse_args(argv)
    registry_bench = _load("import_registry")
    copies_bench = _load("household_copies")
    registry_bench.BENCH_DB = args.database_name or f"bangfu_bench_economy_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="bangfu-bench-") as tmp:
        url, drop = registry_bench.prepare_database(args.database_url or None, Path(tmp))
        os.environ["DATABASE_URL"] = url
        os.environ["BANGFU_VAR_DIR"] = str(Path(tmp) / "var")
        os.environ.setdefault("BANGFU_DEBUG", "0")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, transaction

        from bangfu.cooperatives.services.totals import rebuild_dividend_totals
        from bangfu.employment.services.totals import rebuild_job_totals
        from bangfu.funds.services import sheets
        from bangfu.funds.services.reconcile import reconcile

        try:
            call_command("migrate", verbosity=0)
            villages = registry_bench.make_regions()
            with transaction.atomic():
                counts = copies_bench.generate(args.households, villages)
                counts.update(add_dividends_and_payments())
                rebuild_job_totals()
                rebuild_dividend_totals()
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("ANALYZE")
            assert not reconcile(), [str(d) for d in reconcile()[:5]]
            layouts = sheets.all_layouts()
            files, expected = {}, {}
            for kind in KINDS:
                files[kind] = Path(tmp) / f"{kind}.csv"
                expected[kind] = sheets.write_export(
                    [(layouts[kind], None)], files[kind], "csv", None
                )[kind]
            delete_all()
            figures: dict = {"database": connection.vendor, "households": args.households}
            for kind in KINDS:
                t0 = time.perf_counter()
                result = sheets.import_sheet(files[kind], layouts[kind])
                seconds = time.perf_counter() - t0
                assert result.created == expected[kind], (kind, result.errors[:5])
                figures[f"{kind}_rows"] = expected[kind]
                figures[f"{kind}_s"] = round(seconds, 2)
                figures[f"{kind}_rows_per_s"] = round(expected[kind] / seconds)
            found = reconcile()
            assert not found, [str(d) for d in found[:5]]
            if args.row_by_row:
                delete_all()
                for kind in KINDS:
                    lines = files[kind].read_text(encoding="utf-8-sig").splitlines(keepends=True)
                    head = Path(tmp) / f"{kind}_head.csv"
                    head.write_text("".join(lines[: args.row_by_row + 1]), encoding="utf-8")
                    one_by_one = dataclasses.replace(layouts[kind], bulk_writer=None)
                    t0 = time.perf_counter()
                    result = sheets.import_sheet(head, one_by_one)
                    seconds = time.perf_counter() - t0
                    n = len(lines) - 1 if len(lines) - 1 < args.row_by_row else args.row_by_row
                    assert result.created == n, (kind, result.errors[:5])
                    figures[f"{kind}_row_by_row_rows_per_s"] = round(n / seconds)
            print(" ".join(f"{k}={v}" for k, v in figures.items()))
            return figures
        finally:
            connection.close()
            drop()


if __name__ == "__main__":
    main()
