"""A household's exit through the UI: a county clerk opens the case from the household page,
records 民主评议 → 核实 → 认可 → 村内公示 → 公告 → 销号 with the htmx step form (dates in the past),
is refused an announcement one day before the notice period ends, prints the notice, and sees
已脱贫 on the household page."""

import pytest
from playwright.sync_api import expect

from bangfu.core import testing as core_testing
from bangfu.exits import testing
from bangfu.exits.models import ExitCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_household_exit_from_review_to_strike_off(page, url, login, users, household):
    testing.make_verdict(household, passed=True, year=2020)
    login(page, "county", core_testing.PASSWORD)

    page.goto(url(f"/registry/households/{household.pk}/"))
    page.locator("#exits").get_by_role("link", name="新增退出案件").click()
    page.get_by_label("退出年度").fill("2020")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(url("/exits/*/"))
    case = ExitCase.objects.get(household=household)

    def record(label, date, **fields):
        expect(page.get_by_role("heading", name=f"登记下一步：{label}")).to_be_visible()
        page.get_by_label("日期", exact=True).fill(date)
        for name, value in fields.items():
            page.get_by_label(name).fill(value)
        page.get_by_role("button", name="登记", exact=True).click()

    page.evaluate("window.stillTheSamePage = true")
    record("村两委民主评议", "2020-09-01", 情况说明="村两委会议评议通过")
    expect(page.get_by_text("已登记：村两委民主评议")).to_be_visible()
    # htmx swapped the procedure section in place: no navigation happened
    assert page.evaluate("window.stillTheSamePage === true")
    record("村两委和驻村工作队核实", "2020-09-02")
    expect(page.get_by_text("已登记：村两委和驻村工作队核实")).to_be_visible()
    record("贫困户认可（签字）", "2020-09-03")
    expect(page.get_by_text("已登记：贫困户认可（签字）")).to_be_visible()
    record("村内公示", "2020-09-05", 异议受理联系方式="新联村村委会 0771-8881234")
    expect(page.get_by_text("已登记：村内公示")).to_be_visible()

    # day N-1 of a 7-day notice: refused, and the page says from when
    record("公告退出", "2020-09-11")
    expect(page.get_by_text("最早可在 2020-09-12 登记")).to_be_visible()
    record("公告退出", "2020-09-12")
    expect(page.get_by_text("已登记：公告退出")).to_be_visible()

    # the printable notice has moved to the announcement
    page.goto(url(f"/exits/villages/{household.region_id}/announcement/?year=2020"))
    expect(page.get_by_text(household.household_no)).to_be_visible()
    page.goto(url(f"/exits/{case.pk}/"))

    record("销号", "2020-09-20")
    expect(page.get_by_text("已登记：销号")).to_be_visible()
    expect(page.locator("#procedure .badge").first).to_have_text("已退出")

    page.get_by_role("link", name=household.household_no).first.click()
    expect(page.locator(".page-head h1 .badge")).to_have_text("已脱贫")
    expect(page.get_by_role("cell", name="2020-09-20")).to_be_visible()
    household.refresh_from_db()
    assert household.status == "exited"
