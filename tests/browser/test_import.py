"""Importing a spreadsheet through the web page: a file with bad rows is refused, the progress
finishes, the errors are on screen with their row numbers, and the error report downloads."""

import datetime
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from bangfu.registry import idnumber
from bangfu.registry.models import Household, Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = [
    "行政区划代码", "户编号", "贫困户属性", "户类型", "纳入年度", "脱贫年度", "主要致贫原因",
    "其他致贫原因", "联系电话", "耕地面积(亩)", "住房安全等级", "是否易地扶贫搬迁", "饮水安全",
    "通生活用电", "通广播电视", "自然村通硬化路", "吃穿不愁", "调查年度", "工资性收入",
    "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出", "家庭人口数", "姓名",
    "证件号码", "与户主关系", "性别", "民族", "文化程度", "在校生状况", "健康状况", "劳动技能",
    "务工状况", "务工时间(月)", "参加基本医疗保险",
]  # fmt: skip


def free_id(born: datetime.date, male: bool) -> str:
    """A valid ID number under 龙州县 not used by any member yet."""
    used = set(Member.objects.values_list("id_number", flat=True))
    for seq in range(1 if male else 0, 1000, 2):
        value = idnumber.make("451423", born, seq)
        if value not in used:
            return value
    raise AssertionError("no free sequence")


def household(no: str, people: list[tuple[str, str, datetime.date, bool]]) -> list[dict]:
    """Rows of one household in 新联村: (name, relation, birth date, male) per member."""
    rows = []
    for name, relation, born, male in people:
        rows.append(
            {
                "行政区划代码": "451423100201", "户编号": no, "贫困户属性": "一般贫困户",
                "户类型": "已脱贫", "纳入年度": 2015, "脱贫年度": 2019, "主要致贫原因": "缺资金",
                "其他致贫原因": "缺技术", "联系电话": "13877120001", "耕地面积(亩)": 3.5,
                "住房安全等级": "B", "是否易地扶贫搬迁": "否", "饮水安全": "是", "通生活用电": "是",
                "通广播电视": "是", "自然村通硬化路": "是", "吃穿不愁": "是", "调查年度": 2020,
                "工资性收入": 18000, "生产经营性收入": 6000, "财产性收入": 300,
                "转移性收入": 1200, "生产经营性支出": 2000, "家庭人口数": len(people),
                "姓名": name, "证件号码": free_id(born, male), "与户主关系": relation,
                "性别": "男" if male else "女", "民族": "壮族", "文化程度": "初中",
                "在校生状况": "非在校生", "健康状况": "健康", "劳动技能": "普通劳动力",
                "务工状况": "县内务工", "务工时间(月)": 8, "参加基本医疗保险": "是",
            }
        )  # fmt: skip
    return rows


def build_workbook(path) -> dict[str, int]:
    """A sheet as the field sends it (a title row above the header) with two bad rows.
    Returns the spreadsheet row number of each bad row."""
    good = household(
        "T-0001",
        [
            ("测试甲", "户主", datetime.date(1975, 3, 5), True),
            ("测试乙", "配偶", datetime.date(1977, 6, 1), False),
            ("测试丙", "之子", datetime.date(2006, 9, 9), True),
        ],
    )
    lost_digits = household(
        "T-0002",
        [
            ("测试丁", "户主", datetime.date(1968, 1, 20), True),
            ("测试戊", "配偶", datetime.date(1970, 2, 14), False),
        ],
    )
    lost_digits[1]["证件号码"] = "4.51423E+17"  # Excel stored the ID as a number
    missing = household("T-0003", [("测试己", "户主", datetime.date(1950, 12, 1), True)])
    missing[0]["饮水安全"] = None  # an empty required cell is a missing value, never 否
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["龙州县建档立卡信息表（测试）"])
    sheet.append(HEADERS)
    for row in good + lost_digits + missing:
        sheet.append([row[h] for h in HEADERS])
    workbook.save(path)
    # row 1 title, row 2 header, rows 3–5 T-0001, rows 6–7 T-0002, row 8 T-0003
    return {"4.51423E+17": 7, "饮水安全": 8}


def test_import_with_bad_rows_shows_errors_and_downloads_the_report(
    page, login, demo_world, settings, tmp_path
):
    settings.BANGFU_IMPORT_DIR = tmp_path / "imports"
    xlsx = tmp_path / "新联村建档立卡.xlsx"
    bad_rows = build_workbook(xlsx)
    households_before = Household.objects.count()
    login(page, "longzhou")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="导入").click()
    expect(page.get_by_role("heading", name="导入建档立卡信息表")).to_be_visible()
    page.get_by_label("建档立卡信息表").set_input_files(str(xlsx))
    page.get_by_role("button", name="上传并导入").click()

    # the batch page: progress polls until the import has finished
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    progress = page.locator("#import-progress")
    expect(progress).to_contain_text("有错误，未写入", timeout=30_000)
    expect(page.locator("progress")).to_have_attribute("value", "100")

    # the errors on screen, each with its spreadsheet row number
    errors = page.get_by_role("table").filter(has_text="原因")
    id_error = errors.get_by_role("row").filter(has_text="4.51423E+17")
    expect(id_error).to_have_count(1)
    expect(id_error.get_by_role("cell").first).to_have_text(str(bad_rows["4.51423E+17"]))
    water_error = errors.get_by_role("row").filter(has_text="饮水安全")
    expect(water_error.first.get_by_role("cell").first).to_have_text(str(bad_rows["饮水安全"]))

    # the full report downloads and names the bad rows
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("下载错误报告")).click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:4]) == ["行号", "列", "值", "原因"]
    reported = {int(r[0]) for r in rows[1:] if r[0] not in (None, "")}
    assert set(bad_rows.values()) <= reported
    assert any(r[2] == "4.51423E+17" and r[3] for r in rows[1:])
    assert any(r[1] == "饮水安全" and int(r[0]) == 8 for r in rows[1:] if r[0])

    # one file is one transaction: nothing was written
    assert Household.objects.count() == households_before
    assert not Household.objects.filter(household_no__startswith="T-").exists()
