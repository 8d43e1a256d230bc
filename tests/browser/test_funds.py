"""Following one donation through the books in a browser: the county office enters a company's
donation, puts part of it into a dilapidated-housing pool, allocates aid from the pool to one
household, and finds the money on the household's page; an allocation larger than what is left
in the pool is refused with both amounts and nothing is written."""

import pytest
from playwright.sync_api import expect

from bangfu.funds.models import Allocation
from bangfu.registry.models import Household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_donation_to_a_household(page, url, login, demo_world):
    household = Household.objects.filter(region_id="451423100201").order_by("household_no")[0]
    login(page, "longzhou")

    page.goto(url("/funds/donations/add/"))
    page.get_by_label("捐赠方", exact=True).fill("广西某药业有限公司")
    page.get_by_label("捐赠方类型").select_option(label="企业")
    page.get_by_label("金额（元）").fill("300000")
    page.get_by_label("捐赠日期").fill("2020-05-01")
    page.get_by_label("用途").fill("危房改造")
    page.get_by_label("受赠区划").fill("451423")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#source-amount")).to_have_text("300000.00")
    expect(page.get_by_role("heading", name="广西某药业有限公司捐赠")).to_be_visible()

    page.goto(url("/funds/pools/add/"))
    page.get_by_label("资金池名称").fill("龙州县危房改造资金池")
    page.get_by_label("所属区划").fill("451423")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="资金转入").click()
    page.get_by_label("资金来源").select_option(label="广西某药业有限公司捐赠（2020）")
    page.get_by_label("金额（元）").fill("200000")
    page.get_by_label("日期").fill("2020-06-01")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#pool-balance")).to_have_text("200000.00")

    page.get_by_role("link", name="从资金池拨付").click()
    page.get_by_label("拨付类型").select_option(label="救助")
    page.get_by_label("受助户").fill(household.household_no)
    page.get_by_label("金额（元）").fill("200000.01")
    page.get_by_label("拨付日期").fill("2020-07-01")
    page.get_by_label("用途").fill("危房改造补助")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("余额只有200,000.00元，不足以拨出200,000.01元")).to_be_visible()
    assert not Allocation.objects.exists()

    page.get_by_label("金额（元）").fill("12000")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="资金拨付 12000.00 元 救助")).to_be_visible()
    page.get_by_role("link", name=household.household_no).click()
    funds = page.locator("#funds")
    expect(funds).to_contain_text("共 1 笔，12000.00 元")
    expect(funds).to_contain_text("危房改造补助")
    funds.get_by_role("link", name="2020-07-01").click()
    page.get_by_role("link", name="龙州县危房改造资金池").click()
    expect(page.locator("#pool-balance")).to_have_text("188000.00")
