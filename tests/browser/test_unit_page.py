"""The unit page as a unit's staff use it: choose a period, read the figures, click one and find
exactly that many records in the list it opens."""

import datetime

import pytest
from playwright.sync_api import expect

from bangfu.accounts.choices import Role
from bangfu.activities import testing as activity_testing
from bangfu.activities.choices import ActivityKind
from bangfu.assistance import testing
from bangfu.core.testing import PASSWORD, make_household, make_regions, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date


@pytest.fixture
def unit_world(transactional_db):
    make_regions()
    make_user("county", Role.COUNTY, "451423")
    world = testing.make_world()
    households = [make_household(testing.XINLIAN) for _ in range(4)]
    # In 2018: three pairings of the county bureau's officer and one of the city's; one ended in
    # 2016 (outside the period); and one of the unrelated unit's cadre elsewhere.
    testing.make_pairing(world.officer, households[0], start=D(2017, 6, 1))
    testing.make_pairing(world.officer, households[1], start=D(2018, 2, 1))
    testing.make_pairing(world.city_officer, households[2], start=D(2018, 3, 1))
    testing.make_pairing(
        world.secretary, households[3], start=D(2015, 3, 1), end_date=D(2016, 1, 1)
    )
    for day, people in ((D(2018, 4, 1), 30), (D(2018, 9, 9), 25), (D(2019, 2, 1), 70)):
        activity_testing.make_activity(
            world.county, testing.XINLIAN, ActivityKind.TRAINING, day, participants=people
        )
    activity_testing.make_activity(
        world.city, testing.LUOHUI, ActivityKind.DISPUTE, D(2018, 5, 5), count=4
    )
    return world


def figure(page, label: str):
    return page.locator(f'a[data-figure="{label}"]')


def rows(page) -> int:
    return page.locator("#results table tbody tr").count()


def test_period_figures_match_the_records_behind_them(page, url, login, unit_world):
    login(page, "county", PASSWORD)
    page.goto(url(f"/assistance/units/{unit_world.hall.pk}/"))
    expect(page.get_by_role("heading", name="广西壮族自治区公安厅")).to_be_visible()
    page.get_by_label("起始日期").fill("2018-01-01")
    page.get_by_label("截止日期").fill("2018-12-31")
    page.get_by_role("button", name="统计").click()
    page.wait_for_url("**start=2018-01-01**")

    expect(figure(page, "结对帮扶户")).to_have_text("3")
    expect(figure(page, "培训")).to_have_text("2")
    expect(figure(page, "培训参加人次")).to_have_text("55")
    expect(figure(page, "化解纠纷")).to_have_text("4")

    for label, expected in (("结对帮扶户", 3), ("培训", 2), ("化解纠纷", 1)):
        figure(page, label).click()
        page.wait_for_load_state()
        assert rows(page) == expected, label
        page.go_back()

    # The whole time: the ended pairing and the 2019 training count too.
    page.get_by_role("link", name="全部时间").click()
    expect(figure(page, "结对帮扶户")).to_have_text("4")
    expect(figure(page, "培训")).to_have_text("3")


def test_bad_dates_get_a_message(page, url, login, unit_world):
    login(page, "county", PASSWORD)
    page.goto(url(f"/assistance/units/{unit_world.hall.pk}/?start=2018-12-31&end=2018-01-01"))
    expect(page.get_by_text("截止日期不能早于起始日期")).to_be_visible()
