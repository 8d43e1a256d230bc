"""A household plan as a village cadre uses it on a phone: from the household page to the plan,
add a measure, record it done, see the progress bar move."""

import datetime

import pytest
from playwright.sync_api import expect

from bangfu.plans import testing
from bangfu.plans.models import Measure
from bangfu.registry.models import Household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XINLIAN = "451423100201"


def test_add_and_complete_a_measure_on_a_phone(phone_page, url, login, demo_world):
    page = phone_page
    household = Household.objects.filter(region_id=XINLIAN).order_by("household_no").first()
    plan = testing.make_plan(household, title="2019–2020 一户一策")
    login(page, "xinlian")

    page.goto(url(f"/registry/households/{household.pk}/"))
    page.get_by_role("link", name="2019–2020 一户一策").click()
    expect(page.get_by_role("heading", name="目标完成情况")).to_be_visible()
    expect(page.get_by_role("progressbar", name="已完成措施", exact=True)).to_have_attribute(
        "aria-valuenow", "0"
    )

    page.get_by_role("link", name="新增帮扶措施").click()
    page.get_by_label("措施类型").select_option(label="产业")
    page.get_by_label("措施内容").fill("发展养牛 2 头")
    page.get_by_label("投入资金（元）").fill("6000")
    page.get_by_label("完成期限").fill("2019-10-31")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(url(f"/plans/{plan.pk}/"))

    page.get_by_role("link", name="发展养牛 2 头").click()
    expect(page.get_by_text("已逾期").first).to_be_visible()  # due 2019, not done
    page.get_by_role("link", name="登记完成").click()
    page.get_by_label("完成日期").fill("2030-01-01")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("不能填写将来的日期")).to_be_visible()
    page.get_by_label("完成日期").fill("2019-10-20")
    page.get_by_label("完成情况及佐证").fill("购牛发票已归档")
    page.get_by_role("button", name="保存").click()

    page.get_by_role("link", name="2019–2020 一户一策").first.click()
    expect(page.get_by_role("progressbar", name="已完成措施", exact=True)).to_have_attribute(
        "aria-valuenow", "100"
    )
    measure = Measure.objects.get(plan=plan)
    assert (measure.status, measure.done_date) == ("completed", datetime.date(2019, 10, 20))
