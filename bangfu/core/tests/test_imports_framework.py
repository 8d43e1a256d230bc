"""The generic import pieces: value normalisers, the streaming reader, the error report."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal

import pytest

from bangfu.core.imports import normalize as norm
from bangfu.core.imports.errors import RowError, write_report
from bangfu.core.imports.reader import FileUnreadable, open_table
from bangfu.core.imports.runner import Progress

KNOWN = {
    "姓名": "name",
    "name": "name",
    "证件号码": "id_number",
    "id_number": "id_number",
    "年度": "year",
}


@pytest.mark.parametrize("raw", ["是", "Y", "y", "1", "√", "true", "TRUE", " 是 ", 1, 1.0, "1.0"])
def test_yes(raw):
    assert norm.yes_no(raw) is True


@pytest.mark.parametrize("raw", ["否", "N", "n", "0", "×", "false", 0])
def test_no(raw):
    assert norm.yes_no(raw) is False


def test_empty_is_none_never_no_and_nonsense_is_an_error():
    assert norm.yes_no("") is None and norm.yes_no(None) is None
    assert norm.decimal("  ") is None and norm.integer(None) is None
    with pytest.raises(norm.NormalizeError):
        norm.yes_no("也许")


def test_numbers_as_text_and_text_as_numbers():
    assert norm.integer("2015.0") == 2015
    assert norm.integer(2015.0) == 2015
    assert norm.integer("２０１５") == 2015
    assert norm.decimal("1,234.50") == Decimal("1234.50")
    assert norm.decimal(3.5) == Decimal("3.5")
    assert norm.text(2015.0) == "2015"
    assert norm.text("  ＡＢｃ１２ ") == "ABc12"
    with pytest.raises(norm.NormalizeError):
        norm.integer("2015.5")
    with pytest.raises(norm.NormalizeError):
        norm.decimal("三")


@pytest.mark.parametrize(
    "raw",
    [
        "2010-03-05",
        "2010/3/5",
        "2010年3月5日",
        "20100305",
        "2010.3.5",
        40242,
        "40242",
        datetime.datetime(2010, 3, 5, 0, 0),
        datetime.date(2010, 3, 5),
        "２０１０-０３-０５",
    ],
)
def test_dates(raw):
    assert norm.date(raw) == datetime.date(2010, 3, 5)


def test_bad_dates():
    with pytest.raises(norm.NormalizeError):
        norm.date("2010-02-30")
    with pytest.raises(norm.NormalizeError):
        norm.date("三月五日")


def test_header_keys_ignore_width_spaces_and_marks():
    assert norm.header_key(" 耕地面积（亩） *") == "耕地面积(亩)"
    assert norm.header_key("Household_No") == "household_no"


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_header_row_found_below_titles_and_rows_numbered_as_in_the_sheet(tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [["花名册"], [], ["姓名", "证件号码", "备注"], ["张三", "1", "x"], [], ["李四", "2"]],
    )
    table = open_table(path, KNOWN)
    assert table.header_row == 3
    assert [c.header for c in table.unknown_columns] == ["备注"]
    assert [(n, cells[0]) for n, cells in table.rows()] == [(4, "张三"), (6, "李四")]


def test_bom_and_gb18030(tmp_path):
    for encoding in ("utf-8-sig", "gb18030"):
        path = write_csv(
            tmp_path / f"{encoding}.csv", [["姓名", "证件号码"], ["张三", "1"]], encoding
        )
        table = open_table(path, KNOWN)
        assert table.fields == {"name": 0, "id_number": 1}
        assert list(table.rows()) == [(2, ["张三", "1"])]


def test_xlsx_streamed_with_merged_title(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2020 年花名册"])
    ws.merge_cells("A1:C1")
    ws.append(["name", "id_number", "year"])
    ws.append(["张三", "451423", 2020])
    wb.save(tmp_path / "a.xlsx")
    table = open_table(tmp_path / "a.xlsx", KNOWN)
    assert table.header_row == 2
    assert list(table.rows()) == [(3, ["张三", "451423", 2020])]


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "空"),
        (b"\x00\x01\x02\x03", "不是表格"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
        ("甲,乙\n1,2\n".encode(), "表头"),
        (b"PK\x03\x04garbage", ".xlsx"),
    ],
)
def test_unreadable_files(tmp_path, content, reason):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    with pytest.raises(FileUnreadable) as exc:
        open_table(path, KNOWN)
    assert reason in str(exc.value)


def test_error_report_xlsx_and_csv(tmp_path):
    import openpyxl

    errors = [
        RowError(4, "证件号码", "4.51423E+17", "已被 Excel 存成数字"),
        RowError(None, "姓名", "", "缺少必填列"),
    ]
    write_report(errors, tmp_path / "e.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "e.xlsx").active.values)
    assert rows[0] == ("行号", "列", "值", "原因")
    assert rows[1] == (4, "证件号码", "4.51423E+17", "已被 Excel 存成数字")
    write_report(errors, tmp_path / "e.csv", lang="en")
    with open(tmp_path / "e.csv", encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == ["row", "column", "value", "reason"]
    assert lines[2] == ["", "姓名", "", "缺少必填列"]
    assert "第 4 行" in str(errors[0])


@pytest.mark.django_db
def test_progress_is_recorded_on_the_batch():
    from bangfu.core.models import ImportBatch

    batch = ImportBatch.objects.create(kind="x", filename="f.csv")
    progress = Progress(batch, every=0)
    progress.start(10)
    progress.rows(4)
    assert ImportBatch.objects.get(pk=batch.pk).progress_percent == 40
    progress.finish("done")
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert stored.status == "done" and stored.finished is not None
