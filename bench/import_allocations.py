"""Benchmark of the allocations import (`bangfu import-funds FILE --kind allocations`, the page
/funds/import/): `python bench/import_allocations.py [--rows N] [--row-by-row N]
[--households N] [--database-url URL] [--database-name NAME]`.

Migrates a fresh database (a temp SQLite file, or a fresh PostgreSQL database created and
dropped through the `postgres` database: `bangfu_bench_allocs_<pid>` unless --database-name),
writes --households households (default 20,000) in 200 villages of one county with bulk
inserts (bench/household_copies.py), a fund source of 1亿元 and a 危房改造 pool filled with 1亿元,
then a CSV of N allocations (default 50,000) to those households — four in five 补贴 from the
source, one in five 救助 from the pool, dates over 2020 — and times `import_funds(…)`:

- the set-based path (the layout's `bulk_writer`, what the command and the page run);
- with --row-by-row M (default 2,000), the first M rows of another such file through the
  row-by-row path (the layout's `writer`, one savepoint and a dozen queries a row), for
  comparison.

Checks that every row was written and that `reconcile()` finds nothing wrong with the
allocations, their totals, sources and pool. Prints one line of
figures (`…_s`, `…_rows_per_s`). Not run in CI.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / f"bench/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_file(path: Path, household_nos: list[str], rows: int, tag: str) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write("资金来源,资金池,拨付类型,户编号,金额,拨付日期,用途\n")
        for i in range(rows):
            no = household_nos[i % len(household_nos)]
            day = f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}"
            if i % 5 == 4:
                f.write(f",危房改造资金池,救助,{no},1500.00,{day},危房改造{tag}\n")
            else:
                f.write(f"压测资金,,补贴,{no},{800 + i % 400}.50,{day},产业补贴{tag}\n")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--row-by-row", type=int, default=2_000)
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--database-name", default=os.environ.get("BANGFU_BENCH_DB", ""))
    args = parser.parse_args(argv)
    registry_bench = _load("import_registry")
    copies_bench = _load("household_copies")
    registry_bench.BENCH_DB = args.database_name or f"bangfu_bench_allocs_{os.getpid()}"
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

        from bangfu.funds.models import Allocation
        from bangfu.funds.services import allocations, layouts, sheets
        from bangfu.funds.services.reconcile import reconcile
        from bangfu.funds.testing import fill_pool, make_pool, make_source
        from bangfu.registry.models import Household

        try:
            call_command("migrate", verbosity=0)
            villages = registry_bench.make_regions()
            with transaction.atomic():
                copies_bench.generate(args.households, villages)
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("ANALYZE")
            village = villages[0]
            make_source("100000000.00", region=village, name="压测资金")
            pool = make_pool(region=village, name="危房改造资金池")
            fill_pool(pool, "100000000.00", make_source("100000000.00", region=village))
            nos = list(Household.objects.order_by("pk").values_list("household_no", flat=True))
            path = Path(tmp) / "allocations.csv"
            write_file(path, nos, args.rows, "A")
            t0 = time.perf_counter()
            result = sheets.import_sheet(path, layouts.ALLOCATIONS)
            bulk_s = time.perf_counter() - t0
            assert result.created == args.rows, result.errors[:5]
            figures = {
                "database": connection.vendor,
                "households": args.households,
                "rows": args.rows,
                "set_based_s": round(bulk_s, 2),
                "set_based_rows_per_s": round(args.rows / bulk_s),
            }
            if args.row_by_row:
                one_by_one = dataclasses.replace(layouts.ALLOCATIONS, bulk_writer=None)
                path = Path(tmp) / "allocations_b.csv"
                write_file(path, nos, args.row_by_row, "B")
                t0 = time.perf_counter()
                result = sheets.import_sheet(path, one_by_one)
                rows_s = time.perf_counter() - t0
                assert result.created == args.row_by_row, result.errors[:5]
                figures["row_by_row_rows"] = args.row_by_row
                figures["row_by_row_s"] = round(rows_s, 2)
                figures["row_by_row_rows_per_s"] = round(args.row_by_row / rows_s)
            # (the generated jobs and memberships bypass their yearly totals: not checked here)
            money = ("allocation_totals", "source_overspent", "pool_balance", "pool_entry")
            found = [d for d in reconcile() if d.kind in money]
            assert not found, [str(d) for d in found[:5]]
            assert Allocation.objects.count() == args.rows + args.row_by_row
            assert allocations.source_remaining(pool.entries.get(direction="in").source) == 0
            print(" ".join(f"{k}={v}" for k, v in figures.items()))
            return figures
        finally:
            connection.close()
            drop()


if __name__ == "__main__":
    main()
