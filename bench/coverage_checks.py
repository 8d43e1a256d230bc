"""Benchmark of the coverage checks: `python bench/coverage_checks.py [--households N]
[--cadres N] [--visits N] [--database-url URL] [--repeat N]`.

Generates, with set-based SQL (INSERT … SELECT over a numbers table), a county of 500 villages
in 20 townships with N households (default 100,000), one assisting unit with 49 backing units,
assignments (the 2015–2020 campaign and the current one), first secretaries and work teams
(current and past terms), C cadres (default 5,000) and a pairing for every household (a fifth
re-paired, about 1 % with nobody paired today), and — when the visits app is installed
(`visits_visit` exists) — V visits (default 1,000,000) over 2015–2026. All into its own database:
a temp SQLite file, or a fresh PostgreSQL database `bangfu_bench_cov_<pid>` created and dropped
through the `postgres` database of --database-url.

Then times every check registered in `bangfu.core.checks` (the coverage page's checks) for an
administrator and for a county user — the count and the first page of rows (as the page shows
them) — and the coverage page and the unit page as whole requests through the Django test
client, with their query counts. Prints a table (median of --repeat runs, after one warm-up).

Kept out of the pytest suite; `bangfu/assistance/tests/test_demo_bench.py` runs it small as a
smoke test. No audit entries are written for the generated rows (they are benchmark data).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

BENCH_DB = f"bangfu_bench_cov_{os.getpid()}"
COUNTY = "451423"
TOWNSHIPS = 20
VILLAGES_PER_TOWNSHIP = 25
BACKING_UNITS = 49
PAGE_ROWS = 50


def prepare_database(url: str | None, workdir: Path):
    """A DATABASE_URL for a fresh database and a function that drops it afterwards."""
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


# ---- SQL helpers (SQLite and PostgreSQL) -------------------------------------------------------


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def date_plus(base: str, days_sql: str) -> str:
    """SQL for the date `base` (YYYY-MM-DD) plus an integer expression of days."""
    if vendor() == "postgresql":
        return f"(DATE '{base}' + ({days_sql})::integer)"
    return f"date('{base}', '+' || ({days_sql}) || ' days')"


def text(sql: str) -> str:
    return f"CAST({sql} AS TEXT)"


def execute(sql: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount


def numbers(n: int) -> None:
    """bench_n(n) = 1..n: the row source of every INSERT … SELECT."""
    execute("CREATE TABLE bench_n (n integer PRIMARY KEY)")
    if vendor() == "postgresql":
        execute("INSERT INTO bench_n SELECT generate_series(1, %s)", [n])
    else:
        execute(
            "INSERT INTO bench_n WITH RECURSIVE s(n) AS "
            "(SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %s) SELECT n FROM s",
            [n],
        )


def default_sql(field) -> str:
    """A constant for a NOT NULL column the generator does not set (by field type)."""
    from django.db import models
    from django.db.models.fields import NOT_PROVIDED

    if field.null:
        return "NULL"
    default = field.default
    if default is not NOT_PROVIDED and not callable(default):
        if isinstance(default, bool):
            return "TRUE" if default else "FALSE"
        if isinstance(default, int | float):
            return str(default)
        return "'" + str(default).replace("'", "''") + "'"
    if field.choices:
        return "'" + str(field.choices[0][0]).replace("'", "''") + "'"
    if isinstance(field, models.BooleanField):
        return "FALSE"
    if isinstance(field, models.DateTimeField):
        return "'2026-01-01 00:00:00'"
    if isinstance(field, models.DateField):
        return "'2020-01-01'"
    if isinstance(field, models.JSONField):
        return "'{}'"
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return "0"
    if isinstance(field, models.CharField | models.TextField):
        return "''"
    raise ValueError(f"no default for {field.model.__name__}.{field.name}; set it in the generator")


def insert_select(model, columns: dict[str, str], source: str) -> int:
    """INSERT INTO model's table the rows of `source` (a FROM … WHERE …), `columns` mapping
    column names to SQL; every other concrete NOT NULL column gets `default_sql`."""
    exprs = dict(columns)
    for field in model._meta.concrete_fields:
        if field.column not in exprs and not (field.primary_key and field.auto_created):
            exprs[field.column] = default_sql(field)
    cols = ", ".join(f'"{c}"' for c in exprs)
    return execute(
        f'INSERT INTO "{model._meta.db_table}" ({cols}) SELECT {", ".join(exprs.values())} {source}'
    )


def reset_sequences(*models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cur:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cur.execute(statement)


# ---- the generated county ----------------------------------------------------------------------


def make_regions() -> list[str]:
    from bangfu.regions.codes import level_of, parent_code
    from bangfu.regions.models import Region

    tree = {"45": "广西壮族自治区", "4514": "崇左市", COUNTY: "龙州县"}
    for t in range(TOWNSHIPS):
        township = f"{COUNTY}{100 + t:03d}"
        tree[township] = f"第{t + 1}镇"
        for v in range(VILLAGES_PER_TOWNSHIP):
            tree[f"{township}{201 + v:03d}"] = f"第{t + 1}镇{v + 1}村"
    Region.objects.bulk_create(
        Region(
            code=c,
            name=n,
            level=level_of(c),
            parent_id=parent_code(c),
            western_region=True,
            is_registered_poor=len(c) == 12,
        )
        for c, n in tree.items()
    )
    villages = [c for c in tree if len(c) == 12]
    execute("CREATE TABLE bench_village (idx integer PRIMARY KEY, code varchar(15))")
    from django.db import connection

    with connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO bench_village (idx, code) VALUES (%s, %s)", list(enumerate(villages))
        )
    return villages


def generate(households: int, cadres: int, visits: int) -> dict[str, float]:
    """Write the county; returns seconds per table."""
    from bangfu.assistance.models import Assignment, Cadre, Pairing, Posting, Unit
    from bangfu.registry.models import Household

    timings: dict[str, float] = {}

    def timed(name, fn):
        start = time.perf_counter()
        fn()
        timings[name] = time.perf_counter() - start

    nv = TOWNSHIPS * VILLAGES_PER_TOWNSHIP
    timed("numbers", lambda: numbers(max(households, cadres, visits, 1)))
    timed("regions", make_regions)
    now = "'2026-01-01 00:00:00'"

    # households: id = n; 10 % still poor, 2 % monitored, the rest exited
    timed(
        "households",
        lambda: insert_select(
            Household,
            {
                "id": "n",
                "household_no": f"v.code || '-' || {text('n')}",
                "region_id": "v.code",
                "category": "'ordinary'",
                "status": "CASE WHEN n % 10 = 0 THEN 'not_exited' "
                "WHEN n % 50 = 1 THEN 'unstable' ELSE 'exited' END",
                "registered_year": "2015",
                "exit_year": "CASE WHEN n % 10 = 0 OR n % 50 = 1 THEN NULL ELSE 2018 END",
                "main_cause": "'illness'",
                "version": "1",
                "created": now,
                "updated": now,
            },
            f"FROM bench_n JOIN bench_village v ON v.idx = n % {nv} WHERE n <= {households}",
        ),
    )
    # one assisting unit (id 1) and its backing units (ids 2…)
    Unit.objects.bulk_create(
        [Unit(id=1, name="自治区公安厅", kind="government", path="/1/")]
        + [
            Unit(id=k, name=f"后盾单位{k - 1}", kind="government", parent_id=1, path=f"/1/{k}/")
            for k in range(2, BACKING_UNITS + 2)
        ]
    )

    def assignments():
        # the campaign (ended) and the current assignment of every village but one in 100
        for start, end, where in (
            ("2015-10-01", "'2020-12-31'", ""),
            ("2021-01-01", "NULL", "WHERE v.idx % 100 <> 99"),
        ):
            insert_select(
                Assignment,
                {
                    "unit_id": "1",
                    "backing_unit_id": f"2 + v.idx % {BACKING_UNITS}",
                    "village_id": "v.code",
                    "start_date": f"'{start}'",
                    "end_date": end,
                    "note": "''",
                },
                f"FROM bench_village v {where}",
            )

    timed("assignments", assignments)
    timed(
        "cadres",
        lambda: insert_select(
            Cadre,
            {
                "id": "n",
                "unit_id": f"2 + n % {BACKING_UNITS}",
                "name": f"'干部' || {text('n')}",
                "active": "TRUE",
                "phone": f"'138' || {text('10000000 + n')}",
            },
            f"FROM bench_n WHERE n <= {cadres}",
        ),
    )

    def postings():
        # cadres 1…nv: today's first secretaries (one village in 50 has lost theirs);
        # nv+1…2nv: the previous term; team members after them, two per village
        terms = (
            (
                0,
                "first_secretary",
                "'2021-06-01'",
                f"CASE WHEN v.idx % 50 = 7 THEN {date_plus('2023-06-30', '0')} ELSE NULL END",
            ),
            (nv, "first_secretary", "'2015-10-01'", "'2021-05-31'"),
            (2 * nv, "team_member", "'2021-06-01'", "NULL"),
            (3 * nv, "team_member", "'2021-06-01'", "NULL"),
        )
        for offset, role, start, end in terms:
            insert_select(
                Posting,
                {
                    "cadre_id": f"1 + (v.idx + {offset}) % {cadres}",
                    "village_id": "v.code",
                    "role": f"'{role}'",
                    "full_time": "TRUE",
                    "start_date": start,
                    "end_date": end,
                },
                "FROM bench_village v",
            )

    timed("postings", postings)

    def pairings():
        # every household paired with one cadre (about 20 each); a fifth had an earlier cadre;
        # one in 97 has nobody today (their pairing ended at the end of 2024)
        current_start = date_plus("2017-01-01", "n % 700")
        insert_select(
            Pairing,
            {
                "household_id": "n",
                "cadre_id": f"1 + (CAST(n AS BIGINT) * 7919) % {cadres}",
                "start_date": current_start,
                "end_date": f"CASE WHEN n % 97 = 0 THEN {date_plus('2024-12-31', '0')} ELSE NULL END",
            },
            f"FROM bench_n WHERE n <= {households}",
        )
        insert_select(
            Pairing,
            {
                "household_id": "n",
                "cadre_id": f"1 + (CAST(n AS BIGINT) * 104729) % {cadres}",
                "start_date": "'2015-11-01'",
                "end_date": date_plus("2016-12-31", "n % 700"),
            },
            f"FROM bench_n WHERE n <= {households} AND n % 5 = 0",
        )

    timed("pairings", pairings)
    reset_sequences(Household, Unit, Cadre, Assignment, Posting, Pairing)
    timed("visits", lambda: timings.update(visit_rows=generate_visits(visits, households, cadres)))
    return timings


def analyze() -> float:
    """Statistics for the planner, as a live database has them: ANALYZE on SQLite; VACUUM
    ANALYZE on PostgreSQL (outside the transaction), which also sets the visibility map that
    index-only scans need — what autovacuum does a minute after a bulk load. Without it the
    cadre-load check used bitmap heap scans and spent 0.39 s of 0.68 s in JIT compilation."""
    from django.db import connection

    start = time.perf_counter()
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    else:
        execute("ANALYZE")
    return time.perf_counter() - start


def generate_visits(visits: int, households: int, cadres: int) -> int:
    """1,000,000 visits over 2015–2026 when the visits app is installed; nothing otherwise.

    Written against the model, not a fixed column list: the household, the cadre and a date are
    set here, every other NOT NULL column gets a constant of its type (`default_sql`). If the
    Visit model names these differently, adapt `columns` below."""
    from django.apps import apps

    if not visits or not apps.is_installed("bangfu.visits"):
        return 0
    Visit = apps.get_model("visits", "Visit")
    fields = {f.name: f for f in Visit._meta.concrete_fields}
    columns = {}
    for field in fields.values():
        target = getattr(field.remote_field, "model", None)
        name = getattr(target, "__name__", "")
        if name == "Household":
            columns[field.column] = f"1 + (CAST(n AS BIGINT) * 31) % {households}"
        elif name == "Cadre":
            columns[field.column] = f"1 + (CAST(n AS BIGINT) * 7919) % {cadres}"
        elif name == "Region" and not field.null:
            columns[field.column] = "v.code"
        elif field.name in ("date", "visit_date", "visited_on"):
            columns[field.column] = date_plus("2015-11-01", "n % 4000")
    nv = TOWNSHIPS * VILLAGES_PER_TOWNSHIP
    return insert_select(
        Visit,
        columns,
        f"FROM bench_n JOIN bench_village v ON v.idx = (1 + (CAST(n AS BIGINT) * 31) % {households}) % {nv} "
        f"WHERE n <= {visits}",
    )


# ---- timing ------------------------------------------------------------------------------------


def make_users():
    from bangfu.accounts.choices import Role
    from bangfu.accounts.models import User

    admin = User.objects.create_user(
        "bench-admin", password="bench-pass-1", role=Role.ADMIN, is_superuser=True, is_staff=True
    )
    county = User.objects.create_user(
        "bench-county", password="bench-pass-1", role=Role.COUNTY, region_id=COUNTY
    )
    return {"admin": admin, "county": county}


def median_time(fn, repeat: int) -> tuple[float, object]:
    fn()  # warm-up: caches, the first query plan
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def time_checks(users, repeat: int) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bangfu.core.checks import registered_checks

    rows = []
    for label, user in users.items():
        for check in registered_checks(user):

            def count(check=check, user=user):
                return check.rows(user, {}).count()

            def page(check=check, user=user):
                return [check.row(obj) for obj in check.rows(user, {})[:PAGE_ROWS]]

            count_s, n = median_time(count, repeat)
            with CaptureQueriesContext(connection) as ctx:
                page()
            queries = len(ctx.captured_queries)
            page_s, shown = median_time(page, repeat)
            rows.append(
                {
                    "what": f"check `{check.key}`",
                    "user": label,
                    "rows": n,
                    "count_s": count_s,
                    "page_s": page_s,
                    "queries": queries,
                    "shown": len(shown),
                }
            )
    return rows


def time_pages(users, repeat: int) -> list[dict]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rows = []
    for label, user in users.items():
        client = Client()
        client.force_login(user)
        for what, url in (
            ("coverage page", "/assistance/coverage/"),
            ("unit page", "/assistance/units/1/"),
        ):

            def get(url=url, client=client):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            get()
            # request_started empties the query log: start the capture from an empty one
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                get()
            queries = len(ctx.captured_queries)  # now: the next request empties the log
            seconds, _response = median_time(get, repeat)
            rows.append(
                {
                    "what": what,
                    "user": label,
                    "rows": "",
                    "count_s": None,
                    "page_s": seconds,
                    "queries": queries,
                    "shown": "",
                }
            )
    return rows


def table(rows: list[dict]) -> str:
    def s(v):
        return "" if v is None else f"{v:.3f}"

    lines = [
        "| what | user | rows | count s | first page / request s | queries |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['what']} | {r['user']} | {r['rows']} | {s(r['count_s'])} | {s(r['page_s'])} "
            f"| {r['queries']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--cadres", type=int, default=5_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="postgres://… (default: temp SQLite)")
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
        from django.db import connection, transaction

        try:
            call_command("migrate", verbosity=0)
            start = time.perf_counter()
            with transaction.atomic():
                timings = generate(args.households, args.cadres, args.visits)
            timings["analyze"] = analyze()
            generate_s = time.perf_counter() - start
            users = make_users()
            rows = time_checks(users, args.repeat) + time_pages(users, args.repeat)
            from bangfu.assistance.models import Pairing, Posting
            from bangfu.registry.models import Household

            header = {
                "database": connection.vendor,
                "households": Household.objects.count(),
                "cadres": args.cadres,
                "pairings": Pairing.objects.count(),
                "postings": Posting.objects.count(),
                "visits": timings.pop("visit_rows", 0),
                "generate_s": round(generate_s, 1),
                **{f"{k}_s": round(v, 1) for k, v in timings.items()},
            }
            print("  ".join(f"{k}={v}" for k, v in header.items()))
            print(table(rows))
            return {"header": header, "rows": rows}
        finally:
            connection.close()
            drop()


if __name__ == "__main__":
    main()
