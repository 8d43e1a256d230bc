"""The assistance import: layout, rules, all-or-nothing, --partial, idempotence, round trip."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import openpyxl
import pytest

from bangfu.assistance.models import Assignment, Cadre, Pairing, Posting, Unit
from bangfu.assistance.services.exporter import export_assistance
from bangfu.assistance.services.importer import import_assistance
from bangfu.assistance.testing import LUOHUI, XINLIAN, make_pairing, make_posting
from bangfu.core.models import AuditEntry
from bangfu.core.testing import make_household

UNIT_HEADERS = ["单位名称", "单位类型", "上级帮扶单位", "联系人", "联系电话", "地址"]
CADRE_HEADERS = ["所属单位", "姓名", "性别", "联系电话", "职务", "证件号码"]
ASSIGNMENT_HEADERS = ["帮扶单位", "村代码", "开始日期", "结束日期", "后盾单位"]
POSTING_HEADERS = ["所属单位", "干部姓名", "村代码", "驻村职务", "全脱产", "开始日期", "结束日期"]
PAIRING_HEADERS = ["所属单位", "干部姓名", "户编号", "开始日期", "结束日期"]


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    """Error reports and uploads go to the test's directory, imports run in the test's thread."""
    settings.BANGFU_IMPORT_DIR = tmp_path / "imports"
    settings.BANGFU_IMPORT_SYNC = True


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def csv_file(path: Path, rows: list[list]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def errors_of(result) -> list[tuple]:
    return [(e.sheet, e.row, e.column, e.reason) for e in result.errors]


@pytest.fixture
def full_book(tmp_path, regions):
    """A workbook of every kind, sheets deliberately out of dependency order."""
    household = make_household(XINLIAN, household_no="HH-1")
    book = workbook(
        tmp_path / "assistance.xlsx",
        {
            "结对帮扶": [PAIRING_HEADERS, ["龙州县公安局", "黄书记", "HH-1", "2016-01-01", ""]],
            "驻村任职": [
                POSTING_HEADERS,
                ["龙州县公安局", "黄书记", XINLIAN, "第一书记", "是", "2015-03-01", ""],
            ],
            "定点帮扶": [
                ["定点帮扶名单"],  # a title row above the header
                ASSIGNMENT_HEADERS,
                ["自治区公安厅", XINLIAN, "2015/1/1", "", "龙州县公安局"],
            ],
            "帮扶干部": [
                CADRE_HEADERS,
                ["龙州县公安局", "黄书记", "男", "13800000001", "副大队长", ""],
            ],
            "帮扶单位": [
                UNIT_HEADERS,
                ["龙州县公安局", "党政机关", "自治区公安厅", "", "", ""],
                ["自治区公安厅", "党政机关", "", "张三", "0771-1234567", "南宁"],
            ],
        },
    )
    return book, household


def test_workbook_imported_in_dependency_order(full_book):
    book, household = full_book
    result = import_assistance(book)
    assert result.exit_code == 0, errors_of(result)
    hall = Unit.objects.get(name="自治区公安厅")
    county = Unit.objects.get(name="龙州县公安局")
    assert county.parent == hall and hall.contact_phone == "0771-1234567"
    cadre = Cadre.objects.get(name="黄书记")
    assert cadre.unit == county and cadre.sex == "male"
    assignment = Assignment.objects.get()
    assert (assignment.unit, assignment.backing_unit) == (hall, county)
    assert assignment.start_date == datetime.date(2015, 1, 1)
    posting = Posting.objects.get()
    assert (posting.role, posting.full_time) == ("first_secretary", True)
    assert Pairing.objects.get().household == household
    assert result.counts["pairings"].created == 1


def test_reimport_changes_nothing(full_book):
    book, _household = full_book
    import_assistance(book)
    entries = AuditEntry.objects.count()
    again = import_assistance(book)
    assert again.exit_code == 0
    assert again.written == 0
    assert all(c.unchanged == 1 or c.unchanged == 2 for c in again.counts.values())
    assert AuditEntry.objects.count() == entries
    assert Unit.objects.count() == 2 and Pairing.objects.count() == 1


def test_audit_entries_carry_the_batch(full_book):
    book, _household = full_book
    result = import_assistance(book)
    entries = AuditEntry.objects.filter(import_batch_id=result.batch_id)
    assert entries.filter(object_type="assistance.pairing").count() == 1
    assert entries.count() == 6


def _sheets(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    finally:
        wb.close()


def _wipe() -> None:
    Pairing.objects.all().delete()
    Posting.objects.all().delete()
    Assignment.objects.all().delete()
    Cadre.objects.all().delete()
    for unit in sorted(Unit.objects.all(), key=lambda u: -len(u.path)):
        unit.delete()


def test_round_trip_reproduces_the_data(tmp_path, world, household):
    world.secretary.phone = "13800000001"
    world.secretary.id_number = "11010519491231002X"
    world.secretary.full_clean()  # derives the sex from the ID number, as the pages do
    world.secretary.save()
    world.hall.contact_person = "张三"
    world.hall.save()
    make_posting(
        world.secretary,
        XINLIAN,
        "first_secretary",
        datetime.date(2015, 3, 1),
        end_date=datetime.date(2017, 2, 28),
    )
    make_posting(world.officer, LUOHUI, "team_member", datetime.date(2016, 1, 1), full_time=False)
    make_pairing(world.secretary, household, datetime.date(2016, 1, 1))
    first = tmp_path / "first.xlsx"
    counts = export_assistance(first)
    assert counts == {"units": 4, "cadres": 4, "assignments": 3, "postings": 2, "pairings": 1}
    # the same file again changes nothing
    assert import_assistance(first).written == 0
    _wipe()
    result = import_assistance(first)
    assert result.exit_code == 0, errors_of(result)
    second = tmp_path / "second.xlsx"
    export_assistance(second)
    assert _sheets(second) == _sheets(first)
    assert Cadre.objects.get(name="黄书记").id_number == "11010519491231002X"
    assert Unit.objects.get(name="龙州县公安局").parent.name == "崇左市公安局"


def test_csv_round_trip_of_one_kind(tmp_path, world):
    out = tmp_path / "cadres.csv"
    export_assistance(out, kinds=["cadres"])
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    Cadre.objects.all().delete()
    result = import_assistance(out)  # the kind is recognised from the header
    assert result.kinds == ["cadres"] and result.counts["cadres"].created == 4


def test_masked_export_for_users_without_personal_data(tmp_path, world, users):
    world.secretary.phone = "13800000001"
    world.secretary.save()
    out = tmp_path / "masked.csv"
    export_assistance(out, kinds=["cadres"], user=users["viewer"])
    text = out.read_text(encoding="utf-8-sig")
    assert "138****0001" in text and "13800000001" not in text
    assert "钟山县委组织部" not in text  # out of the 龙州县 viewer's scope


def _queries_for_reimport(tmp_path, n: int) -> int:
    from django.db import connection

    cadres = [CADRE_HEADERS] + [[COUNTY_UNIT, f"干部{i}", "", "", "", ""] for i in range(n)]
    book = workbook(tmp_path / f"n{n}.xlsx", {"帮扶干部": cadres})
    assert import_assistance(book).exit_code == 0
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        again = import_assistance(book)
    assert again.counts["cadres"].unchanged == n
    return count


COUNTY_UNIT = "龙州县公安局"


def test_references_are_resolved_per_sheet_not_per_row(tmp_path, world):
    assert _queries_for_reimport(tmp_path, 3) == _queries_for_reimport(tmp_path, 30)
