"""The overdue-measures check: set-based, in scope, on the coverage page and its export."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.core.checks import get_check
from bangfu.core.testing import make_household
from bangfu.plans import testing

D = datetime.date


def _overdue_world(household, other_household):
    plan = testing.make_plan(household)
    late = testing.make_measure(plan, description="逾期养牛", due_date=D(2019, 3, 1))
    testing.make_measure(
        plan,
        description="按期完成",
        due_date=D(2019, 3, 1),
        status="completed",
        done_date=D(2019, 2, 1),
    )
    testing.make_measure(plan, description="已取消", due_date=D(2019, 3, 1), status="cancelled")
    testing.make_measure(plan, description="未到期", due_date=D(2099, 3, 1))
    testing.make_measure(
        testing.make_plan(other_household), description="罗回逾期", due_date=D(2019, 3, 1)
    )
    return late


def test_overdue_measures_in_scope(users, household, other_household):
    late = _overdue_world(household, other_household)
    check = get_check("overdue_measures")
    assert list(check.rows(users["village"], {})) == [late]
    assert len(check.rows(users["county"], {})) == 2
    row = check.row(late)
    assert row.url == f"/plans/measures/{late.pk}/" and "逾期养牛" in row.label


def test_check_query_count_does_not_grow(users, household, other_household):
    check = get_check("overdue_measures")

    def run():
        with CaptureQueriesContext(connection) as ctx:
            rows = list(check.rows(users["county"], {}))
            [check.row(m) for m in rows]
            [check.export_row(m) for m in rows]
        return len(rows), len(ctx.captured_queries)

    _overdue_world(household, other_household)
    small = run()
    for _ in range(5):
        plan = testing.make_plan(make_household("451423100202"))
        for _ in range(3):
            testing.make_measure(plan, due_date=D(2019, 1, 5), owner_unit=None)
    big = run()
    assert big[0] == small[0] + 15
    assert big[1] == small[1]


def test_coverage_page_and_export(users, household, other_household, login):
    _overdue_world(household, other_household)
    c = login(users["village"])
    html = c.get("/assistance/coverage/").content.decode()
    assert "逾期未完成的帮扶措施" in html and "逾期养牛" in html and "罗回逾期" not in html
    r = c.get("/assistance/coverage/?export=overdue_measures")
    text = r.content.decode("utf-8-sig")
    assert r.status_code == 200 and "逾期养牛" in text and "罗回逾期" not in text
    assert text.splitlines()[0].startswith("帮扶计划,区划代码,措施类型")


def test_export_labels_follow_the_language(users, household, other_household):
    from django.utils import translation

    late = _overdue_world(household, other_household)
    check = get_check("overdue_measures")
    assert check.export_row(late)[2:8:5] == ("产业", "计划")
    with translation.override("en"):
        assert check.export_row(late)[2:8:5] == ("Industry", "Planned")
