"""Benchmark of poverty incidence and the village/county standards: `python
bench/village_evaluation.py [--households N] [--database-url URL]`.

Uses the data of bench/evaluate_standards.py (N households, default 20,000, in 100 villages of one
county, 3 members each, a 2020 survey with member facts), adds a status history per household
(建档立卡 2015; 97 % exited in 2019) and village facts 2020 for the 100 villages, then times
`indicators.services.incidence.village_figures(2020, county)` and
`standards.services.evaluate_region.evaluate_region(CODE, 2020)` for cn-village, gx-village and
gx-county (each with writing its verdicts), counting queries. Kept out of the pytest suite.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import evaluate_standards as base  # noqa: E402


def add_history_and_facts() -> None:
    from bangfu.regions.models import VillageYear
    from bangfu.registry.models import Household, StatusChange

    ids = list(Household.objects.order_by("pk").values_list("pk", flat=True))
    changes = []
    exited = []
    for i, pk in enumerate(ids):
        changes.append(
            StatusChange(household_id=pk, date=datetime.date(2015, 10, 1), status="not_exited")
        )
        if i % 33 != 0:
            exited.append(pk)
            changes.append(
                StatusChange(
                    household_id=pk,
                    date=datetime.date(2019, 11, 20),
                    status="exited",
                    previous_status="not_exited",
                )
            )
    StatusChange.objects.bulk_create(changes, batch_size=5000)
    Household.objects.filter(pk__in=exited).update(status="exited")
    villages = sorted({f"{base.COUNTY}100{v:03d}" for v in range(100)})
    VillageYear.objects.bulk_create(
        [
            VillageYear(
                region_id=code,
                year=2020,
                rural_population=3000,
                featured_industry=True,
                road_to_village_hardened=True,
                clinic_with_doctor=True,
                public_service_venue=True,
                broadband=True,
                collective_income=Decimal(50000),
                committee_rated_good=True,
            )
            for code in villages
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = base.prepare_database(args.database_url, Path(tmp))
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        try:
            call_command("migrate", verbosity=0)
            t0 = time.perf_counter()
            base.generate(args.households)
            add_history_and_facts()
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("ANALYZE")  # as autovacuum would after a bulk load
            gen = time.perf_counter() - t0
            print(f"{connection.vendor}: {args.households} households generated in {gen:.1f} s")
            from bangfu.indicators.services.incidence import incidence_by_prefix
            from bangfu.standards.services.evaluate_region import evaluate_region

            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                total, _children = incidence_by_prefix(2020, base.COUNTY, 12)
                took = time.perf_counter() - t0
            print(
                f"  incidence {base.COUNTY} 2020 by village: {took:.2f} s, {len(queries)} "
                f"queries — {total.poor} poor of {total.population} = {total.rate} %"
            )
            for code in ("cn-village", "gx-village", "gx-county"):
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    result = evaluate_region(code, 2020)
                    took = time.perf_counter() - t0
                passed = sum(r.passed for r in result.rows)
                print(
                    f"  evaluate {code} 2020: {took:.2f} s, {len(queries)} queries, "
                    f"{result.evaluated} verdicts ({passed} passed)"
                )
                if os.environ.get("BENCH_SLOW_QUERIES"):
                    for q in queries.captured_queries:
                        if float(q["time"]) > 0.2:
                            print(f"    {q['time']} s: {q['sql'][:300]}")
        finally:
            connection.close()
            drop()


if __name__ == "__main__":
    main()
