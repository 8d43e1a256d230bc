"""The plans API: scoped lists, the same filters, writes through the same services."""

import datetime

from bangfu.plans import testing
from bangfu.plans.models import Measure, Plan

D = datetime.date


def _api(client):
    def call(method, url, data=None):
        return getattr(client, method)(url, data, content_type="application/json")

    return call


def test_list_is_scoped_and_filtered(users, household, other_household, login):
    testing.make_plan(household, title="新联")
    testing.make_plan(other_household, title="罗回")
    testing.make_plan(village="451423100201", title="村计划")
    c = login(users["village"])
    data = c.get("/api/plans/plans/").json()
    assert data["count"] == 2
    assert {p["title"] for p in data["results"]} == {"新联", "村计划"}
    data = c.get("/api/plans/plans/?kind=household").json()
    assert [p["title"] for p in data["results"]] == ["新联"]
    assert data["results"][0]["kind"] == "household"


def test_create_plan_and_measure_through_the_api(users, household, login):
    call = _api(login(users["village"]))
    r = call(
        "post",
        "/api/plans/plans/",
        {
            "title": "API 计划",
            "household": household.pk,
            "start_date": "2019-01-01",
            "end_date": "2020-12-31",
            "target_income_per_capita": "5000.00",
            "status": "active",
        },
    )
    assert r.status_code == 201, r.json()
    plan = Plan.objects.get()
    assert r.json()["region"] == household.region_id
    r = call(
        "post",
        "/api/plans/measures/",
        {
            "plan": plan.pk,
            "kind": "employment",
            "description": "务工",
            "cost": "0",
            "due_date": "2019-05-01",
        },
    )
    assert r.status_code == 201, r.json()
    m = Measure.objects.get()
    r = call("patch", f"/api/plans/measures/{m.pk}/", {"status": "completed"})
    assert r.status_code == 400
    assert r.json()["done_date"] == ["措施状态为已完成时必须填写完成日期"]
    r = call(
        "patch", f"/api/plans/measures/{m.pk}/", {"status": "completed", "done_date": "2019-04-01"}
    )
    assert r.status_code == 200 and r.json()["status_label"] == "已完成"
    assert r.json()["overdue"] is False


def test_api_errors_name_the_field_and_write_nothing(users, household, other_household, login):
    call = _api(login(users["village"]))
    r = call(
        "post",
        "/api/plans/plans/",
        {
            "title": "x",
            "household": household.pk,
            "start_date": "2020-01-01",
            "end_date": "2019-01-01",
        },
    )
    assert r.status_code == 400 and r.json()["end_date"] == ["结束日期必须晚于开始日期"]
    r = call(
        "post",
        "/api/plans/plans/",
        {
            "title": "x",
            "household": other_household.pk,
            "start_date": "2019-01-01",
            "end_date": "2020-01-01",
        },
    )
    assert r.status_code == 400 and "household" in r.json()
    outside = testing.make_plan(other_household)
    r = call(
        "post",
        "/api/plans/measures/",
        {"plan": outside.pk, "kind": "health", "description": "x", "due_date": "2019-05-01"},
    )
    assert r.status_code == 400 and "plan" in r.json()
    assert Plan.objects.count() == 1 and not Measure.objects.exists()


def test_measure_filters_on_the_api(users, household, login):
    plan = testing.make_plan(household)
    testing.make_measure(plan, due_date=D(2019, 3, 1))
    testing.make_measure(plan, kind="health", due_date=D(2099, 3, 1))
    c = login(users["county"])
    assert c.get("/api/plans/measures/?overdue=1").json()["count"] == 1
    assert c.get("/api/plans/measures/?kind=health").json()["count"] == 1
    assert c.delete(f"/api/plans/plans/{plan.pk}/").status_code == 405


def test_schema_has_the_plans_tag(users, login, regions):
    schema = login(users["county"]).get("/api/schema/?format=json").json()
    tags = {
        t for path in schema["paths"].values() for op in path.values() for t in op.get("tags", [])
    }
    assert "plans" in tags
    assert "/api/plans/measures/" in schema["paths"]


def test_plan_progress_on_the_api_and_the_list(users, household, login):
    from decimal import Decimal

    plan = testing.make_plan(household, target_income_per_capita=Decimal(6000))
    testing.make_measure(plan, cost=Decimal(100), status="completed", done_date=D(2019, 2, 1))
    testing.make_measure(plan, cost=Decimal(300))
    c = login(users["county"])
    [row] = c.get("/api/plans/plans/").json()["results"]
    assert (row["measures_done"], row["measures_total"]) == (1, 2)
    assert (row["cost_spent"], row["cost_planned"]) == ("100.00", "400.00")
    assert (row["latest_year"], row["latest_income"]) == (2020, "5000.00")
    assert row["households_total"] is None  # a household plan
    html = c.get("/plans/").content.decode()
    assert "1 / 2" in html
