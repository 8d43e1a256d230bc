"""Times pages on an existing database: `python bench/page_times.py --database-url URL
[--repeat N] PATH [PATH …]` — e.g. on a database kept by `bench/money_pages.py --keep`,
`… /funds/figures/regions/45/ "/funds/figures/regions/45/?start=2020-06-10&end=2020-07-20"`.

Requests each path N times (15 by default) as the database's first superuser (every row in
scope: the worst case) and prints the median, minimum and maximum in ms. Writes nothing."""

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
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("BANGFU_DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.test import Client

    from bangfu.accounts.models import User

    client = Client()
    client.force_login(User.objects.filter(is_superuser=True).order_by("pk").first())
    for path in args.paths:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        print(
            f"{path} median={statistics.median(times):.0f} min={min(times):.0f} "
            f"max={max(times):.0f} ms"
        )


if __name__ == "__main__":
    main()
