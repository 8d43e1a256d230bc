"""Importing assistance data through the web page: from the assistance pages to the upload,
a workbook with a bad row is refused with the sheet and row of each error on screen, the
corrected workbook is written."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from bangfu.assistance.models import Assignment, Unit
from bangfu.regions.choices import Level
from bangfu.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def build(path, village: str, bad: bool) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    units = book.create_sheet("帮扶单位")
    units.append(["单位名称", "单位类型", "上级帮扶单位"])
    units.append(["测试帮扶厅", "党政机关", ""])
    units.append(["测试后盾局", "党政机关", "测试帮扶厅"])
    assignments = book.create_sheet("定点帮扶")
    assignments.append(["帮扶单位", "村代码", "开始日期", "结束日期", "后盾单位"])
    assignments.append(
        ["测试帮扶厅", village, "2016-01-01", "2015-12-31" if bad else "", "测试后盾局"]
    )
    book.save(path)


def test_assistance_import_from_the_assistance_pages(
    page, login, url, demo_world, settings, tmp_path
):
    settings.BANGFU_IMPORT_DIR = tmp_path / "imports"
    village = (
        Region.objects.filter(level=Level.VILLAGE, code__startswith="451423")
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    login(page, "longzhou")
    page.goto(url("/assistance/"))
    page.get_by_role("link", name="导入导出").click()
    expect(page.get_by_role("heading", name="导出帮扶数据")).to_be_visible()
    page.get_by_role("link", name="导入帮扶数据").click()
    expect(page.get_by_role("heading", name="导入帮扶数据")).to_be_visible()

    bad = tmp_path / "bad.xlsx"
    build(bad, village, bad=True)
    page.get_by_label("帮扶数据表").set_input_files(str(bad))
    page.get_by_role("button", name="上传并导入").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    expect(page.locator("#import-progress")).to_contain_text("有错误，未写入", timeout=30_000)
    error = page.get_by_role("table").get_by_role("row").filter(has_text="结束日期不能早于开始日期")
    expect(error.get_by_role("cell").nth(0)).to_have_text("定点帮扶")
    expect(error.get_by_role("cell").nth(1)).to_have_text("2")
    assert not Unit.objects.filter(name="测试帮扶厅").exists()  # all or nothing

    page.get_by_role("link", name="再导入一个文件").click()
    good = tmp_path / "good.xlsx"
    build(good, village, bad=False)
    page.get_by_label("帮扶数据表").set_input_files(str(good))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator("#import-progress")).to_contain_text("已完成", timeout=30_000)
    expect(page.locator("#import-progress")).to_contain_text("写入 3 条记录")
    assignment = Assignment.objects.get(unit__name="测试帮扶厅")
    assert (assignment.village_id, assignment.backing_unit.name) == (village, "测试后盾局")
