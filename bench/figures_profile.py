"""Where a figures card's time goes: `python bench/figures_profile.py --database-url URL
[--region CODE | --unit] [--start YYYY-MM-DD --end YYYY-MM-DD] [--repeat N]`.

Runs on an existing database (e.g. one kept by `bench/money_pages.py --keep`) as its first
superuser (every row in scope: the worst case) and prints, per figures provider, the median time
over N runs and its queries with their own times, slowest first — what to look at when a card is
slow. Prints nothing but figures; writes nothing."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--region", default="45")
    parser.add_argument("--unit", action="store_true", help="the first root unit's page instead")
    parser.add_argument("--start")
    parser.add_argument("--end")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("BANGFU_DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import datetime

    import django

    django.setup()
    from django.db import connection

    from bangfu.accounts.models import User
    from bangfu.assistance.models import Unit
    from bangfu.core import figures

    user = User.objects.filter(is_superuser=True).order_by("pk").first()
    period = figures.Period(
        datetime.date.fromisoformat(args.start) if args.start else None,
        datetime.date.fromisoformat(args.end) if args.end else None,
    )
    if args.unit:
        root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
        subject = figures.Subject.for_unit(Unit.objects.filter(pk=root.pk).values("pk"))
    else:
        subject = figures.Subject.for_region(args.region)

    timings: dict[str, list[float]] = {}
    queries: dict[str, list[tuple[float, str]]] = {}

    def timer(provider_key):
        def wrapper(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries[provider_key].append(((time.perf_counter() - start) * 1000, sql))

        return wrapper

    for _ in range(args.repeat):
        for key, provider in figures._providers.items():
            queries[key] = []
            with connection.execute_wrapper(timer(key)):
                start = time.perf_counter()
                provider(subject, user, period)
                timings.setdefault(key, []).append((time.perf_counter() - start) * 1000)
    total = 0.0
    for key, times in sorted(timings.items(), key=lambda kv: -statistics.median(kv[1])):
        ms = statistics.median(times)
        total += ms
        print(f"{key:14} {ms:8.1f} ms  {len(queries[key])} queries")
        for q_ms, sql in sorted(queries[key], key=lambda q: -q[0]):
            print(f"    {q_ms:8.1f} ms  {' '.join(sql.split())[:150]}")
    print(f"{'total':14} {total:8.1f} ms")


if __name__ == "__main__":
    main()
