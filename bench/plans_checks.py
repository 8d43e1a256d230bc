"""Benchmark of the plans app's set-based queries: `python bench/plans_checks.py [--plans N]
[--database-url URL]`.

Migrates a fresh database (as bench/import_registry.py does), generates N plans over the 200
villages of one county, each with 3 measures (kinds, costs, due dates over 2016–2020, ~70 %
completed, some cancelled, the rest overdue or due later) and assigned to one of 50 units, then
times, as a county user (region scope):

- the overdue-measures check as the coverage page runs it: the count and the first 100 rows;
- the check's full CSV export (every row, iterated in chunks);
- the unit figures of one unit (1/50 of the plans) for 2019;
- the plan list's progress annotation (`with_progress`) for one page of 25 plans.

Prints one line of figures per query. Kept out of the pytest suite.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.import_registry import make_regions, prepare_database  # noqa: E402


def generate(plans: int, villages: list[str], seed: int = 7) -> int:
    from bangfu.assistance.models import Unit
    from bangfu.plans.choices import MeasureKind, MeasureStatus, PlanStatus
    from bangfu.plans.models import Measure, Plan

    rnd = random.Random(seed)
    units = [Unit(name=f"单位{i}", kind="government", path="") for i in range(50)]
    Unit.objects.bulk_create(units)
    for u in units:
        Unit.objects.filter(pk=u.pk).update(path=f"/{u.pk}/")
    start, end = datetime.date(2016, 1, 1), datetime.date(2020, 12, 31)
    kinds = list(MeasureKind.values)
    batch = 5000
    made = 0
    for first in range(0, plans, batch):
        rows = [
            Plan(
                title=f"计划{i}",
                village_id=(v := villages[i % len(villages)]),
                region_id=v,
                unit_id=units[i % len(units)].pk,
                start_date=start,
                end_date=end,
                target_income_per_capita=Decimal(5000),
                status=PlanStatus.ACTIVE,
            )
            for i in range(first, min(plans, first + batch))
        ]
        Plan.objects.bulk_create(rows)
        measures = []
        for plan in rows:
            for _ in range(3):
                due = start + datetime.timedelta(days=rnd.randint(0, (end - start).days))
                r = rnd.random()
                status, done = MeasureStatus.PLANNED, None
                if r < 0.7:
                    status, done = MeasureStatus.COMPLETED, due
                elif r < 0.75:
                    status = MeasureStatus.CANCELLED
                measures.append(
                    Measure(
                        plan=plan,
                        kind=rnd.choice(kinds),
                        description="措施",
                        cost=Decimal(rnd.randrange(0, 100) * 100),
                        due_date=due,
                        status=status,
                        done_date=done,
                    )
                )
        Measure.objects.bulk_create(measures, batch_size=5000)
        made += len(measures)
    return made


def timed(label: str, fn, runs: int = 3) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best, result, queries = None, None, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - t
        queries = len(ctx.captured_queries)
        best = elapsed if best is None else min(best, elapsed)
    line = {"query": label, "best_s": round(best, 3), "queries": queries, "result": result}
    print(line, flush=True)
    return line


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bangfu-bench-") as tmp:
        workdir = Path(tmp)
        url, drop = prepare_database(args.database_url, workdir)
        os.environ["DATABASE_URL"] = url
        os.environ["BANGFU_VAR_DIR"] = str(workdir / "var")
        os.environ.setdefault("BANGFU_DEBUG", "0")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        try:
            call_command("migrate", verbosity=0)
            villages = make_regions()
            t = time.perf_counter()
            measures = generate(args.plans, villages)
            print(
                {
                    "generated_plans": args.plans,
                    "measures": measures,
                    "s": round(time.perf_counter() - t, 1),
                },
                flush=True,
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("ANALYZE")
            return run_queries()
        finally:
            connection.close()
            drop()


def run_queries() -> list[dict]:
    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User
    from bangfu.assistance.models import Unit
    from bangfu.core.checks import get_check
    from bangfu.core.figures import Period
    from bangfu.plans.figures import plan_figures
    from bangfu.plans.models import Plan
    from bangfu.plans.services.progress import with_progress
    from bangfu.registry.models import Household

    user = User.objects.create(username="county", role=Role.COUNTY, region_id="451423")
    check = get_check("overdue_measures")

    def page():
        rows = check.rows(user, {})
        return rows.count(), len([check.row(m) for m in rows[:100]])

    def export():
        return sum(1 for m in check.rows(user, {}).iterator(chunk_size=2000) if check.export_row(m))

    unit = Unit.objects.order_by("pk").first()

    def figures():
        section = plan_figures(
            Unit.objects.filter(path__startswith=unit.path).values("pk"),
            user,
            Period(datetime.date(2019, 1, 1), datetime.date(2019, 12, 31)),
        )
        return sum(1 for f in section.figures if f.value)

    def progress():
        plans = with_progress(Plan.objects.for_user(user), Household.objects.for_user(user))
        return len(list(plans.order_by("region_id", "-start_date", "pk")[:25]))

    return [
        timed("overdue check: count + 100 rows", page),
        timed("overdue check: CSV rows", export, runs=1),
        timed("unit figures (1 of 50 units, 2019)", figures),
        timed("plan list page: progress of 25 plans", progress),
    ]


if __name__ == "__main__":
    main()
