"""Benchmark of the household copies (bangfu/registry/copies.py): `python bench/household_copies.py
[--households N] [--changed N] [--database-url URL] [--database-name NAME]`.

Migrates a fresh database (a temp SQLite file, or a fresh PostgreSQL database created and
dropped through the `postgres` database: `bangfu_bench_copies_<pid>` unless --database-name),
writes N households (default 100,000) in 200 villages with two members each, jobs for 40 % of
the members, loans to one household in ten, memberships for half of them and a commitment for
one in a hundred — copies filled —, then moves --changed households (default 10,000) to another
village (a random sample) and makes every second one of them 一般农户 with a plain UPDATE, and times:

- `on_households_changed` for those households (the work an edit or an import adds);
- `check_household_copies()` over every row (all in step: the nightly check);
- a corrupted copy on every job of those households, then `rebuild_household_copies()`.

Prints one line of figures. Not run in CI (about a minute at 100,000 households).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _import_bench():
    spec = importlib.util.spec_from_file_location("import_bench", REPO / "bench/import_registry.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generate(households: int, villages: list[str]) -> dict[str, int]:
    """Households, members and the four kinds of records, copies filled (bulk inserts)."""
    import datetime

    from django.utils import timezone

    from bangfu.commitments.models import Commitment
    from bangfu.cooperatives.models import Cooperative, Membership
    from bangfu.core.imports import bulk
    from bangfu.credit.models import Loan, LoanProduct
    from bangfu.employment.models import Job
    from bangfu.registry.models import Household, Member

    now = bulk.db_value(timezone.now())
    day = datetime.date(2019, 3, 1)
    hids = bulk.allocate_ids(Household, households)
    region = {hid: villages[i % len(villages)] for i, hid in enumerate(hids)}
    bulk.insert(
        Household._meta.db_table,
        [
            "id", "household_no", "region_id", "group_name", "category", "status",
            "registered_year", "exit_year", "main_cause", "other_causes", "phone", "version",
            "created", "updated",
        ],
        [
            (hid, f"B{hid:09d}", region[hid], "", "ordinary", "not_exited", 2015, None,
             "illness", "", "", 1, now, now)
            for hid in hids
        ],
    )  # fmt: skip
    mids = bulk.allocate_ids(Member, 2 * households)
    member_household = {mid: hids[i // 2] for i, mid in enumerate(mids)}
    bulk.insert(
        Member._meta.db_table,
        ["id", "household_id", "name", "id_number", "relation", "sex", "birth_date", "ethnicity"],
        [
            (mid, hid, f"成员{mid}", f"B{mid:017d}", "head" if i % 2 == 0 else "spouse",
             "male", datetime.date(1970, 1, 1), "")
            for i, (mid, hid) in enumerate(member_household.items())
        ],
    )  # fmt: skip
    job_members = [mid for i, mid in enumerate(mids) if i % 5 < 2]
    bulk.insert(
        Job._meta.db_table,
        ["id", "member_id", "kind", "employer", "agreement_id", "year", "months", "income",
         "start_date", "end_date", "region_id"],
        [
            (jid, mid, "nearby", "某用工单位", None, 2019, 10, 30000, day, None,
             region[member_household[mid]])
            for jid, mid in zip(bulk.allocate_ids(Job, len(job_members)), job_members, strict=True)
        ],
    )  # fmt: skip
    product = LoanProduct.objects.create(
        name="半夏贷", bank="农业银行", region_id="451423", max_amount=50000, term_months=36
    )
    loaned = hids[::10]
    bulk.insert(
        Loan._meta.db_table,
        ["id", "household_id", "product_id", "amount", "date", "term_months", "purpose",
         "repayment", "repaid_date", "region_id"],
        [
            (lid, hid, product.pk, 30000, day, 36, "种植", "current", None, region[hid])
            for lid, hid in zip(bulk.allocate_ids(Loan, len(loaned)), loaned, strict=True)
        ],
    )  # fmt: skip
    coops = {
        v: Cooperative.objects.create(name=f"{v}合作社", village_id=v, industry="herbs").pk
        for v in villages
    }
    members = hids[::2]
    bulk.insert(
        Membership._meta.db_table,
        ["id", "cooperative_id", "household_id", "name", "shares", "joined", "left", "poor"],
        [
            (pk, coops[region[hid]], hid, "", 1000, day, None, True)
            for pk, hid in zip(bulk.allocate_ids(Membership, len(members)), members, strict=True)
        ],
    )  # fmt: skip
    promised = hids[::100]
    bulk.insert(
        Commitment._meta.db_table,
        ["id", "household_id", "member_id", "unit_id", "donor", "purpose", "amount", "period",
         "start_date", "end_date", "end_event", "event_date", "region_id"],
        [
            (pk, hid, None, None, "信用社", "助学", 1000, "monthly", day, None, "", None,
             region[hid])
            for pk, hid in zip(bulk.allocate_ids(Commitment, len(promised)), promised, strict=True)
        ],
    )  # fmt: skip
    return {
        "households": households,
        "jobs": len(job_members),
        "loans": len(loaned),
        "memberships": len(members),
        "commitments": len(promised),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--changed", type=int, default=10_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--database-name", default=os.environ.get("BANGFU_BENCH_DB", ""))
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args(argv)
    bench = _import_bench()
    bench.BENCH_DB = args.database_name or f"bangfu_bench_copies_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="bangfu-bench-") as tmp:
        url, drop = bench.prepare_database(args.database_url or None, Path(tmp))
        os.environ["DATABASE_URL"] = url
        os.environ["BANGFU_VAR_DIR"] = str(Path(tmp) / "var")
        os.environ.setdefault("BANGFU_DEBUG", "0")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, transaction

        from bangfu.employment.models import Job
        from bangfu.registry.copies import (
            check_household_copies,
            on_households_changed,
            rebuild_household_copies,
        )
        from bangfu.registry.models import Household

        try:
            call_command("migrate", verbosity=0)
            villages = bench.make_regions()
            t0 = time.perf_counter()
            with transaction.atomic():
                counts = generate(args.households, villages)
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("ANALYZE")
            generate_s = time.perf_counter() - t0
            everyone = list(Household.objects.order_by("pk").values_list("pk", flat=True))
            ids = sorted(random.Random(7).sample(everyone, min(args.changed, len(everyone))))
            moved_to = villages[-1]
            Household.objects.filter(pk__in=ids).update(region_id=moved_to)
            Household.objects.filter(pk__in=ids[::2]).update(category="non_poor")
            t0 = time.perf_counter()
            changed_rows = on_households_changed(ids)
            changed_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            check = check_household_copies()
            check_s = time.perf_counter() - t0
            assert not any(check.values()), check
            Job.objects.filter(member__household__in=ids).update(region_id=villages[0])
            t0 = time.perf_counter()
            rebuilt = rebuild_household_copies()
            rebuild_s = time.perf_counter() - t0
            assert not any(check_household_copies().values())
            figures = {
                "database": connection.vendor,
                **counts,
                "generate_s": round(generate_s, 1),
                "changed_households": len(ids),
                "changed_rows": changed_rows,
                "on_households_changed_ms": round(changed_s * 1000),
                "check_ms": round(check_s * 1000),
                "rebuilt_rows": sum(rebuilt.values()),
                "rebuild_ms": round(rebuild_s * 1000),
            }
        finally:
            connection.close()
            if not args.keep:
                drop()
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    return figures


if __name__ == "__main__":
    main()
