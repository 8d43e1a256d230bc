"""Plan and measure pages: lists with filters, adding and editing through the forms, errors
shown by field, the household page's section."""

import datetime
from decimal import Decimal

from bangfu.core.models import AuditEntry
from bangfu.plans import testing
from bangfu.plans.models import Measure, Plan

D = datetime.date


def test_plan_list_filters(world, users, household, other_household, login):
    a = testing.make_plan(household, title="甲户计划", unit=world.county)
    b = testing.make_plan(
        other_household, title="乙户计划", start_date=D(2016, 1, 1), end_date=D(2017, 12, 31)
    )
    v = testing.make_plan(village="451423100202", title="罗回村计划", status="draft")
    c = login(users["county"])

    def titles(query):
        html = c.get("/plans/?" + query).content.decode()
        return {t for t in ("甲户计划", "乙户计划", "罗回村计划") if t in html}

    assert titles("") == {"甲户计划", "乙户计划", "罗回村计划"}
    assert titles("region=451423100202") == {"乙户计划", "罗回村计划"}
    assert titles("kind=village") == {"罗回村计划"}
    assert titles(f"household={household.pk}") == {"甲户计划"}
    assert titles("status=draft") == {"罗回村计划"}
    # the unit filter takes backing units: hall → county backing unit's plan
    assert titles(f"unit={world.hall.pk}") == {"甲户计划"}
    assert titles(f"unit={world.other.pk}") == set()
    # period overlap
    assert titles("start=2018-01-01&end=2018-12-31") == set()
    assert titles("start=2017-06-01&end=2019-06-01") == {"甲户计划", "乙户计划", "罗回村计划"}
    assert titles("end=2017-01-01") == {"乙户计划"}
    assert titles("start=2018-01-01") == {"甲户计划", "罗回村计划"}
    assert {a, b, v} <= set(Plan.objects.all())


def test_add_household_plan_through_the_form(users, household, login):
    c = login(users["village"])
    form = c.get(f"/plans/add/?household={household.pk}").content.decode()
    assert f'value="{household.household_no}"' in form
    r = c.post(
        "/plans/add/",
        {
            "title": "2019年一户一策",
            "household": household.household_no,
            "start_date": "2019-01-01",
            "end_date": "2020-12-31",
            "target_income_per_capita": "4500",
            "industries": "养牛",
            "status": "active",
        },
    )
    plan = Plan.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/plans/{plan.pk}/"
    assert plan.region_id == household.region_id
    assert AuditEntry.objects.filter(object_type="plans.plan").count() == 1
    # shown on the household page
    html = c.get(f"/registry/households/{household.pk}/").content.decode()
    assert "2019年一户一策" in html and f"/plans/{plan.pk}/" in html


def test_plan_form_errors_name_the_field_and_keep_input(users, household, login, regions):
    c = login(users["village"])
    r = c.post(
        "/plans/add/",
        {
            "title": "坏计划",
            "household": household.household_no,
            "village": "451423100201",
            "start_date": "2020-01-01",
            "end_date": "2019-01-01",
            "status": "active",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "结束日期必须晚于开始日期" in html and "只能针对一个村或一户" in html
    assert 'value="坏计划"' in html
    assert not Plan.objects.exists()


def test_household_out_of_scope_not_offered(users, household, other_household, login):
    c = login(users["village"])
    r = c.post(
        "/plans/add/",
        {
            "title": "x",
            "household": other_household.household_no,
            "start_date": "2019-01-01",
            "end_date": "2020-01-01",
            "status": "active",
        },
    )
    assert r.status_code == 200 and not Plan.objects.exists()
    assert f"户编号{other_household.household_no}不存在或不在您的管辖范围内" in r.content.decode()


def test_add_and_complete_measure(users, household, login):
    plan = testing.make_plan(household)
    c = login(users["village"])
    r = c.post(
        f"/plans/{plan.pk}/measures/add/",
        {
            "kind": "industry",
            "description": "养牛 2 头",
            "cost": "8000",
            "due_date": "2019-09-30",
            "status": "planned",
        },
    )
    assert r.status_code == 302, r.content.decode()
    m = Measure.objects.get()
    assert m.plan == plan and m.cost == Decimal("8000")
    # completing in the future is refused, by field
    r = c.post(f"/plans/measures/{m.pk}/complete/", {"done_date": "2099-01-01"})
    assert "不能填写将来的日期" in r.content.decode()
    m.refresh_from_db()
    assert m.status == "planned"
    r = c.post(
        f"/plans/measures/{m.pk}/complete/", {"done_date": "2019-09-01", "evidence": "验收单"}
    )
    assert r.status_code == 302
    m.refresh_from_db()
    assert (m.status, m.done_date, m.evidence) == ("completed", D(2019, 9, 1), "验收单")
    html = c.get(f"/plans/{plan.pk}/").content.decode()
    assert "1 / 1" in html and "养牛 2 头" in html


def test_measure_list_filters(world, users, household, login):
    plan = testing.make_plan(household, unit=world.county)
    testing.make_measure(plan, description="逾期养牛", due_date=D(2019, 3, 1))
    testing.make_measure(
        plan,
        kind="education",
        description="已完成助学",
        due_date=D(2019, 3, 1),
        status="completed",
        done_date=D(2019, 2, 1),
    )
    testing.make_measure(plan, kind="health", description="明年签约", due_date=D(2099, 1, 1))
    c = login(users["county"])

    def found(query):
        html = c.get("/plans/measures/?" + query).content.decode()
        return {t for t in ("逾期养牛", "已完成助学", "明年签约") if t in html}

    assert found("overdue=1") == {"逾期养牛"}
    assert found("kind=education") == {"已完成助学"}
    assert found("status=completed") == {"已完成助学"}
    assert found("due_from=2020-01-01") == {"明年签约"}
    assert found("due_to=2019-12-31") == {"逾期养牛", "已完成助学"}
    assert found(f"unit={world.hall.pk}") == {"逾期养牛", "已完成助学", "明年签约"}
    assert found(f"unit={world.other.pk}") == set()
    # measures in a period: due or completed in it
    assert found("start=2019-02-01&end=2019-02-28") == {"已完成助学"}


def test_nav_entry(users, login, regions):
    html = login(users["county"]).get("/").content.decode()
    assert 'href="/plans/"' in html


def test_village_page_lists_its_village_plans(users, household, login):
    testing.make_plan(village="451423100201", title="新联村一村一策")
    testing.make_plan(household, title="户计划不在村页")
    c = login(users["village"])
    html = c.get("/regions/451423100201/").content.decode()
    assert "新联村一村一策" in html and "户计划不在村页" not in html
    assert "/plans/add/?village=451423100201" in html
    # not on a township's page
    assert (
        "新联村一村一策" not in login(users["county"]).get("/regions/451423100/").content.decode()
    )


def test_list_pages_have_bounded_queries(
    world, users, household, other_household, login, django_assert_max_num_queries
):
    for h in (household, other_household):
        plan = testing.make_plan(h, unit=world.county, author=world.officer)
        for _ in range(4):
            testing.make_measure(plan, owner=world.officer, owner_unit=world.county)
    c = login(users["county"])
    for url in ("/plans/", "/plans/measures/", "/plans/measures/?overdue=1&unit=1"):
        with django_assert_max_num_queries(10):
            assert c.get(url).status_code == 200


def test_unit_user_writes_only_inside_their_unit(world, household, login):
    from bangfu.assistance import testing as at

    user = at.make_unit_user("hall", world.hall)
    c = login(user)
    data = {
        "title": "单位计划",
        "household": household.household_no,  # 新联村 is assigned to the hall: in the unit's scope
        "start_date": "2019-01-01",
        "end_date": "2020-12-31",
        "status": "active",
    }
    # without the unit the plan would be outside the user's scope: refused, nothing written
    r = c.post("/plans/add/", data)
    assert "不在您的管辖范围内" in r.content.decode()
    assert not Plan.objects.exists()
    r = c.post("/plans/add/", {**data, "unit": world.county.pk})
    assert r.status_code == 302
    assert Plan.objects.get().unit == world.county
    # another unit cannot be chosen
    r = c.post("/plans/add/", {**data, "unit": world.other.pk})
    assert r.status_code == 200 and Plan.objects.count() == 1


def test_edit_plan_keeps_the_household_and_audits_the_change(users, household, login):
    plan = testing.make_plan(household, title="旧名称")
    c = login(users["village"])
    form = c.get(f"/plans/{plan.pk}/edit/").content.decode()
    assert f'value="{household.household_no}"' in form
    r = c.post(
        f"/plans/{plan.pk}/edit/",
        {
            "title": "新名称",
            "household": household.household_no,
            "start_date": "2019-01-01",
            "end_date": "2020-12-31",
            "target_income_per_capita": "4800",
            "status": "completed",
        },
    )
    assert r.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.status, plan.household_id) == ("新名称", "completed", household.pk)
    entry = AuditEntry.objects.filter(object_type="plans.plan", action="update").get()
    assert entry.before["title"] == "旧名称" and entry.after["title"] == "新名称"
