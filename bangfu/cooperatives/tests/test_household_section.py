"""The household page's economy section: memberships, jobs, loans and commitments of that
household only, each linking to its record, in a fixed number of queries."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.commitments import testing as commitment_testing
from bangfu.cooperatives import testing
from bangfu.credit import testing as credit_testing
from bangfu.employment import testing as employment_testing


def _fill(household, n):
    product = credit_testing.make_product(name=f"半夏贷{household.pk}")
    for i in range(n):
        coop = testing.make_cooperative(name=f"合作社{household.pk}-{i}")
        testing.make_member(coop, household)
        credit_testing.make_loan(household, product, amount=Decimal("1000") + i)
        employment_testing.make_job(household.members.first(), employer=f"厂{i}")
        commitment_testing.make_commitment(household, datetime.date(2019, 9, 1), donor=f"捐{i}")


def test_household_page_lists_what_the_household_takes_part_in(
    household, other_household, users, login
):
    _fill(household, 1)
    _fill(other_household, 1)
    client = login(users["county"])
    page = client.get(reverse("registry:household", args=[household.pk])).content.decode()
    section = page.split('id="economy"', 1)[1].split("</section>", 1)[0]
    assert f"合作社{household.pk}-0" in section and f"合作社{other_household.pk}" not in section
    assert "1000.00" in section and "厂0" in section and "捐0" in section
    assert section.count("<li>") == 4


def test_household_page_queries_do_not_grow_with_the_records(household, users, login):
    client = login(users["county"])
    url = reverse("registry:household", args=[household.pk])
    _fill(household, 1)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _fill(household, 4)
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five) == len(one)


def test_viewer_without_the_apps_permissions_sees_no_section(household, users, login, settings):
    from bangfu.accounts import choices

    _fill(household, 1)
    page = login(users["viewer"]).get(reverse("registry:household", args=[household.pk]))
    assert 'id="economy"' in page.content.decode()  # viewers read the economy apps
    saved = choices.ROLE_PERMISSIONS["viewer"]
    choices.ROLE_PERMISSIONS["viewer"] = tuple(
        p for p in saved if "view_" not in p or p.startswith(("regions", "registry"))
    )
    try:
        page = login(users["viewer"]).get(reverse("registry:household", args=[household.pk]))
        assert 'id="economy"' not in page.content.decode()
    finally:
        choices.ROLE_PERMISSIONS["viewer"] = saved
