"""Benchmark of the registry import: `python bench/import_registry.py [--households N]
[--database-url URL]`.

Generates an exchange file of N households (valid ID numbers, 1–6 members, ~3.3 on average),
migrates a fresh database (a temp SQLite file, or a fresh PostgreSQL database `bangfu_bench_<pid>`
created and dropped through the `postgres` database), times the import, measures peak memory
and the floor: the same rows read from the same file and bulk-inserted into one plain table
(executemany on SQLite, COPY on PostgreSQL). Prints one line of figures.

Kept out of the pytest suite on purpose; `bangfu/registry/tests/test_import_bench.py` only
runs it at ~200 households as a smoke test.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

BENCH_DB = f"bangfu_bench_{os.getpid()}"  # one per run: parallel runs must not drop each other's


def prepare_database(url: str | None, workdir: Path) -> tuple[str, callable]:
    """A DATABASE_URL for a fresh database and a function that drops it afterwards."""
    if not url or url.startswith("sqlite"):
        path = workdir / "bench.sqlite3"
        return f"sqlite:///{path}", lambda: None
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


def make_regions() -> list[str]:
    """One county with 10 townships of 20 villages: 200 villages."""
    from bangfu.regions.codes import level_of, parent_code
    from bangfu.regions.models import Region

    tree = {"45": "广西壮族自治区", "4514": "崇左市", "451423": "龙州县"}
    for t in range(10):
        township = f"451423{100 + t:03d}"
        tree[township] = f"第{t + 1}镇"
        for v in range(20):
            tree[f"{township}{201 + v:03d}"] = f"第{t + 1}镇{v + 1}村"
    Region.objects.bulk_create(
        Region(code=c, name=n, level=level_of(c), parent_id=parent_code(c), western_region=True)
        for c, n in tree.items()
    )
    return [c for c in tree if len(c) == 12]


def generate(path: Path, households: int, villages: list[str], seed: int = 7) -> int:
    """Write the exchange file; returns the number of member rows."""
    from bangfu.registry import idnumber
    from bangfu.registry.services.importer import COLUMNS

    rnd = random.Random(seed)
    relations = ["户主", "配偶", "之子", "之女", "之父", "之母"]
    causes = ["因病", "因残", "因学", "缺资金", "缺技术", "缺劳力"]
    base = datetime.date(1940, 1, 1)
    person = 0
    rows = 0
    fields = [c.field for c in COLUMNS]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["龙州县建档立卡信息表"])
        writer.writerow([c.header for c in COLUMNS])
        for h in range(households):
            size = rnd.choices([1, 2, 3, 4, 5, 6], [10, 20, 25, 25, 12, 8])[0]
            village = villages[h % len(villages)]
            wage, business = rnd.randrange(0, 40000), rnd.randrange(0, 10000)
            household = {
                "region_code": village,
                "household_no": f"{village}{h:06d}",
                "category": rnd.choice(["一般贫困户", "低保贫困户", "特困供养贫困户"]),
                "status": "已脱贫" if h % 3 else "未脱贫",
                "registered_year": "2015",
                "exit_year": "2019" if h % 3 else "",
                "main_cause": rnd.choice(causes),
                "other_causes": "缺资金、缺技术" if h % 2 else "",
                "phone": f"138{h:08d}",
                "farmland_mu": f"{rnd.randrange(0, 100) / 10:.1f}",
                "housing_safety": rnd.choice("ABC"),
                "relocated": "否",
                "safe_water": "是",
                "electricity": "是",
                "tv_access": "是",
                "road_hardened": rnd.choice(["是", "否"]),
                "food_clothing_secure": "是",
                "survey_year": "2020",
                "wage_income": str(wage),
                "business_income": str(business),
                "property_income": "0",
                "transfer_income": "1200",
                "business_expense": "500",
                "household_size": str(size),
            }
            for i in range(size):
                person += 1
                born = base + datetime.timedelta(days=person // 500)
                seq = (person % 500) * 2 + (1 if i % 2 == 0 else 0)
                member = {
                    "name": f"成员{person}",
                    "id_number": idnumber.make("451423", born, seq),
                    "relation": relations[i],
                    "ethnicity": "壮族",
                    "education": "初中",
                    "schooling": "非在校生",
                    "health": "健康",
                    "labour_ability": "普通劳动力",
                    "work_status": "县内务工",
                    "work_months": "8",
                    "medical_insurance": "是",
                    "critical_illness_insurance": "是",
                    "pension_insurance": "否",
                }
                row = household | member
                writer.writerow([row.get(f, "") for f in fields])
                rows += 1
    return rows


def floor(path: Path) -> float:
    """Seconds to read the same file and bulk-insert its rows into one plain table."""
    from django.db import connection

    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        header = next(reader)
        cols = ", ".join(f"c{i} text" for i in range(len(header)))
        names = ", ".join(f"c{i}" for i in range(len(header)))
        start = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(f"CREATE TABLE bench_floor ({cols})")
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY bench_floor ({names}) FROM STDIN") as copy:
                    for row in reader:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(header))
                batch = []
                for row in reader:
                    batch.append(row)
                    if len(batch) >= 5000:
                        cur.executemany(f"INSERT INTO bench_floor VALUES ({marks})", batch)
                        batch = []
                cur.executemany(f"INSERT INTO bench_floor VALUES ({marks})", batch)
            connection.commit() if not connection.get_autocommit() else None
        seconds = time.perf_counter() - start
        with connection.cursor() as cur:
            cur.execute("DROP TABLE bench_floor")
    return seconds


def tables_floor() -> tuple[float, dict[str, float]]:
    """Seconds to write the import's rows again into the registry's own tables with no Python
    at all: each table's rows copied by one `INSERT … SELECT` (new ids, unique keys altered),
    foreign keys checked at once (PostgreSQL: `SET CONSTRAINTS ALL IMMEDIATE`), every index
    maintained, then rolled back. What the schema itself costs on this machine: no import of
    these rows can write them faster, however little it checks."""
    from django.db import connection, transaction

    from bangfu.core.models import AuditEntry
    from bangfu.registry.models import Household, Member, MemberSurvey, StatusChange, Survey

    altered = {"household_no": "{} || '#'", "id_number": "'X' || substr({}, 2)"}
    models = [Household, Survey, StatusChange, Member, MemberSurvey, AuditEntry]
    offsets: dict[type, int] = {}
    timings: dict[str, float] = {}
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model in models:
            table = model._meta.db_table
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            offsets[model] = cur.fetchone()[0]
            columns, values = [], []
            for field in model._meta.concrete_fields:
                column = qn(field.column)
                columns.append(column)
                if field.primary_key:
                    values.append(f"{column} + {offsets[model]}")
                elif field.is_relation and field.related_model in offsets:
                    values.append(f"{column} + {offsets[field.related_model]}")
                elif field.column in altered:
                    values.append(altered[field.column].format(column))
                else:
                    values.append(column)
            start = time.perf_counter()
            cur.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"SELECT {', '.join(values)} FROM {table}"
            )
            timings[table] = time.perf_counter() - start
        transaction.set_rollback(True)
    return sum(timings.values()), timings


def backend_cpu_seconds() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL server process (same machine,
    read from /proc); None on SQLite or when it cannot be read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument(
        "--database-url", default=None, help="postgres://... (default: temp SQLite)"
    )
    parser.add_argument(
        "--reimport", action="store_true", help="also time importing the same file again"
    )
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
            path = workdir / "registry.csv"
            t0 = time.perf_counter()
            member_rows = generate(path, args.households, villages)
            gen_seconds = time.perf_counter() - t0
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

            from bangfu.registry.services.importer import import_registry

            server_start = backend_cpu_seconds()
            start, cpu_start = time.perf_counter(), time.process_time()
            result = import_registry(path)
            seconds = time.perf_counter() - start
            server_end = backend_cpu_seconds()
            # CPU of this process (all its threads): the Python side, steadier than wall time
            # on a shared machine; the database server's work is not in it.
            cpu_seconds = time.process_time() - cpu_start
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            if result.status != "done":
                print("import did not succeed:", result.status, result.message, file=sys.stderr)
                for error in result.errors[:10]:
                    print(error, file=sys.stderr)
                raise SystemExit(1)
            reimport_seconds = None
            if args.reimport:
                start = time.perf_counter()
                again = import_registry(path)
                reimport_seconds = time.perf_counter() - start
                assert again.households_unchanged == result.households_created, again.summary()
            tables_seconds, tables_timings = tables_floor()
            floor_seconds = floor(path)
            figures = {
                "database": connection.vendor,
                "households": result.households_created,
                "member_rows": member_rows,
                "file_mb": round(path.stat().st_size / 1e6, 1),
                "generate_s": round(gen_seconds, 1),
                "seconds": round(seconds, 2),
                "rows_per_s": round(member_rows / seconds),
                "client_cpu_s": round(cpu_seconds, 1),
                **(
                    {"server_cpu_s": round(server_end - server_start, 1)}
                    if server_start is not None and server_end is not None
                    else {}
                ),
                "peak_rss_mb": round(peak),
                "rss_before_import_mb": round(rss_before),
                "floor_s": round(floor_seconds, 3),
                "ratio": round(seconds / floor_seconds, 1),
                "tables_floor_s": round(tables_seconds, 3),
                "import_over_tables_floor": round(seconds / tables_seconds, 1),
                **{f"{k}_s": round(v, 1) for k, v in result.timings.items()},
            }
            if reimport_seconds is not None:
                figures["reimport_unchanged_s"] = round(reimport_seconds, 2)
            print("  ".join(f"{k}={v}" for k, v in figures.items()))
            print(
                "tables floor by table:",
                "  ".join(f"{t}={s:.2f}" for t, s in tables_timings.items()),
            )
            return figures
        finally:
            connection.close()
            drop()


if __name__ == "__main__":
    main()
