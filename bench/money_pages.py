"""Benchmark of the money pages: `python bench/money_pages.py [--projects N] [--allocations N]
[--households N] [--database-url postgres://...] [--database-name NAME] [--keep]`.

Creates a fresh PostgreSQL database (`--database-name`, `$BANGFU_BENCH_DB` or `bangfu_bench_pages_<pid>`; dropped
afterwards), generates the funds set of bench/reconcile_funds.py (its SQL, then the rebuild of
the maintained allocation and source totals: 10,000 villages, 1,000 units, N households, 100,000 sources,
10,000 pools, projects and allocations) and, with INSERT … SELECT over generate_series, what
the other issue-4 apps hold for it:

- one member per household (the jobs' people);
- one cooperative per village (its unit assisting), half of the households members, two years
  and one dividend per member;
- a 半夏贷 per county and loans to one household in ten;
- a labour agreement per county and jobs for 40 % of the members, of the four kinds;
- 50,000 purchases by units from the village cooperatives;
- 2,000 monthly commitments of 1,000元 with 24 payments each (one period in 50 missed).

Then times every money page as the province's administrator (every row in scope: the worst
case) — median of 5 requests — and counts its queries: the funds lists and pages, the economy
lists, the region figures of a county and of a village, the unit page's figures, a project page
with its figures, and the export of a filtered list. Prints one line of figures
(`name_ms=… name_queries=…`). PostgreSQL only.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _reconcile_bench():
    spec = importlib.util.spec_from_file_location(
        "reconcile_bench", REPO / "bench/reconcile_funds.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ECONOMY = """
-- members: one per household
INSERT INTO registry_member (household_id, name, id_number, relation, sex, birth_date, ethnicity)
SELECT h.id, '成员' || h.n, '4501' || lpad(h.n::text, 14, '0'), 'head', 'male',
       DATE '1975-01-01' + (h.n %% 7000)::int, ''
FROM bench_h h;
CREATE TEMP TABLE bench_m AS
SELECT (row_number() OVER (ORDER BY m.id)) - 1 AS n, m.id, m.household_id
FROM registry_member m;
CREATE UNIQUE INDEX ON bench_m (n);

-- cooperatives: one per village, assisted by a unit
INSERT INTO cooperatives_cooperative (name, village_id, industry, founded, registered_no,
    unit_id, note)
SELECT v.code || '合作社', v.code, 'herbs', DATE '2017-05-01', '', u.id, ''
FROM bench_v v JOIN bench_u u ON u.n = v.n %% 1000;
CREATE TEMP TABLE bench_c AS
SELECT c.id, c.village_id FROM cooperatives_cooperative c;
CREATE UNIQUE INDEX ON bench_c (village_id);
-- (poor: the copy of the household's category, registry/copies.py; every bench household is
-- registered poor)
INSERT INTO cooperatives_membership (cooperative_id, household_id, name, shares, joined, "left",
    poor)
SELECT c.id, h.id, '', 1000.00, DATE '2018-03-01', NULL, TRUE
FROM bench_h h JOIN bench_c c ON c.village_id = h.region_id WHERE h.n %% 2 = 0;
INSERT INTO cooperatives_cooperativeyear (cooperative_id, year, profit, jobs, poor_jobs)
SELECT c.id, y, 160000.00, 15, 12 FROM bench_c c, generate_series(2019, 2020) y;
INSERT INTO cooperatives_dividend (cooperative_id, membership_id, year, amount, paid_on)
SELECT m.cooperative_id, m.id, 2019, 480.00, DATE '2020-01-20' FROM cooperatives_membership m;

-- microcredit: a 半夏贷 per county, loans to one household in ten
INSERT INTO credit_loanproduct (name, bank, region_id, rate, max_amount, term_months, note)
SELECT '半夏贷', '中国农业银行', code, 4.350, 50000.00, 36, ''
FROM regions_region WHERE level = 3;
INSERT INTO credit_loan (household_id, product_id, amount, date, term_months, purpose,
    repayment, repaid_date, region_id)
SELECT h.id, p.id, 48000.00, DATE '2019-01-01' + (h.n %% 600)::int, 36, '种植半夏',
       CASE WHEN h.n %% 7 = 0 THEN 'overdue' ELSE 'current' END, NULL, h.region_id
FROM bench_h h JOIN credit_loanproduct p ON p.region_id = left(h.region_id, 6)
WHERE h.n %% 10 = 0;

-- employment: an agreement per county, jobs for 40 %% of the members
INSERT INTO employment_labouragreement (company, region_id, unit_id, start_date, end_date,
    places, note)
SELECT '广东某电子厂', code, NULL, DATE '2019-02-01', NULL, 500, ''
FROM regions_region WHERE level = 3;
INSERT INTO employment_job (member_id, kind, employer, agreement_id, year, months, income,
    start_date, end_date, region_id)
SELECT m.id,
       (ARRAY['labour_export', 'nearby', 'public_welfare', 'workshop'])[1 + m.n %% 4],
       '某用工单位',
       CASE WHEN m.n %% 4 = 0 THEN a.id END,
       2019, 10, 30000.00, DATE '2019-03-01', NULL, h.region_id
FROM bench_m m JOIN registry_household h ON h.id = m.household_id
JOIN employment_labouragreement a ON a.region_id = left(h.region_id, 6)
WHERE m.n %% 5 < 2;

-- consumption: 50,000 purchases by units from the village cooperatives
INSERT INTO consumption_purchase (unit_id, village_id, cooperative_id, product, quantity,
    amount, date)
SELECT u.id, v.code, c.id, '百香果', '500斤', 3000.00, DATE '2019-01-01' + (g %% 700)::int
FROM generate_series(0, 49999) g
JOIN bench_v v ON v.n = g %% 10000 JOIN bench_u u ON u.n = g %% 1000
JOIN bench_c c ON c.village_id = v.code;

-- commitments: 2,000 monthly promises with 24 payments each, one in 50 periods missed
INSERT INTO commitments_commitment (household_id, member_id, unit_id, donor, purpose, amount,
    period, start_date, end_date, end_event, event_date, region_id)
SELECT h.id, NULL, NULL, '农村信用社', '资助学生至毕业', 1000.00, 'monthly',
       DATE '2019-09-10', DATE '2021-08-31', 'graduation', DATE '2021-08-31', h.region_id
FROM bench_h h WHERE h.n %% 100 = 0 AND h.n < 200000;
INSERT INTO commitments_commitmentpayment (commitment_id, period_start, date, amount, note)
SELECT c.id, (DATE '2019-09-10' + make_interval(months => k))::date,
       (DATE '2019-09-10' + make_interval(months => k))::date, 1000.00, ''
FROM commitments_commitment c, generate_series(0, 23) k WHERE (c.id + k) %% 50 <> 0;
"""


def time_pages() -> dict:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bangfu.accounts.models import User
    from bangfu.assistance.models import Unit
    from bangfu.funds.models import Project

    user = User.objects.create_superuser("bench_pages", password="x")
    client = Client()
    client.force_login(user)
    project = Project.objects.order_by("pk").first()
    unit = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    village = project.village_id
    urls = {
        "sources": "/funds/",
        "donations": "/funds/donations/",
        "pools": "/funds/pools/",
        "allocations": "/funds/allocations/",
        "allocations_county": "/funds/allocations/?region=450101",
        "projects": "/funds/projects/",
        "project_page": f"/funds/projects/{project.pk}/",
        "cooperatives": "/cooperatives/",
        "loans": "/credit/",
        "loan_products": "/credit/products/",
        "jobs": "/employment/",
        "agreements": "/employment/agreements/",
        "purchases": "/consumption/",
        "commitments": "/commitments/",
        "commitments_overdue": "/commitments/?overdue=true",
        "figures_province": "/funds/figures/regions/45/",
        "figures_county": "/funds/figures/regions/450101/",
        "figures_county_2019": "/funds/figures/regions/450101/?start=2019-01-01&end=2019-12-31",
        "figures_village": f"/funds/figures/regions/{village}/",
        "unit_page": f"/assistance/units/{unit.pk}/",
        "export_loans_county_csv": "/credit/?region=450101&export=csv",
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
        "--keep", action="store_true", help="keep the generated database (to profile it)"
    )
    parser.add_argument(
        "--database-name",
        default=os.environ.get("BANGFU_BENCH_DB", ""),
        help="name of the generated database (default bangfu_bench_pages_<pid>; "
        "or $BANGFU_BENCH_DB), dropped afterwards unless --keep",
    )
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgres"):
        raise SystemExit("PostgreSQL only: pass --database-url postgres://…")
    bench = _reconcile_bench()
    bench.BENCH_DB = (
        args.database_name
        or os.environ.get("BANGFU_BENCH_DB")
        or f"bangfu_bench_pages_{os.getpid()}"
    )
    with tempfile.TemporaryDirectory(prefix="bangfu-bench-") as tmp:
        url, drop = bench.prepare_database(args.database_url)
        os.environ["DATABASE_URL"] = url
        os.environ["BANGFU_VAR_DIR"] = str(Path(tmp) / "var")
        os.environ.setdefault("BANGFU_DEBUG", "0")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from bangfu.cooperatives.services.totals import rebuild_dividend_totals
        from bangfu.employment.services.totals import rebuild_job_totals
        from bangfu.funds.services import totals

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
                cur.execute(bench.GENERATE % params)
                cur.execute(bench.ALLOCATE % params)
                totals.rebuild()  # the raw SQL above bypasses the model's totals upkeep
                cur.execute(ECONOMY % params)
                rebuild_job_totals()  # likewise the job and dividend totals per year
                rebuild_dividend_totals()
                cur.execute(
                    "VACUUM ANALYZE"
                )  # as autovacuum would: visibility maps for index-only scans
                counts = {}
                for table in (
                    "funds_allocation",
                    "funds_project",
                    "registry_household",
                    "cooperatives_membership",
                    "credit_loan",
                    "employment_job",
                    "consumption_purchase",
                    "commitments_commitmentpayment",
                ):
                    cur.execute(f"SELECT count(*) FROM {table}")
                    counts[table.split("_", 1)[1]] = cur.fetchone()[0]
            generate_s = time.perf_counter() - t0
            figures = {
                "database": connection.vendor,
                **counts,
                "generate_s": round(generate_s, 1),
                **time_pages(),
            }
        finally:
            connection.close()
            if args.keep:
                print("kept database", bench.BENCH_DB, file=sys.stderr)
            else:
                drop()
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    return figures


if __name__ == "__main__":
    main()
