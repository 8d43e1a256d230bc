"""The visits section of the unit page equals the records behind each figure and stays inside
the user's scope."""

import datetime

from bangfu.assistance.models import Unit
from bangfu.core.figures import Period, unit_figures
from bangfu.visits.testing import make_follow_up, make_visit


def section(unit, user, period):
    sections = unit_figures(Unit.objects.subtree(unit).values("pk"), user, period)
    return {f.label: f for s in sections if s.key == "visits" for f in s.figures}


def test_figures_equal_the_records(world, users, household, other_household, login):
    d = datetime.date
    make_visit(world.secretary, household, date=d(2019, 3, 1))
    make_visit(world.secretary, household, date=d(2019, 4, 1))
    v = make_visit(world.officer, village="451423100202", date=d(2019, 5, 1))
    make_visit(world.city_officer, other_household, date=d(2019, 6, 1))
    make_visit(world.secretary, household, date=d(2018, 1, 1))  # outside the period
    make_follow_up(v)
    make_follow_up(v, due_date=datetime.date.today() + datetime.timedelta(days=30))
    period = Period(d(2019, 1, 1), d(2019, 12, 31))
    county = users["county"]

    figures = section(world.county, county, period)
    assert figures["走访"].value == 3
    assert figures["走访户数"].value == 1
    assert figures["走访村数"].value == 2
    assert figures["待办未办结"].value == 2
    assert figures["待办已逾期"].value == 1
    # the list behind each figure shows the same records
    client = login(county)
    listed = client.get(figures["走访"].url).context["paginator"].count
    assert listed == 3
    assert client.get(figures["待办已逾期"].url).context["paginator"].count == 1
    assert client.get(figures["待办未办结"].url).context["paginator"].count == 2
    assert (
        "start=2019-01-01" in figures["走访"].url
        and f"unit={world.county.pk}" in figures["走访"].url
    )

    # the city unit counts its backing unit's cadres too
    assert section(world.city, county, period)["走访"].value == 4


def test_figures_stay_inside_the_users_scope(world, users, household, other_household):
    make_visit(world.secretary, household)
    make_visit(world.secretary, other_household)
    period = Period()
    assert section(world.county, users["county"], period)["走访"].value == 2
    assert section(world.county, users["village"], period)["走访"].value == 1
    assert section(world.county, users["other_county"], period)["走访"].value == 0
