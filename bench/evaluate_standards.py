"""Benchmark of the standards engine: `python bench/evaluate_standards.py [--households N]
[--database-url URL] [--standard CODE]`.

Generates, into its own database (a temp SQLite file, or a fresh PostgreSQL database
`bangfu_bench_std_<pid>` created and dropped through the `postgres` database of --database-url),
N households (default 20,000) in 1,000 villages of ten counties, each with 3 members and a 2020
survey with member facts (bulk SQL INSERT … SELECT over a generated series, not the ORM; about
three households in ten fail some item; ANALYZE afterwards), then times the floor — a bare
`SELECT count(*)` of the passing households over the same tables, joins and predicates — and
`services.evaluate.evaluate(CODE, 2020)` — compile, one INSERT … SELECT per province, counts —
and prints both and their ratio. Kept out of the pytest suite; no audit entries are written
for the generated rows (they are benchmark data).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
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


def _series(vendor: str, n: int) -> tuple[str, str]:
    """(prefix, FROM source) giving the integers 0 … n−1 as `n.i`."""
    if vendor == "postgresql":
        return "", f"generate_series(0, {n - 1}) AS n(i)"
    return (
        f"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {n - 1}) ",
        "n",
    )


def _pad(vendor: str, expr: str, width: int) -> str:
    if vendor == "postgresql":
        return f"lpad(({expr})::text, {width}, '0')"
    return f"printf('%0{width}d', {expr})"


def generate(n: int) -> None:
    """Bulk SQL (INSERT … SELECT over a series): 10 counties × 100 villages, n households of 3
    members, a 2020 survey each with member facts. About three in ten households fail an item."""
    from django.db import connection

    from bangfu.regions.models import Region

    vendor = connection.vendor
    regions = [
        Region(code="45", name="广西", level=1),
        Region(code="4514", name="崇左", level=2, parent_id="45"),
    ]
    for c in range(1, 11):
        county = f"4514{c:02d}"
        regions.append(Region(code=county, name=f"县{c}", level=3, parent_id="4514"))
        regions.append(Region(code=f"{county}100", name="镇", level=4, parent_id=county))
        regions += [
            Region(code=f"{county}100{v:03d}", name=f"村{v}", level=5, parent_id=f"{county}100")
            for v in range(100)
        ]
    Region.objects.bulk_create(regions)
    # households of a village are contiguous (as in a registry imported village by village)
    v = f"((i * 1000) / {n})"
    village = (
        f"'4514' || {_pad(vendor, f'{v} / 100 + 1', 2)} || '100' || {_pad(vendor, f'{v} % 100', 3)}"
    )
    child_born = (
        "date '2005-01-01' + ((i * 7) % 5000)"
        if vendor == "postgresql"
        else "date('2005-01-01', '+' || ((i * 7) % 5000) || ' days')"
    )
    with connection.cursor() as cur:
        pre, src = _series(vendor, n)
        cur.execute(
            f"{pre}INSERT INTO registry_household (id, household_no, group_name, category, status,"
            " registered_year, exit_year, main_cause, other_causes, phone, version, created,"
            f" updated, region_id) SELECT i + 1, {village} || {_pad(vendor, 'i', 7)}, '',"
            "  'ordinary', 'not_exited', 2015, NULL, 'illness', '', '', 1, CURRENT_TIMESTAMP,"
            f" CURRENT_TIMESTAMP, {village} FROM {src}"
        )
        cur.execute(
            f"{pre}INSERT INTO registry_survey (id, household_id, year, farmland_mu,"
            " housing_safety, relocated, safe_water, electricity, tv_access, road_hardened,"
            " food_clothing_secure, wage_income, business_income, property_income,"
            " transfer_income, business_expense, household_size, net_income_per_capita)"
            " SELECT i + 1, i + 1, 2020, 2, CASE WHEN i % 17 = 0 THEN 'C' ELSE 'A' END, FALSE,"
            " i % 13 <> 0, TRUE, TRUE, TRUE, TRUE,"
            " CASE WHEN i % 11 = 0 THEN 3000 ELSE 15000 END, 0, 0, 0, 0, 3,"
            f" CASE WHEN i % 11 = 0 THEN 1000 ELSE 5000 END FROM {src}"
        )
        pre, src = _series(vendor, 3 * n)
        cur.execute(
            f"{pre}INSERT INTO registry_member (id, household_id, name, id_number, relation, sex,"
            " birth_date, ethnicity) SELECT i + 1, i / 3 + 1, '成员', 'B' ||"
            f" {_pad(vendor, 'i', 17)}, CASE i % 3 WHEN 0 THEN 'head' WHEN 1 THEN 'spouse'"
            " ELSE 'son' END, 'male', CASE i % 3 WHEN 0 THEN DATE '1975-03-01'"
            f" WHEN 1 THEN DATE '1990-06-15' ELSE {child_born} END, '壮族' FROM {src}"
            if vendor == "postgresql"
            else f"{pre}INSERT INTO registry_member (id, household_id, name, id_number, relation,"
            " sex, birth_date, ethnicity) SELECT i + 1, i / 3 + 1, '成员', 'B' ||"
            f" {_pad(vendor, 'i', 17)}, CASE i % 3 WHEN 0 THEN 'head' WHEN 1 THEN 'spouse'"
            " ELSE 'son' END, 'male', CASE i % 3 WHEN 0 THEN '1975-03-01'"
            f" WHEN 1 THEN '1990-06-15' ELSE {child_born} END, '壮族' FROM {src}"
        )
        cur.execute(
            f"{pre}INSERT INTO registry_membersurvey (id, survey_id, member_id, education,"
            " schooling, health, labour_ability, work_status, work_months, medical_insurance,"
            " critical_illness_insurance, pension_insurance) SELECT i + 1, i / 3 + 1, i + 1,"
            " 'primary', CASE WHEN i % 3 = 2 AND (i / 3) % 29 = 0 THEN 'dropped_out'"
            " ELSE 'primary' END, 'healthy', 'ordinary', 'none', NULL, i % 31 <> 0, NULL, NULL"
            f" FROM {src}"
        )
        if vendor == "postgresql":
            for table in ("household", "survey", "member", "membersurvey"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('registry_{table}', 'id'),"
                    f" (SELECT max(id) FROM registry_{table}))"
                )
            cur.execute("ANALYZE")
        else:
            cur.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--standard", default="cn-household")
    parser.add_argument(
        "--keep",
        metavar="URL",
        help="use this database as it is and keep it: generate only when it has no households "
        "(time the evaluation again on the same data without regenerating)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.keep:
            url, drop = args.keep, lambda: None
        else:
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
            from bangfu.registry.models import Household

            t0 = time.perf_counter()
            if not (args.keep and Household.objects.exists()):
                generate(args.households)
            gen = time.perf_counter() - t0
            from django.db import transaction

            from bangfu.standards.services.evaluate import _large_memory, evaluate, prepare

            # the floor: a bare count(*) over the same tables, joins and predicates, with the
            # same memory settings as the evaluation
            t0 = time.perf_counter()
            _s, _v, _items, plan = prepare(args.standard, 2020)
            floor_count = 0
            with transaction.atomic(), connection.cursor() as cur, _large_memory(cur):
                for province in sorted(plan.per_province):
                    cur.execute(*plan.floor(province))
                    floor_count += cur.fetchone()[0]
            floor = time.perf_counter() - t0
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                result = evaluate(args.standard, 2020)
                took = time.perf_counter() - t0
            assert result.passed == floor_count, (result.passed, floor_count)
            print(
                f"{connection.vendor}: {args.households:,} households generated in {gen:.1f} s; "
                f"evaluate {args.standard} 2020: {took:.2f} s, {len(queries)} queries, "
                f"{result.evaluated:,} verdicts ({result.passed:,} passed, {result.skipped} "
                f"skipped), {args.households / took:,.0f} households/s; floor (count(*) of "
                f"passing households, same joins and predicates): {floor:.2f} s; "
                f"ratio {took / floor:.2f}"
            )
        finally:
            connection.close()
            drop()


if __name__ == "__main__":
    main()
