"""Benchmark of the funds reconciliation: `python bench/reconcile_funds.py [--projects N]
[--allocations N] [--database-url postgres://...]`.

Creates a fresh PostgreSQL database `bangfu_bench_funds_<pid>` (or `$BANGFU_BENCH_DB`; dropped
afterwards, as bench/import_registry.py does), migrates it and generates a province-sized set with
INSERT … SELECT over generate_series (no Python loop over rows):

- 45 › 10 cities › 100 counties › 1,000 townships › 10,000 villages; 1,000 units (100 with 9
  backing units each); 200,000 households;
- 100,000 fund sources, 10,000 pools (one per village) with 100,000 inflows from the sources;
- N projects (default 50,000) and M allocations (default 2,000,000): 60 % from sources to
  projects, 25 % from sources to households, 15 % from pools to households (each with its
  outflow entry); pool balances set from their entries. Every amount fits: the books are clean.
  The maintained allocation and source totals are then rebuilt from the records
  (`services.totals.rebuild`: months and days of both, timed as `rebuild_totals_s`, also part of
  `generate_s`).

Then times `services.reconcile.reconcile()` (all checks, the whole province) and one county
(`--region`), checks that the clean books report nothing, corrupts one source and checks that it
is reported. Prints one line of figures. PostgreSQL only (the target is PostgreSQL's).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

BENCH_DB = os.environ.get("BANGFU_BENCH_DB") or f"bangfu_bench_funds_{os.getpid()}"


def prepare_database(url: str) -> tuple[str, callable]:
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


GENERATE = """
-- regions: 45 › 4501..4510 › 450101.. › +100..109 › +201..210
INSERT INTO regions_region (code, name, level, parent_id, western_region, is_registered_poor)
VALUES ('45', '广西壮族自治区', 1, NULL, true, false);
INSERT INTO regions_region (code, name, level, parent_id, western_region, is_registered_poor)
SELECT '45' || lpad(c::text, 2, '0'), '市' || c, 2, '45', true, false
FROM generate_series(1, 10) c;
INSERT INTO regions_region (code, name, level, parent_id, western_region, is_registered_poor)
SELECT r.code || lpad(k::text, 2, '0'), '县' || k, 3, r.code, true, true
FROM regions_region r, generate_series(1, 10) k WHERE r.level = 2;
INSERT INTO regions_region (code, name, level, parent_id, western_region, is_registered_poor)
SELECT r.code || (99 + t)::text, '镇' || t, 4, r.code, true, false
FROM regions_region r, generate_series(1, 10) t WHERE r.level = 3;
INSERT INTO regions_region (code, name, level, parent_id, western_region, is_registered_poor)
SELECT r.code || (200 + v)::text, '村' || v, 5, r.code, true, false
FROM regions_region r, generate_series(1, 10) v WHERE r.level = 4;
CREATE TEMP TABLE bench_v AS
SELECT (row_number() OVER (ORDER BY code)) - 1 AS n, code FROM regions_region WHERE level = 5;
CREATE UNIQUE INDEX ON bench_v (n);

-- units: 100 roots with 9 backing units each
INSERT INTO assistance_unit (name, kind, parent_id, path, contact_person, contact_phone, address)
SELECT '单位' || g, 'government', NULL, '', '', '', '' FROM generate_series(1, 100) g;
UPDATE assistance_unit SET path = '/' || id || '/';
INSERT INTO assistance_unit (name, kind, parent_id, path, contact_person, contact_phone, address)
SELECT '后盾单位' || u.id || '-' || g, 'government', u.id, '', '', '', ''
FROM assistance_unit u, generate_series(1, 9) g;
UPDATE assistance_unit c SET path = p.path || c.id || '/'
FROM assistance_unit p WHERE c.parent_id = p.id;
CREATE TEMP TABLE bench_u AS
SELECT (row_number() OVER (ORDER BY id)) - 1 AS n, id FROM assistance_unit;
CREATE UNIQUE INDEX ON bench_u (n);

-- households
INSERT INTO registry_household (household_no, region_id, group_name, category, status,
    registered_year, exit_year, main_cause, other_causes, phone, version, created, updated)
SELECT v.code || lpad(g::text, 7, '0'), v.code, '', 'general', 'not_exited', 2015, NULL,
       'illness', '', '', 1, now(), now()
FROM generate_series(0, %(households)s - 1) g JOIN bench_v v ON v.n = g %% 10000;
CREATE TEMP TABLE bench_h AS
SELECT (row_number() OVER (ORDER BY id)) - 1 AS n, id, region_id FROM registry_household;
CREATE UNIQUE INDEX ON bench_h (n);

-- sources: 1,000,000 yuan each
INSERT INTO funds_fundsource (kind, name, year, amount, unit_id, region_id, date, document_no,
    note)
SELECT 'fiscal', '资金' || g, 2020, 1000000.00, u.id, v.code, DATE '2020-03-01', '', ''
FROM generate_series(0, 99999) g
JOIN bench_v v ON v.n = g %% 10000 JOIN bench_u u ON u.n = g %% 1000;
CREATE TEMP TABLE bench_s AS
SELECT (row_number() OVER (ORDER BY id)) - 1 AS n, id FROM funds_fundsource;
CREATE UNIQUE INDEX ON bench_s (n);

-- pools, one per village; 10 inflows of 50,000 each from sources
INSERT INTO funds_fundpool (name, purpose, region_id, unit_id, balance)
SELECT '资金池' || v.n, '', v.code, NULL, 0 FROM bench_v v;
CREATE TEMP TABLE bench_p AS
SELECT (row_number() OVER (ORDER BY id)) - 1 AS n, id, region_id FROM funds_fundpool;
CREATE UNIQUE INDEX ON bench_p (n);
INSERT INTO funds_poolentry (pool_id, direction, source_id, allocation_id, amount, date, note)
SELECT p.id, 'in', s.id, NULL, 50000.00, DATE '2020-04-01', ''
FROM generate_series(0, 99999) g
JOIN bench_p p ON p.n = g %% 10000 JOIN bench_s s ON s.n = g;

-- projects
INSERT INTO funds_project (kind, name, village_id, unit_id, budget, status, start_date,
    completion_date, note)
SELECT (ARRAY['industry','infrastructure','housing','education','collective'])[1 + g %% 5],
       '项目' || g, v.code, u.id, 300000.00, 'underway', DATE '2020-05-01', NULL, ''
FROM generate_series(0, %(projects)s - 1) g
JOIN bench_v v ON v.n = g %% 10000 JOIN bench_u u ON u.n = g %% 1000;
CREATE TEMP TABLE bench_j AS
SELECT (row_number() OVER (ORDER BY id)) - 1 AS n, id, village_id FROM funds_project;
CREATE UNIQUE INDEX ON bench_j (n);
"""

ALLOCATE = """
-- from sources to projects (at most 1..10,000 yuan each)
INSERT INTO funds_allocation (source_id, pool_id, kind, project_id, household_id, region_id,
    unit_id, date, amount, purpose, note)
SELECT s.id, NULL, 'project', j.id, NULL, j.village_id, u.id, DATE '2020-06-01',
       1 + (g %% 9999), '项目资金', ''
FROM generate_series(0, %(to_projects)s - 1) g
JOIN bench_s s ON s.n = g %% 100000
JOIN bench_j j ON j.n = g %% %(projects)s
JOIN bench_u u ON u.n = g %% 1000;
-- from sources to households
INSERT INTO funds_allocation (source_id, pool_id, kind, project_id, household_id, region_id,
    unit_id, date, amount, purpose, note)
SELECT s.id, NULL, 'subsidy', NULL, h.id, h.region_id, NULL, DATE '2020-07-01',
       100 + (g %% 900), '产业补贴', ''
FROM generate_series(0, %(to_households)s - 1) g
JOIN bench_s s ON s.n = (g * 7) %% 100000
JOIN bench_h h ON h.n = g %% %(households)s;
-- from pools to households (at most 1,000 yuan each), with their outflow entries
INSERT INTO funds_allocation (source_id, pool_id, kind, project_id, household_id, region_id,
    unit_id, date, amount, purpose, note)
SELECT NULL, p.id, 'aid', NULL, h.id, h.region_id, NULL, DATE '2020-08-01',
       1 + (g %% 999), '危房改造', ''
FROM generate_series(0, %(from_pools)s - 1) g
JOIN bench_p p ON p.n = g %% 10000
JOIN bench_h h ON h.n = g %% %(households)s;
INSERT INTO funds_poolentry (pool_id, direction, source_id, allocation_id, amount, date, note)
SELECT a.pool_id, 'out', NULL, a.id, a.amount, a.date, ''
FROM funds_allocation a WHERE a.pool_id IS NOT NULL;
UPDATE funds_fundpool p SET balance = e.balance
FROM (SELECT pool_id, SUM(CASE WHEN direction = 'in' THEN amount ELSE -amount END) AS balance
      FROM funds_poolentry GROUP BY pool_id) e
WHERE e.pool_id = p.id;
"""


def time_pages() -> dict:
    """Median time in ms of each money page, as the province's administrator (every row in
    scope: the worst case), and its query count."""
    import statistics

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bangfu.accounts.models import User
    from bangfu.funds.models import FundPool, FundSource, Project
    from bangfu.registry.models import Household

    user = User.objects.create_superuser("bench", password="x")
    client = Client()
    client.force_login(user)
    source = FundSource.objects.order_by("pk")[1]
    pool = FundPool.objects.order_by("pk").first()
    project = Project.objects.order_by("pk").first()
    household = Household.objects.order_by("pk").first()
    urls = {
        "sources": "/funds/",
        "allocations": "/funds/allocations/",
        "allocations_county": "/funds/allocations/?region=450101",
        "projects": "/funds/projects/",
        "source_page": f"/funds/sources/{source.pk}/",
        "pool_page": f"/funds/pools/{pool.pk}/",
        "project_page": f"/funds/projects/{project.pk}/",
        "household_card": f"/funds/households/{household.pk}/",
    }
    result = {}
    for name, path in urls.items():
        times = []
        for _ in range(5):
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        result[f"{name}_ms"] = round(statistics.median(times))
        result[f"{name}_queries"] = len(ctx)
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=50_000)
    parser.add_argument("--allocations", type=int, default=2_000_000)
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument(
        "--pages", action="store_true", help="also time the money pages (median of 5, ms)"
    )
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgres"):
        raise SystemExit("PostgreSQL only: pass --database-url postgres://…")

    with tempfile.TemporaryDirectory(prefix="bangfu-bench-") as tmp:
        url, drop = prepare_database(args.database_url)
        os.environ["DATABASE_URL"] = url
        os.environ["BANGFU_VAR_DIR"] = str(Path(tmp) / "var")
        os.environ.setdefault("BANGFU_DEBUG", "0")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from bangfu.funds.models import FundSource
        from bangfu.funds.services import totals
        from bangfu.funds.services.reconcile import reconcile

        try:
            call_command("migrate", verbosity=0)
            n = args.allocations
            params = {
                "households": args.households,
                "projects": args.projects,
                "to_projects": n * 60 // 100,
                "to_households": n * 25 // 100,
                "from_pools": n - n * 60 // 100 - n * 25 // 100,
            }
            t0 = time.perf_counter()
            with connection.cursor() as cur:
                cur.execute(GENERATE % params)
                cur.execute(ALLOCATE % params)
                t1 = time.perf_counter()
                totals.rebuild()  # the raw SQL above bypasses the model's totals upkeep
                rebuild_s = time.perf_counter() - t1
                cur.execute("ANALYZE")
                cur.execute("SELECT count(*) FROM funds_allocation")
                allocations = cur.fetchone()[0]
                cur.execute("SELECT count(*) FROM funds_project")
                projects = cur.fetchone()[0]
            generate_s = time.perf_counter() - t0

            start = time.perf_counter()
            found = reconcile()
            seconds = time.perf_counter() - start
            if found:
                print("generated books do not reconcile:", *found[:10], sep="\n", file=sys.stderr)
                raise SystemExit(1)
            start = time.perf_counter()
            county = reconcile("450101")
            county_s = time.perf_counter() - start
            assert county == []
            # through the queryset (which keeps the source totals): the fault is the overspending
            first = FundSource.objects.order_by("pk").values_list("pk", flat=True)[:1]
            FundSource.objects.filter(pk__in=list(first)).update(amount=Decimal("1.00"))
            start = time.perf_counter()
            corrupted = reconcile()
            corrupted_s = time.perf_counter() - start
            assert [d.kind for d in corrupted] == ["source_overspent"], corrupted
            pages = time_pages() if args.pages else {}
            figures = {
                "database": connection.vendor,
                "projects": projects,
                "allocations": allocations,
                "generate_s": round(generate_s, 1),
                "reconcile_s": round(seconds, 2),
                "reconcile_county_s": round(county_s, 2),
                "reconcile_with_one_fault_s": round(corrupted_s, 2),
                "rebuild_totals_s": round(rebuild_s, 2),
                **pages,
            }
        finally:
            connection.close()
            drop()
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    return figures


if __name__ == "__main__":
    main()
