"""产业覆盖率: numerator (households in an assisted industry), denominator (registered
households), the rate per region in one query, the households behind the numerator, scope."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.cooperatives import testing
from bangfu.cooperatives.services.coverage import covered_households, rate_by_region
from bangfu.core.testing import make_household
from bangfu.regions.choices import Level
from bangfu.registry.choices import Category

D = datetime.date


def _setup(household, other_household):
    coop = testing.make_cooperative("451423100201")
    testing.make_member(coop, household)
    left = make_household("451423100201")
    testing.make_member(coop, left, joined=D(2016, 1, 1), left=D(2018, 1, 1))
    non_poor = make_household("451423100201")
    non_poor.category = Category.NON_POOR
    non_poor.save()
    testing.make_member(coop, non_poor)
    testing.make_member(coop, None, name="韦大山")
    luohui = testing.make_cooperative("451423100202")
    testing.make_member(luohui, other_household)
    make_household("451423100202")
    return left, non_poor


def test_rate_per_village_counts_registered_members_running_today(
    household, other_household, users
):
    left, non_poor = _setup(household, other_household)
    with CaptureQueriesContext(connection) as queries:
        rows = {r["code"]: r for r in rate_by_region(users["county"], Level.VILLAGE)}
    assert len(queries) == 1
    # 新联村: household (member) and `left` (left in 2018) registered; non_poor not counted.
    assert (rows["451423100201"]["households"], rows["451423100201"]["covered"]) == (2, 1)
    assert rows["451423100201"]["rate"] == Decimal("50.0")
    assert (rows["451423100202"]["households"], rows["451423100202"]["covered"]) == (2, 1)
    covered = set(covered_households(users["county"]))
    assert covered == {household, other_household}
    assert set(covered_households(users["county"], on=D(2017, 1, 1))) == {left}


def test_page_and_household_list_are_scoped(household, other_household, users, login):
    _setup(household, other_household)
    client = login(users["village"])
    page = client.get(reverse("cooperatives:industry_coverage")).content.decode()
    assert 'data-code="451423100201"' in page and 'data-code="451423100202"' not in page
    listing = client.get(reverse("cooperatives:covered")).content.decode()
    assert household.household_no in listing and other_household.household_no not in listing
    county = login(users["county"])
    page = county.get(reverse("cooperatives:industry_coverage"), {"level": "township"}).content
    assert 'data-code="451423100"' in page.decode()
    listing = county.get(reverse("cooperatives:covered"), {"region": "451423100202"}).content
    assert other_household.household_no in listing.decode()
    assert household.household_no not in listing.decode()


def test_an_industry_measure_in_a_household_plan_counts_when_plans_is_installed(
    household, other_household, users
):
    """Runs once bangfu.plans is merged in (main has it): a household plan's 产业 measure puts the
    household in the numerator; a cancelled one or another kind does not."""
    from django.apps import apps

    if not apps.is_installed("bangfu.plans"):
        import pytest

        pytest.skip("bangfu.plans is not installed on this branch")
    from bangfu.plans import testing as plans_testing

    plans_testing.make_measure(plans_testing.make_plan(household), kind="industry")
    plans_testing.make_measure(plans_testing.make_plan(other_household), kind="education")
    assert set(covered_households(users["county"])) == {household}


def test_api_gives_the_pages_figures_in_scope(household, other_household, users, login):
    _setup(household, other_household)
    data = login(users["village"]).get("/api/cooperatives/coverage/").json()
    assert [r["code"] for r in data["rows"]] == ["451423100201"]
    assert data["rows"][0]["covered"] == 1 and data["rows"][0]["rate"] == "50.0"
    data = login(users["county"]).get("/api/cooperatives/coverage/", {"level": "county"}).json()
    assert data["total"] == {"households": 4, "covered": 2, "rate": "50.0"}
    assert login(users["county"]).get("/api/cooperatives/coverage/").status_code == 200
    from django.test import Client

    assert Client().get("/api/cooperatives/coverage/").status_code in (401, 403)
