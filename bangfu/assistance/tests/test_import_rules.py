"""Bad input the assistance import must survive: every row error names the sheet, row, column
and reason; nothing is written unless every row passes (or --partial); scope holds."""

from __future__ import annotations

import datetime

import pytest

from bangfu.accounts.choices import Role
from bangfu.assistance.models import Assignment, Cadre, Pairing, Posting, Unit
from bangfu.assistance.services.importer import import_assistance
from bangfu.assistance.testing import (
    DAQIAO,
    LUOHUI,
    XIAGANG,
    XINLIAN,
    make_cadre,
    make_pairing,
    make_posting,
)
from bangfu.core.testing import make_household, make_user

from .test_import import (
    ASSIGNMENT_HEADERS,
    CADRE_HEADERS,
    PAIRING_HEADERS,
    POSTING_HEADERS,
    UNIT_HEADERS,
    csv_file,
    errors_of,
    import_dir,  # noqa: F401 - the autouse fixture
    workbook,
)

COUNTY = "龙州县公安局"


def postings(tmp_path, *rows):
    return workbook(tmp_path / "p.xlsx", {"驻村任职": [POSTING_HEADERS, *rows]})


def pairings(tmp_path, *rows):
    return workbook(tmp_path / "q.xlsx", {"结对帮扶": [PAIRING_HEADERS, *rows]})


def test_overlapping_postings_for_the_same_role_are_refused(tmp_path, world):
    make_posting(world.officer, LUOHUI, "team_member", datetime.date(2016, 1, 1))
    book = postings(
        tmp_path,
        [COUNTY, "黄书记", XINLIAN, "第一书记", "是", "2016-01-01", ""],
        [COUNTY, "李民警", XINLIAN, "驻村工作队队员", "否", "2016-06-01", "2016-12-31"],
    )
    result = import_assistance(book)
    assert result.exit_code == 1
    assert errors_of(result) == [
        (
            "驻村任职",
            3,
            "开始日期",
            "该干部在这段时间已有相同职务的驻村任职，请先结束原任职",
        )
    ]
    # all or nothing: the valid first row is not written either
    assert not Posting.objects.filter(cadre=world.secretary).exists()
    assert result.counts["postings"].created == 0


def test_partial_writes_the_valid_rows(tmp_path, world):
    make_posting(world.officer, LUOHUI, "team_member", datetime.date(2016, 1, 1))
    book = postings(
        tmp_path,
        [COUNTY, "黄书记", XINLIAN, "第一书记", "是", "2016-01-01", ""],
        [COUNTY, "李民警", XINLIAN, "驻村工作队队员", "否", "2016-06-01", "2016-12-31"],
    )
    result = import_assistance(book, partial=True)
    assert result.exit_code == 1 and result.status == "partial"
    assert Posting.objects.filter(cadre=world.secretary, role="first_secretary").count() == 1
    assert Posting.objects.filter(cadre=world.officer).count() == 1  # only the old one
    assert result.rows_rejected == 1 and result.written == 1


def test_overlap_within_the_file_is_refused(tmp_path, world, regions):
    make_household(XINLIAN, household_no="HH-9")
    book = pairings(
        tmp_path,
        [COUNTY, "黄书记", "HH-9", "2016-01-01", ""],
        [COUNTY, "李民警", "HH-9", "2017-01-01", ""],
    )
    result = import_assistance(book)
    assert [(e.row, e.column) for e in result.errors] == [(3, "开始日期")]
    assert "一户同时只能有一名帮扶责任人" in result.errors[0].reason
    assert not Pairing.objects.exists()


def test_pairing_outside_the_units_villages(tmp_path, world, regions):
    make_household(XIAGANG, household_no="HH-X")
    result = import_assistance(pairings(tmp_path, [COUNTY, "黄书记", "HH-X", "2016-01-01", ""]))
    [error] = result.errors
    assert (error.row, error.column) == (2, "户编号")
    assert "不是龙州县公安局（或其上级、后盾单位）的定点帮扶村" in error.reason


def test_end_before_start(tmp_path, world):
    result = import_assistance(
        postings(
            tmp_path, [COUNTY, "黄书记", XINLIAN, "第一书记", "是", "2016-05-01", "2016-04-30"]
        )
    )
    assert errors_of(result) == [("驻村任职", 2, "结束日期", "结束日期不能早于开始日期")]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("451423100299", "村代码不存在或不是村级行政区划"),
        ("4514231002", "村代码应为 12 位数字"),
        ("451423100000", "村代码不存在或不是村级行政区划"),
    ],
)
def test_unknown_or_malformed_village_code(tmp_path, world, code, reason):
    book = workbook(
        tmp_path / "a.xlsx",
        {"定点帮扶": [ASSIGNMENT_HEADERS, ["广西壮族自治区公安厅", code, "2016-01-01", "", ""]]},
    )
    result = import_assistance(book)
    assert errors_of(result) == [("定点帮扶", 2, "村代码", reason)]


def test_unknown_household_unit_and_cadre(tmp_path, world, household):
    book = pairings(
        tmp_path,
        [COUNTY, "黄书记", "NO-SUCH", "2016-01-01", ""],
        ["不存在的单位", "黄书记", household.household_no, "2016-01-01", ""],
        [COUNTY, "赵某", household.household_no, "2016-01-01", ""],
    )
    result = import_assistance(book)
    assert errors_of(result) == [
        ("结对帮扶", 2, "户编号", "户编号不存在：登记册中没有这一户"),
        ("结对帮扶", 3, "所属单位", "单位“不存在的单位”不存在（请先在帮扶单位表中填写）"),
        ("结对帮扶", 4, "干部姓名", "干部“赵某”（龙州县公安局）不存在（请先在帮扶干部表中填写）"),
    ]


def test_cell_errors_are_reported_with_the_header_as_written(tmp_path, regions):
    book = csv_file(
        tmp_path / "units.csv",
        [
            ["name", "kind", "contact_phone", "备用"],
            ["甲单位", "军队", "12345", "x"],
            ["", "党政机关", "", ""],
        ],
    )
    result = import_assistance(book)
    assert errors_of(result) == [
        (
            "帮扶单位",
            2,
            "kind",
            "不是可选的值（可填：党政机关、事业单位、国有企业、民营企业、社会组织、其他）",
        ),
        ("帮扶单位", 2, "contact_phone", "联系电话应为 11 位手机号码或固定电话号码"),
        ("帮扶单位", 3, "name", "必填，不能为空"),
    ]
    assert [n.column for n in result.notes] == ["备用"]  # the unknown column is reported
    assert not Unit.objects.exists()


def test_missing_required_column(tmp_path, regions):
    book = workbook(tmp_path / "c.xlsx", {"帮扶干部": [["姓名", "性别"], ["张三", "男"]]})
    result = import_assistance(book)
    assert result.exit_code == 1
    assert [(e.column, e.reason) for e in result.errors] == [("所属单位", "缺少必填列“所属单位”")]


def test_unit_tree_loops_and_duplicates(tmp_path, regions):
    book = workbook(
        tmp_path / "u.xlsx",
        {
            "帮扶单位": [
                UNIT_HEADERS,
                ["甲", "党政机关", "乙", "", "", ""],
                ["乙", "党政机关", "甲", "", "", ""],
                ["丙", "党政机关", "", "", "", ""],
                ["丙", "事业单位", "", "", "", ""],
            ]
        },
    )
    result = import_assistance(book)
    assert errors_of(result) == [
        ("帮扶单位", 2, "上级帮扶单位", "上级帮扶单位形成循环"),
        ("帮扶单位", 3, "上级帮扶单位", "上级帮扶单位形成循环"),
        ("帮扶单位", 5, "单位名称", "单位名称在文件中重复：与第 4 行相同"),
    ]


def test_dependent_rows_name_the_rejected_row(tmp_path, regions):
    book = workbook(
        tmp_path / "d.xlsx",
        {
            "帮扶单位": [UNIT_HEADERS, ["新单位", "不知道", "", "", "", ""]],
            "帮扶干部": [CADRE_HEADERS, ["新单位", "张三", "", "", "", ""]],
        },
    )
    result = import_assistance(book)
    assert [(e.sheet, e.row) for e in result.errors] == [("帮扶单位", 2), ("帮扶干部", 2)]
    assert result.errors[1].reason == "单位“新单位”在本文件的帮扶单位表中有错误，未导入"


def test_namesakes_are_told_apart_by_id_number_or_phone(tmp_path, world):
    make_cadre(world.county, "李民警", phone="13900000002")
    world.officer.phone = "13900000001"
    world.officer.save()
    ambiguous = postings(tmp_path, [COUNTY, "李民警", XINLIAN, "队员", "是", "2016-01-01", ""])
    result = import_assistance(ambiguous)
    assert result.errors[0].reason == (
        "该单位有多名干部叫“李民警”，请填写干部证件号码或干部联系电话以区分"
    )
    book = workbook(
        tmp_path / "n.xlsx",
        {
            "驻村任职": [
                [*POSTING_HEADERS, "干部联系电话"],
                [COUNTY, "李民警", XINLIAN, "队员", "是", "2016-01-01", "", "13900000002"],
            ]
        },
    )
    result = import_assistance(book)
    assert result.exit_code == 0, errors_of(result)
    assert Posting.objects.get().cadre.phone == "13900000002"


def test_same_named_cadres_with_id_numbers_are_two_people(tmp_path, world):
    book = workbook(
        tmp_path / "c.xlsx",
        {
            "帮扶干部": [
                CADRE_HEADERS,
                ["钟山县委组织部", "刘洋", "", "", "", "11010519491231002X"],
                ["钟山县委组织部", "刘洋", "", "", "", "110105194912310029"[:17] + "X"],
                ["钟山县委组织部", "刘洋", "", "", "", "440524188001010014"],
            ]
        },
    )
    result = import_assistance(book)
    # rows 2 and 3 are the same person (the same ID number)
    assert [(e.row, e.column) for e in result.errors] == [(3, "姓名")]
    assert "与第 2 行是同一名干部" in result.errors[0].reason
    result = import_assistance(book, partial=True)
    assert Cadre.objects.filter(name="刘洋").count() == 2


def test_an_existing_posting_is_ended_and_the_successor_accepted(tmp_path, world):
    old = make_posting(world.secretary, XINLIAN, "first_secretary", datetime.date(2015, 3, 1))
    book = postings(
        tmp_path,
        # the successor comes first in the file; the ending row is applied before it
        [COUNTY, "李民警", XINLIAN, "第一书记", "是", "2018-03-01", ""],
        [COUNTY, "黄书记", XINLIAN, "第一书记", "是", "2015-03-01", "2018-02-28"],
    )
    result = import_assistance(book)
    assert result.exit_code == 0, errors_of(result)
    old.refresh_from_db()
    assert old.end_date == datetime.date(2018, 2, 28)
    assert result.counts["postings"].created == 1 and result.counts["postings"].updated == 1
    # an empty end date in an older file does not reopen the ended posting
    stale = postings(tmp_path, [COUNTY, "黄书记", XINLIAN, "第一书记", "是", "2015-03-01", ""])
    assert import_assistance(stale).written == 0
    old.refresh_from_db()
    assert old.end_date == datetime.date(2018, 2, 28)


def test_pairing_ended_by_reimport(tmp_path, world, household):
    pairing = make_pairing(world.secretary, household, datetime.date(2016, 1, 1))
    book = pairings(
        tmp_path, [COUNTY, "黄书记", household.household_no, "2016-01-01", "2019-12-31"]
    )
    result = import_assistance(book)
    assert result.counts["pairings"].updated == 1
    pairing.refresh_from_db()
    assert pairing.end_date == datetime.date(2019, 12, 31)


def test_county_user_cannot_import_into_another_county(tmp_path, world, users):
    book = workbook(
        tmp_path / "a.xlsx",
        {"定点帮扶": [ASSIGNMENT_HEADERS, ["广西壮族自治区公安厅", DAQIAO, "2016-01-01", "", ""]]},
    )
    result = import_assistance(book, user=users["county"])
    # the unit is known to the county user through its assignments in 龙州; 大桥村 is not theirs
    assert errors_of(result) == [("定点帮扶", 2, "村代码", "该村不在您的管辖范围内")]
    assert Assignment.objects.filter(village_id=DAQIAO).count() == 1  # only make_world's


def test_township_scope_holds_for_villages_households_and_units(tmp_path, world, regions):
    # A user bound to 下冻镇 with the rights to edit assistance records (a county-office role
    # posted to the township): 峡岗村 (水口镇) and its households are out of reach.
    user = make_user("township_editor", Role.COUNTY, "451423100")
    make_household(XIAGANG, household_no="HH-XG")
    book = workbook(
        tmp_path / "t.xlsx",
        {
            "定点帮扶": [
                ASSIGNMENT_HEADERS,
                ["广西壮族自治区公安厅", XIAGANG, "2016-01-01", "", ""],
                ["钟山县委组织部", XINLIAN, "2016-01-01", "", ""],
            ],
            "结对帮扶": [PAIRING_HEADERS, [COUNTY, "黄书记", "HH-XG", "2016-01-01", ""]],
        },
    )
    result = import_assistance(book, user=user)
    assert errors_of(result) == [
        ("定点帮扶", 2, "村代码", "该村不在您的管辖范围内"),
        ("定点帮扶", 3, "帮扶单位", "单位“钟山县委组织部”不在您的管辖范围内"),
        ("结对帮扶", 2, "户编号", "该户不在您的管辖范围内"),
    ]


def test_township_role_may_not_import(tmp_path, world, users):
    book = postings(tmp_path, [COUNTY, "黄书记", XINLIAN, "第一书记", "是", "2016-01-01", ""])
    result = import_assistance(book, user=users["township"])
    assert result.exit_code == 1
    assert result.errors[0].reason == "您没有导入“驻村任职”的权限"
    assert not Posting.objects.exists()


def test_english_reasons(tmp_path, world):
    result = import_assistance(
        postings(
            tmp_path, [COUNTY, "黄书记", XINLIAN, "第一书记", "是", "2016-05-01", "2016-04-30"]
        ),
        lang="en",
    )
    assert result.errors[0].reason == "The end date cannot be earlier than the start date"


def test_messy_cells_from_the_field(tmp_path, world):
    """Title rows, full-width digits, spaces, 是/否 spellings, Excel dates and numbers."""
    book = workbook(
        tmp_path / "messy.xlsx",
        {
            "驻村任职": [
                ["龙州县驻村干部花名册"],
                [],
                [" 所属单位 ", "干部姓名", "村代码", "驻村职务", "是否全脱产", "开始日期"],
                [
                    " 龙州县公安局",
                    "黄书记 ",
                    "４５１４２３１００２０１",
                    "第一书记",
                    "√",
                    "2016年3月1日",
                ],
                ["龙州县公安局", "李民警", 451423100202, "队员", "N", datetime.date(2016, 3, 1)],
            ]
        },
    )
    result = import_assistance(book)
    assert result.exit_code == 0, errors_of(result)
    first = Posting.objects.get(cadre=world.secretary)
    assert (first.village_id, first.full_time) == (XINLIAN, True)
    assert first.start_date == datetime.date(2016, 3, 1)
    second = Posting.objects.get(cadre=world.officer)
    assert (second.village_id, second.role, second.full_time) == (LUOHUI, "team_member", False)


def test_an_empty_yes_no_cell_is_missing_not_no(tmp_path, world):
    result = import_assistance(
        postings(tmp_path, [COUNTY, "黄书记", XINLIAN, "第一书记", "", "2016-01-01", ""])
    )
    assert errors_of(result) == [("驻村任职", 2, "全脱产", "必填，不能为空")]


def test_unit_staff_import_within_their_unit_and_villages(
    tmp_path, world, household, far_household
):
    from bangfu.assistance.testing import make_unit_user

    staff = make_unit_user("county_staff", world.county)
    book = pairings(
        tmp_path,
        [COUNTY, "黄书记", household.household_no, "2016-01-01", ""],
        ["钟山县委组织部", "王干部", far_household.household_no, "2016-01-01", ""],
    )
    result = import_assistance(book, user=staff, partial=True)
    assert errors_of(result) == [
        ("结对帮扶", 3, "所属单位", "单位“钟山县委组织部”不在您的管辖范围内"),
    ]
    assert Pairing.objects.get().household == household
