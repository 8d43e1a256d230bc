"""Streaming reader for .csv and .xlsx files with the header row found below any title rows.

The reader never holds the whole file: CSV is read record by record, .xlsx through openpyxl's
read-only mode (python-calamine loads the whole sheet into memory, which breaks the memory bound
for a county's file). Row numbers are the spreadsheet's own (1-based, title rows counted), so a
user can find a reported row in the file they sent.
"""

from __future__ import annotations

import codecs
import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .normalize import header_key, is_empty, text

HEADER_SCAN_ROWS = 20


class FileUnreadable(Exception):
    """The file cannot be read as a spreadsheet at all (exit code 2); the message says why."""


@dataclass
class Column:
    """A spreadsheet column: its position, the header as written and the field it maps to."""

    index: int
    header: str
    field: str | None


@dataclass
class Table:
    """An opened spreadsheet: the header row found, the column mapping and a row iterator."""

    path: Path
    header_row: int
    columns: list[Column]
    rows_estimate: int
    _rows: Iterator[tuple[int, list]] = field(repr=False)

    @property
    def fields(self) -> dict[str, int]:
        """field name → column index for the recognised columns (first occurrence wins)."""
        result: dict[str, int] = {}
        for col in self.columns:
            if col.field and col.field not in result:
                result[col.field] = col.index
        return result

    @property
    def unknown_columns(self) -> list[Column]:
        return [c for c in self.columns if c.field is None and c.header]

    def header_for(self, field_name: str) -> str:
        for col in self.columns:
            if col.field == field_name:
                return col.header
        return field_name

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number, cells) for every non-empty data row below the header."""
        return self._rows


def detect_kind(path: Path) -> str:
    """ "xlsx" or "csv" from the file's first bytes (the extension can lie)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise FileUnreadable(_("无法打开文件：%(error)s") % {"error": exc}) from None
    if not head:
        raise FileUnreadable(_("文件是空的"))
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileUnreadable(_("不支持旧版 .xls 文件，请另存为 .xlsx 或 .csv 后再导入"))
    return "csv"


def csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030; checked over the whole file in chunks."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    if b"\x00" in chunk:
                        raise FileUnreadable(_("文件不是表格（.csv 或 .xlsx）"))
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise FileUnreadable(_("无法识别文件的字符编码（应为 UTF-8 或 GB18030）"))


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[int, list]]:
    with open(path, encoding=encoding, newline="") as fh:
        try:
            sample = fh.read(8192)
            fh.seek(0)
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
        except csv.Error:
            dialect = csv.excel
        yield from enumerate(csv.reader(fh, dialect), start=1)


def sheet_names(path: str | os.PathLike) -> list[str]:
    """The worksheet names of an .xlsx workbook in order ([] for a .csv). Raises FileUnreadable."""
    import openpyxl

    path = Path(path)
    if detect_kind(path) != "xlsx":
        return []
    try:
        with open(path, "rb") as fh:
            workbook = openpyxl.load_workbook(fh, read_only=True)
            try:
                return list(workbook.sheetnames)
            finally:
                workbook.close()
    except Exception as exc:  # zipfile.BadZipFile, InvalidFileException, KeyError, ...
        raise FileUnreadable(_("无法读取 .xlsx 文件：%(error)s") % {"error": exc}) from None


def _xlsx_rows(path: Path, sheet_name: str | None = None) -> Iterator[tuple[int, list]]:
    import openpyxl

    # A file object, not the path: openpyxl refuses names not ending in .xlsx, and the content
    # (not the extension) decided that this is a workbook.
    fh = open(path, "rb")  # noqa: SIM115 - closed in the finally below
    try:
        workbook = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, InvalidFileException, KeyError, ...
        fh.close()
        raise FileUnreadable(_("无法读取 .xlsx 文件：%(error)s") % {"error": exc}) from None
    try:
        sheet = workbook[sheet_name] if sheet_name else workbook.worksheets[0]
        number = 0
        for row in sheet.iter_rows(values_only=True):
            number += 1
            yield number, list(row)
    finally:
        workbook.close()
        fh.close()


def _xlsx_max_row(path: Path, sheet_name: str | None = None) -> int:
    """The sheet's row count from its dimension record (cheap; 0 when the file lacks one)."""
    import openpyxl

    try:
        with open(path, "rb") as fh:
            workbook = openpyxl.load_workbook(fh, read_only=True)
            try:
                sheet = workbook[sheet_name] if sheet_name else workbook.worksheets[0]
                return sheet.max_row or 0
            finally:
                workbook.close()
    except Exception:
        return 0


def _count_lines(path: Path) -> int:
    count = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def open_table(path: str | os.PathLike, known: dict[str, str], sheet: str | None = None) -> Table:
    """Open a spreadsheet and find its header row.

    `known` maps header spellings (Chinese header and English alias, as `header_key` forms) to
    field names. The header row is the row among the first 20 with the most known names, so a
    title row or two (merged title cells) above it are skipped. Raises FileUnreadable.
    """
    path = Path(path)
    kind = detect_kind(path)
    if kind == "xlsx":
        rows = _xlsx_rows(path, sheet)
        estimate = 0
    else:
        encoding = csv_encoding(path)
        rows = _csv_rows(path, encoding)
        estimate = _count_lines(path)
    try:
        head: list[tuple[int, list]] = []
        for item in rows:
            head.append(item)
            if len(head) >= HEADER_SCAN_ROWS:
                break
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FileUnreadable(_("无法读取文件：%(error)s") % {"error": exc}) from None
    if not head or all(all(is_empty(c) for c in cells) for _n, cells in head):
        raise FileUnreadable(_("文件是空的"))
    best, best_hits = None, 0
    for number, cells in head:
        hits = len({known[k] for c in cells if (k := header_key(c)) in known})
        if hits > best_hits:
            best, best_hits = (number, cells), hits
    if best is None or best_hits < 2:
        raise FileUnreadable(
            _("找不到表头行：前 %(n)d 行中没有可识别的列名") % {"n": HEADER_SCAN_ROWS}
        )
    header_row, header_cells = best
    columns = [
        Column(i, text(cell), known.get(header_key(cell))) for i, cell in enumerate(header_cells)
    ]

    def data_rows() -> Iterator[tuple[int, list]]:
        for number, cells in head:
            if number > header_row and not all(is_empty(c) for c in cells):
                yield number, cells
        for number, cells in rows:
            # Fast path: a first cell with text in it (nearly every row) makes the row non-empty.
            if cells:
                first = cells[0]
                if first.__class__ is str and first and not first.isspace():
                    yield number, cells
                    continue
            if not all(is_empty(c) for c in cells):
                yield number, cells

    if kind == "xlsx":
        estimate = _xlsx_max_row(path, sheet)
    return Table(path, header_row, columns, max(estimate - header_row, 0), data_rows())
