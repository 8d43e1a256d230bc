"""Importing a county's allocations through the funds upload page: the import runs in the
background and the batch page follows it; a file with a row that would overspend its pool is
refused whole with that row on screen, the same file with 部分写入 keeps the other rows, and the
households' pages show what they received."""

import re

import pytest
from playwright.sync_api import expect

from bangfu.funds import testing
from bangfu.funds.models import Allocation, FundPool
from bangfu.registry.models import Household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_allocations_file_through_the_upload_page(page, url, login, demo_world, settings, tmp_path):
    settings.BANGFU_IMPORT_DIR = tmp_path / "imports"
    pool = testing.make_pool(region="451423", name="龙州县危房改造资金池（导入）")
    testing.fill_pool(pool, "10000.00", testing.make_source("10000.00", region="451423"))
    households = list(
        Household.objects.filter(region__code__startswith="451423").order_by("household_no")[:3]
    )
    rows = [(households[0], "6000"), (households[1], "5000"), (households[2], "4000")]
    csv = tmp_path / "危房改造补助.csv"
    csv.write_text(
        "资金池,拨付类型,户编号,金额,拨付日期,用途\n"
        + "".join(
            f"{pool.name},救助,{h.household_no},{a},2020-07-01,危房改造补助\n" for h, a in rows
        ),
        encoding="utf-8",
    )
    login(page, "longzhou")

    page.goto(url("/funds/import/"))
    page.get_by_label("数据类型").select_option("allocations")
    page.get_by_label(re.compile("表格文件")).set_input_files(str(csv))
    page.get_by_role("button", name="导入").click()

    # the batch page follows the background import to its end: row 3 would overspend the pool
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    progress = page.locator("#import-progress")
    expect(progress).to_contain_text("有错误，未写入", timeout=30_000)
    expect(progress).to_contain_text("写入 0 条记录")
    error = page.get_by_role("row").filter(has_text="不足以拨出")
    expect(error.get_by_role("cell").first).to_have_text("3")
    expect(error).to_contain_text("余额只有4,000.00元")
    assert not Allocation.objects.exists()

    # the same file with 部分写入: rows 2 and 4 written, row 3 refused
    page.get_by_role("link", name="再导入一个文件").click()
    page.get_by_label("数据类型").select_option("allocations")
    page.get_by_label(re.compile("表格文件")).set_input_files(str(csv))
    page.get_by_label(re.compile("部分写入")).check()
    page.get_by_role("button", name="导入").click()
    expect(progress).to_contain_text("部分写入", timeout=30_000)
    expect(progress).to_contain_text("写入 2 条记录，拒绝 1 行")
    assert FundPool.objects.get(pk=pool.pk).balance == 0
    assert Allocation.objects.count() == 2

    # the recent imports on the form, and the money on a household's page
    page.goto(url("/funds/import/"))
    expect(page.locator("#recent-imports").get_by_role("row")).to_have_count(3)
    page.goto(url(f"/registry/households/{households[2].pk}/"))
    expect(page.locator("#funds")).to_contain_text("共 1 笔，4000.00 元")
