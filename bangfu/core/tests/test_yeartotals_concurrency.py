"""Two writers adding to the same yearly total at the same moment (PostgreSQL, real concurrent
transactions): both are counted. The job totals (`employment.JobTotal`) and the dividend totals
(`cooperatives.DividendTotal`) share one upsert (`core.yeartotals.YearTotals.add`); each thread
writes its record, then waits at a barrier until the other has written its own, so both
upserts of the same key meet — the second waits for the first's row lock and adds to its
committed row."""

from decimal import Decimal

import pytest
from django.db import connection

from bangfu.core.testing import at_once, make_household, make_regions
from bangfu.core.yeartotals import YearTotals

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers: concurrent transactions need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

VILLAGE = "451423100201"


def _at_once(write, args: list) -> list:
    """`write(arg)` in one thread per arg; every thread reaches `YearTotals.add` only once all
    have written their record."""
    return at_once(write, args, YearTotals, "add")


@pytest.mark.parametrize("existing", [False, True], ids=["new-key", "existing-key"])
def test_two_concurrent_jobs_to_one_key_are_both_counted(existing):
    from bangfu.employment import testing
    from bangfu.employment.models import JobTotal
    from bangfu.employment.services.totals import check_job_totals

    make_regions()
    members = [make_household(VILLAGE).members.order_by("pk").first() for _ in range(2)]
    if existing:
        testing.make_job(members[0], year=2020, income=Decimal("1.00"))
    results = _at_once(lambda m: testing.make_job(m, year=2020, income=Decimal("100.00")), members)
    assert results == ["ok", "ok"]
    total = JobTotal.objects.get(county="451423", year=2020)
    assert (total.count, total.income_cents) == ((3, 20100) if existing else (2, 20000))
    assert check_job_totals() == []


@pytest.mark.parametrize("existing", [False, True], ids=["new-key", "existing-key"])
def test_two_concurrent_dividends_to_one_key_are_both_counted(existing):
    from bangfu.cooperatives import testing
    from bangfu.cooperatives.models import DividendTotal
    from bangfu.cooperatives.services.cooperatives import pay_dividend
    from bangfu.cooperatives.services.totals import check_dividend_totals

    make_regions()
    cooperative = testing.make_cooperative(VILLAGE)
    members = [testing.make_member(cooperative, make_household(VILLAGE)) for _ in range(3)]
    if existing:
        pay_dividend(cooperative, 2020, Decimal("1.00"), membership=members[2])
    results = _at_once(
        lambda m: pay_dividend(cooperative, 2020, Decimal("100.00"), membership=m), members[:2]
    )
    assert results == ["ok", "ok"]
    total = DividendTotal.objects.get(county="451423", year=2020)
    assert (total.count, total.amount_cents) == ((3, 20100) if existing else (2, 20000))
    assert check_dividend_totals() == []
