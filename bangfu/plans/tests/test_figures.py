"""The unit page's plan figures: they equal the records, follow the period, stay in scope, and
each links to a list showing the same records."""

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from bangfu.assistance.models import Unit
from bangfu.core.figures import Period
from bangfu.core.testing import make_household
from bangfu.plans import testing
from bangfu.plans.figures import plan_figures
from bangfu.plans.models import Measure

D = datetime.date


def _section(world, user, period=None):
    period = period or Period()
    ids = Unit.objects.subtree(world.hall).values("pk")
    section = plan_figures(ids, user, period)
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


class FiguresEqualRecords(TestCase):
    """For any set of measures and any period, each figure is what counting the records by the
    documented definition gives (due or completed in the period; cost of the not-cancelled and of
    the completed)."""

    @classmethod
    def setUpTestData(cls):
        from bangfu.assistance import testing as at
        from bangfu.core import testing as core_testing

        core_testing.make_regions()
        cls.user = core_testing.make_user("county", "county", "451423")
        cls.world = at.make_world()
        cls.plan = testing.make_plan(make_household("451423100201"), unit=cls.world.county)

    @settings(max_examples=25, deadline=None)
    @given(
        measures=st.lists(
            st.tuples(
                st.sampled_from(["industry", "education", "health"]),
                st.sampled_from(["planned", "in_progress", "completed", "cancelled"]),
                st.integers(0, 700),  # due: days after 2019-01-01
                st.integers(0, 60),  # done: days before due
                st.integers(0, 50),  # cost in hundreds
            ),
            max_size=8,
        ),
        start=st.one_of(st.none(), st.integers(0, 700)),
        length=st.integers(0, 400),
    )
    def test_figures(self, measures, start, length):
        base = D(2019, 1, 1)
        rows = []
        for kind, status, due, before, cost in measures:
            due_date = base + datetime.timedelta(days=due)
            done = max(base, due_date - datetime.timedelta(days=before))
            rows.append(
                testing.make_measure(
                    self.plan,
                    kind=kind,
                    status=status,
                    due_date=due_date,
                    done_date=done if status == "completed" else None,
                    cost=Decimal(cost * 100),
                )
            )
        if start is None:
            period = Period()
        else:
            first = base + datetime.timedelta(days=start)
            period = Period(first, first + datetime.timedelta(days=length))

        def inside(d):
            return d is not None and (period.start is None or period.start <= d <= period.end)

        chosen = [m for m in rows if inside(m.due_date) or inside(m.done_date)]
        f = _section(self.world, self.user, period)
        for kind, label in (
            ("industry", "产业措施"),
            ("education", "教育措施"),
            ("health", "健康措施"),
        ):
            assert f[label].value == sum(m.kind == kind for m in chosen)
        assert f["措施：已取消"].value == sum(m.status == "cancelled" for m in chosen)
        assert f["计划投入资金（不含已取消措施）"].value == sum(
            (m.cost for m in chosen if m.status != "cancelled"), Decimal(0)
        )
        assert f["已完成措施投入资金"].value == sum(
            (m.cost for m in chosen if m.status == "completed"), Decimal(0)
        )
        Measure.objects.filter(pk__in=[m.pk for m in rows]).delete()
