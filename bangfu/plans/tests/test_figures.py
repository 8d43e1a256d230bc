"""The unit page's plan figures: they equal the records, follow the period, stay in scope, and
each links to a list showing the same records."""

import datetime
from decimal import Decimal

from bangfu.assistance.models import Unit
from bangfu.core.figures import Period, unit_figures
from bangfu.core.testing import make_household
from bangfu.plans import testing

D = datetime.date


def _section(world, user, period=None):
    period = period or Period()
    ids = Unit.objects.subtree(world.hall).values("pk")
    [section] = [s for s in unit_figures(ids, user, period) if s.key == "plans"]
    return {f.label: f for f in section.figures}


def _world(world, household, other_household):
    hh_plan = testing.make_plan(household, unit=world.county)  # 2019–2020
    testing.make_plan(other_household, author=world.city_officer)
    testing.make_plan(
        village="451423100201", unit=world.hall, start_date=D(2016, 1, 1), end_date=D(2017, 12, 31)
    )
    far = testing.make_plan(make_household("451122100201"), unit=world.other)
    testing.make_measure(
        hh_plan,
        cost=Decimal(1000),
        due_date=D(2019, 6, 1),
        status="completed",
        done_date=D(2019, 5, 1),
    )
    testing.make_measure(hh_plan, kind="education", cost=Decimal(300), due_date=D(2020, 6, 1))
    testing.make_measure(
        hh_plan, kind="health", cost=Decimal(50), due_date=D(2020, 7, 1), status="cancelled"
    )
    testing.make_measure(far, cost=Decimal(99999), due_date=D(2019, 6, 1))


def test_figures_equal_the_records(world, users, household, other_household):
    _world(world, household, other_household)
    f = _section(world, users["county"])
    assert f["一村一策计划"].value == 1
    assert f["一户一策计划"].value == 2
    assert f["产业措施"].value == 1 and f["教育措施"].value == 1 and f["健康措施"].value == 1
    assert f["措施：已完成"].value == 1 and f["措施：计划"].value == 1
    assert f["计划投入资金（不含已取消措施）"].value == Decimal(1300)
    assert f["已完成措施投入资金"].value == Decimal(1000)


def test_figures_follow_the_period(world, users, household, other_household):
    _world(world, household, other_household)
    f = _section(world, users["county"], Period(D(2019, 1, 1), D(2019, 12, 31)))
    assert f["一村一策计划"].value == 0 and f["一户一策计划"].value == 2
    # the completed industry measure (due and done in 2019); the 2020 ones are outside
    assert f["产业措施"].value == 1 and f["教育措施"].value == 0
    assert f["已完成措施投入资金"].value == Decimal(1000)
    assert f["计划投入资金（不含已取消措施）"].value == Decimal(1000)


def test_figures_stay_in_scope(world, users, household, other_household):
    _world(world, household, other_household)
    f = _section(world, users["village"])
    assert f["一户一策计划"].value == 1 and f["一村一策计划"].value == 1
    assert _section(world, users["other_county"])["一户一策计划"].value == 0


def test_each_figure_links_to_a_list_of_the_same_records(
    world, users, household, other_household, login
):
    _world(world, household, other_household)
    user = users["county"]
    period = Period(D(2019, 1, 1), D(2020, 12, 31))
    c = login(user)
    for label, figure in _section(world, user, period).items():
        assert figure.url.startswith(("/plans/?", "/plans/measures/?")), label
        api = (
            figure.url.replace("/plans/", "/api/plans/plans/", 1)
            if figure.url.startswith("/plans/?")
            else figure.url.replace("/plans/measures/", "/api/plans/measures/", 1)
        )
        data = c.get(api).json()
        if isinstance(figure.value, Decimal):
            total = sum(Decimal(m["cost"]) for m in data["results"])
            assert total == figure.value, label
        else:
            assert data["count"] == figure.value, label


def test_three_queries(world, users, household, other_household, django_assert_num_queries):
    _world(world, household, other_household)
    with django_assert_num_queries(3):
        _section(world, users["county"])
