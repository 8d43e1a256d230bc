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
from bangfu.assistance.testing import DAQIAO, LUOHUI, XIAGANG, XINLIAN, make_pairing
from bangfu.core.models import AuditEntry
from bangfu.core.testing import make_household

UNIT_HEADERS = ["单位名称", "单位类型", "上级帮扶单位", "联系人", "联系电话", "地址"]
CADRE_HEADERS = ["所属单位", "姓名", "性别", "联系电话", "职务", "证件号码"]
ASSIGNMENT_HEADERS = ["帮扶单位", "村代码", "开始日期", "结束日期", "后盾单位"]
POSTING_HEADERS = ["所属单位", "干部姓名", "村代码", "驻村职务", "全脱产", "开始日期", "结束日期"]
PAIRING_HEADERS = ["所属单位", "干部姓名", "户编号", "开始日期", "结束日期"]


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
