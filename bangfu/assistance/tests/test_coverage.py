"""Coverage checks: set-based, bounded query counts, dates respected."""

import datetime

import pytest
from django.test import override_settings

from bangfu.assistance import testing
from bangfu.assistance.services import coverage, units
from bangfu.core.testing import make_household
from bangfu.registry.models import Household

D = datetime.date
TODAY = D(2019, 6, 1)


def test_households_without_cadre(world, users, household, other_household, far_household):
    exited = make_household(testing.XINLIAN, status="exited")
    monitored = make_household(testing.XINLIAN, status="marginal")
    testing.make_pairing(world.officer, household, D(2016, 1, 1))
    testing.make_pairing(
        world.city_officer, other_household, D(2016, 1, 1), end_date=D(2019, 5, 31)
    )
    result = set(coverage.households_without_cadre(TODAY))
    assert result == {other_household, far_household, monitored}
    assert exited not in result
    # the day the pairing ended it still counted
    assert other_household not in set(coverage.households_without_cadre(D(2019, 5, 31)))
    scoped = coverage.households_without_cadre(
        TODAY, base=Household.objects.for_user(users["village"])
    )
    assert set(scoped) == {monitored}


def test_villages_without_first_secretary(world):
    testing.make_posting(
        world.secretary, testing.XINLIAN, start=D(2016, 1, 1), end_date=D(2019, 6, 1)
    )
    testing.make_posting(world.officer, testing.LUOHUI, role="team_leader", start=D(2016, 1, 1))
    codes = set(coverage.villages_without_first_secretary(TODAY).values_list("pk", flat=True))
    assert codes == {testing.LUOHUI, testing.DAQIAO}
    codes = set(
        coverage.villages_without_first_secretary(D(2019, 6, 2)).values_list("pk", flat=True)
    )
    assert codes == {testing.XINLIAN, testing.LUOHUI, testing.DAQIAO}
    units.end_assignment(world.assignments[testing.DAQIAO], D(2019, 1, 1))
    codes = set(coverage.villages_without_first_secretary(TODAY).values_list("pk", flat=True))
    assert codes == {testing.LUOHUI}


def test_cadres_over_load(world):
    households = [make_household(testing.XINLIAN) for _ in range(4)]
    for h in households[:3]:
        testing.make_pairing(world.officer, h, D(2016, 1, 1))
    testing.make_pairing(world.secretary, households[3], D(2016, 1, 1), end_date=D(2017, 1, 1))
    [cadre] = coverage.cadres_over_load(limit=2, date=TODAY)
    assert (cadre, cadre.load) == (world.officer, 3)
    assert list(coverage.cadres_over_load(limit=3, date=TODAY)) == []
    assert list(coverage.cadres_over_load(limit=0, date=D(2016, 6, 1))) == [
        world.officer,
        world.secretary,
    ]
    with override_settings(ASSISTANCE_MAX_HOUSEHOLDS_PER_CADRE=2):
        assert list(coverage.cadres_over_load(date=TODAY)) == [world.officer]
    assert coverage.max_households_per_cadre() == coverage.DEFAULT_MAX_HOUSEHOLDS_PER_CADRE


@pytest.mark.parametrize("size", [3, 30])
def test_coverage_queries_are_one_statement_whatever_the_size(
    world, size, django_assert_max_num_queries
):
    households = [make_household(testing.XINLIAN) for _ in range(size)]
    for h in households[::2]:
        testing.make_pairing(world.officer, h, D(2016, 1, 1))
    for check in (
        lambda: coverage.households_without_cadre(TODAY),
        lambda: coverage.villages_without_first_secretary(TODAY),
        lambda: coverage.cadres_over_load(limit=1, date=TODAY),
    ):
        with django_assert_max_num_queries(1):
            list(check())
