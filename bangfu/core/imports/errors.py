"""Row errors and the downloadable error report.

A `RowError` names what a user needs to fix the file: the spreadsheet row number (as Excel shows
it, title rows counted), the column header as written in the file, the value and the reason in
plain language. Reasons are translated when the error is made (the import runs under the
language the user asked for), so the report needs no further translation.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _


@dataclass(frozen=True, slots=True)
class RowError:
    """One rejected value. `row` is None for a file-level fault (e.g. a missing column);
    `sheet` names the worksheet in a workbook of several sheets ("" when there is one)."""

    row: int | None
    column: str
    value: str
    reason: str
    sheet: str = ""

    def __str__(self) -> str:
        where = _("第 %(row)d 行") % {"row": self.row} if self.row else _("文件")
        if self.sheet:
            where = f"[{self.sheet}] {where}"
        value = f"“{self.value}”" if self.value else ""
        return f"{where} {self.column} {value}: {self.reason}"


def report_headers(lang: str | None = None) -> list[str]:
    """行号/列/值/原因, or row/column/value/reason in English."""
    if (lang or translation.get_language() or "").startswith("en"):
        return ["row", "column", "value", "reason"]
    return ["行号", "列", "值", "原因"]


def sheet_header(lang: str | None = None) -> str:
    """The first column of a report of a workbook of several sheets: 工作表 / sheet."""
    return "sheet" if (lang or translation.get_language() or "").startswith("en") else "工作表"


def write_report(
    errors: Iterable[RowError], path: str | os.PathLike, lang: str | None = None
) -> Path:
    """Write the errors as .xlsx (openpyxl write-only) or .csv (UTF-8 with BOM for Excel),
    chosen by the file's extension. When any error names its sheet, the report starts with a
    sheet column (工作表)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    errors = list(errors)
    headers = report_headers(lang)
    rows = ([e.row if e.row is not None else "", e.column, e.value, e.reason] for e in errors)
    if any(e.sheet for e in errors):
        headers = [sheet_header(lang), *headers]
        rows = ([e.sheet, *row] for e, row in zip(errors, rows, strict=True))
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        english = "row" in headers
        sheet = workbook.create_sheet("errors" if english else "错误")
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        workbook.save(path)
    else:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(headers)
            writer.writerows(rows)
    return path


SHOW_ERRORS = 20


def show_errors(stream, errors: list, limit: int = SHOW_ERRORS) -> None:
    """The first `limit` row errors on a command's stderr, then how many there are in all
    (the full list is the error report): the same for every import command."""
    for error in errors[:limit]:
        stream.write(str(error))
    if len(errors) > limit:
        stream.write(_("……共 %(n)d 条错误，完整列表见错误报告") % {"n": len(errors)})
