"""The visit checks on the coverage page: what they list, the `days` setting, scope, and a
query count that does not grow with the number of households."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.core import testing as core_testing
from bangfu.core.checks import get_check
from bangfu.registry.choices import Status
from bangfu.visits.testing import make_follow_up, make_visit


def rows(key, user, **params):
    return list(get_check(key).rows(user, {k: str(v) for k, v in params.items()}))


def test_households_not_visited(world, users, household, other_household):
    today = timezone.localdate()
    exited = core_testing.make_household("451423100201")
    exited.status = Status.EXITED
    exited.save()
    make_visit(world.secretary, household, date=today - datetime.timedelta(days=100))
    make_visit(world.secretary, other_household, date=today - datetime.timedelta(days=10))
    county = users["county"]
    listed = rows("not_visited", county)
    assert listed == [household]  # other_household visited 10 days ago, exited not checked
    assert listed[0].last_visit == today - datetime.timedelta(days=100)
    assert rows("not_visited", county, days=5) == sorted(
        [household, other_household], key=lambda h: h.household_no
    )
    assert rows("not_visited", county, days=101) == []
    # the last N days are today and the N-1 days before: 100 days ago is outside the last 100
    assert rows("not_visited", county, days=100) == [household]
    assert rows("not_visited", users["village"], days=5) == [household]


def test_overdue_follow_ups(world, users, household, other_household):
    today = timezone.localdate()
    overdue = make_follow_up(make_visit(world.secretary, household))
    make_follow_up(make_visit(world.secretary, household, date=today), due_date=today)
    done = make_follow_up(make_visit(world.secretary, other_household))
    from bangfu.visits.services.visits import complete_follow_up

    complete_follow_up(done, done.visit.date)
    assert rows("overdue_follow_ups", users["county"]) == [overdue]
    assert rows("overdue_follow_ups", users["other_county"]) == []


def _count_queries(user, households: int) -> int:
    for _ in range(households):
        core_testing.make_household("451423100201")
    with CaptureQueriesContext(connection) as ctx:
        for key in ("not_visited", "overdue_follow_ups"):
            check = get_check(key)
            queryset = check.rows(user, {})
            queryset.count()
            [check.row(obj) for obj in queryset[:100]]
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_households(world, users, household):
    make_follow_up(make_visit(world.secretary, household))
    few = _count_queries(users["county"], 2)
    many = _count_queries(users["county"], 20)
    assert few == many


def test_coverage_page_lists_the_checks_with_the_days_setting(world, users, household, login):
    response = login(users["county"]).get(reverse("assistance:coverage"), {"days": "30"})
    text = response.content.decode()
    assert "30 天内未走访的贫困户和监测户" in text
    assert "逾期未办结的走访待办" in text
    assert household.household_no in text
    export = login(users["county"]).get(reverse("assistance:coverage"), {"export": "not_visited"})
    assert household.household_no in export.content.decode("utf-8-sig")
