"""Benchmark of the standards engine: `python bench/evaluate_standards.py [--households N]
[--database-url URL] [--standard CODE]`.

Generates, into its own database (a temp SQLite file, or a fresh PostgreSQL database
`bangfu_bench_std_<pid>` created and dropped through the `postgres` database of --database-url),
N households (default 20,000) in 100 villages of one county, each with 3 members and a 2020
survey with member facts (bulk_create; about three households in ten fail some item), then times
`services.evaluate.evaluate(CODE, 2020)` — compile, one query per province, bulk write of the
verdicts — and counts its queries. Kept out of the pytest suite; no audit entries are written
for the generated rows (they are benchmark data).
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

BENCH_DB = f"bangfu_bench_std_{os.getpid()}"
COUNTY = "451423"


def prepare_database(url: str | None, workdir: Path):
    if not url or url.startswith("sqlite"):
        return f"sqlite:///{workdir / 'bench.sqlite3'}", lambda: None
    import psycopg

    base = url.rsplit("/", 1)[0]
    admin_url = base + "/postgres"

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")

    drop()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return f"{base}/{BENCH_DB}", drop


def generate(n: int) -> None:
    from bangfu.regions.models import Region
    from bangfu.registry.models import Household, Member, MemberSurvey, Survey

    Region.objects.bulk_create(
        [
            Region(code="45", name="广西", level=1),
            Region(code="4514", name="崇左", level=2, parent_id="45"),
            Region(code=COUNTY, name="龙州县", level=3, parent_id="4514"),
            Region(code=f"{COUNTY}100", name="镇", level=4, parent_id=COUNTY),
        ]
        + [
            Region(code=f"{COUNTY}100{v:03d}", name=f"村{v}", level=5, parent_id=f"{COUNTY}100")
            for v in range(100)
        ]
    )
    households = [
        Household(
            household_no=f"{COUNTY}100{i % 100:03d}{i:07d}",
            region_id=f"{COUNTY}100{i % 100:03d}",
            category="ordinary",
            status="not_exited",
            registered_year=2015,
            main_cause="illness",
        )
        for i in range(n)
    ]
    Household.objects.bulk_create(households, batch_size=5000)
    households = list(Household.objects.order_by("pk"))
    surveys = []
    for i, h in enumerate(households):
        surveys.append(
            Survey(
                household=h,
                year=2020,
                farmland_mu=Decimal("2"),
                housing_safety="C" if i % 17 == 0 else "A",
                relocated=False,
                safe_water=i % 13 != 0,
                electricity=True,
                tv_access=True,
                road_hardened=True,
                food_clothing_secure=True,
                wage_income=Decimal(3000 if i % 11 == 0 else 15000),
                business_income=Decimal(0),
                property_income=Decimal(0),
                transfer_income=Decimal(0),
                business_expense=Decimal(0),
                household_size=3,
                net_income_per_capita=Decimal(1000 if i % 11 == 0 else 5000),
            )
        )
    Survey.objects.bulk_create(surveys, batch_size=5000)
    survey_ids = dict(Survey.objects.values_list("household_id", "pk"))
    members, facts = [], []
    for i, h in enumerate(households):
        for k in range(3):
            born = datetime.date(1975 + k * 15, 1 + k, 1 + i % 27)
            members.append(
                Member(
                    household=h,
                    name=f"成员{i}-{k}",
                    id_number=f"B{i * 3 + k:017d}",  # unique; not validated (bulk)
                    relation=["head", "spouse", "son"][k],
                    sex="male",
                    birth_date=born,
                )
            )
    Member.objects.bulk_create(members, batch_size=5000)
    for m in Member.objects.order_by("pk").values("pk", "household_id", "birth_date"):
        child = m["birth_date"].year >= 2005
        facts.append(
            MemberSurvey(
                survey_id=survey_ids[m["household_id"]],
                member_id=m["pk"],
                education="primary",
                schooling="dropped_out" if child and m["pk"] % 29 == 0 else "primary",
                health="healthy",
                labour_ability="ordinary",
                work_status="none",
                medical_insurance=m["pk"] % 31 != 0,
            )
        )
    MemberSurvey.objects.bulk_create(facts, batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--standard", default="cn-household")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = prepare_database(args.database_url, Path(tmp))
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
            generate(args.households)
            gen = time.perf_counter() - t0
            from bangfu.standards.services.evaluate import evaluate

            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                result = evaluate(args.standard, 2020)
                took = time.perf_counter() - t0
            passed = sum(r.passed for r in result.rows)
            print(
                f"{connection.vendor}: {args.households} households generated in {gen:.1f} s; "
                f"evaluate {args.standard} 2020: {took:.2f} s, {len(queries)} queries, "
                f"{result.evaluated} verdicts ({passed} passed), "
                f"{args.households / took:,.0f} households/s"
            )
        finally:
            connection.close()
            drop()


if __name__ == "__main__":
    main()
