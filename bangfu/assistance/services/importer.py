"""Import of designated-assistance data from spreadsheets (docs/assistance-exchange.md).

A file is a workbook with one sheet per kind — 帮扶单位, 帮扶干部, 定点帮扶, 驻村任职, 结对帮扶 —
read in that (dependency) order whatever the order of the sheets, or a .csv of one kind (given,
or recognised from its header). It is built on `core.imports`: the streaming reader with the
header found below title rows, the normalisers, `RowError` with the sheet, the error report and
`ImportBatch` progress.

How it works (the files are small — thousands of rows — so correctness and clear messages come
first, and no step costs one query per row of reference lookups):

1. **Read and normalise** every sheet; a cell that cannot be read is a `RowError` naming the
   sheet, row, column, value and reason.
2. **Write** in one transaction, sheet by sheet in dependency order. Per sheet, the references
   (units by name, cadres by unit + name, villages by code, households by 户编号) and the
   existing records are resolved with one query each, scope included (`for_user`). Each row is
   then checked with the models' `full_clean()` — the very rules of the pages and the API
   (`services/rules.py`) — before anything of it is written, and saved with the models' own
   audited `save()` (the audit context carries the batch).
   Rows matching an existing record (the natural key) are applied before new rows, so a file
   that ends an old posting and starts a new one is accepted in any row order.
3. **All or nothing**: when any row was rejected the whole transaction is rolled back, unless
   `partial=True`, which keeps the rows that passed.

Re-importing a file changes nothing: rows are matched by their natural keys and an unchanged
record is not saved (no audit entry). A dated record whose end date is now given gets ended.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from bangfu.core import audit
from bangfu.core.choices import ChangeSource, ImportStatus
from bangfu.core.imports import normalize as norm
from bangfu.core.imports.errors import RowError, write_report
from bangfu.core.imports.reader import FileUnreadable, Table, open_table, sheet_names
from bangfu.core.imports.runner import Progress
from bangfu.core.models import ImportBatch
from bangfu.core.scoping import user_region_code
from bangfu.regions.choices import Level
from bangfu.regions.models import Region
from bangfu.registry.models import Household
from bangfu.registry.services.importer import check_id

from ..models import Assignment, Cadre, Pairing, Posting, Unit
from .layout import CHOICE_ALIASES, KINDS, LAYOUTS, SHEET_NAMES, Col, Layout, sheet_label

KIND = "assistance"
_SPACES = re.compile(r"\s+")
_PHONE = re.compile(r"1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8}|\+?86-?1\d{10}")
_VILLAGE_CODE = re.compile(r"\d{12}")

MODELS = {
    "units": Unit,
    "cadres": Cadre,
    "assignments": Assignment,
    "postings": Posting,
    "pairings": Pairing,
}

# Foreign keys the importer resolves itself, per sheet (full_clean need not query each one).
_RESOLVED = ("unit", "parent", "backing_unit", "cadre", "village", "household")

# Model field (as a ValidationError names it) → layout column.
_FIELD_COLUMN = {
    "village": "village_code",
    "household": "household_no",
    "parent": "parent_unit",
}


def required_permissions(kind: str) -> tuple[str, str]:
    """Importing a kind adds and changes its records: both permissions are needed."""
    name = MODELS[kind]._meta.model_name
    return (f"assistance.add_{name}", f"assistance.change_{name}")


def can_import(user, kind: str | None = None) -> bool:
    if user is None:
        return True
    kinds = [kind] if kind else KINDS
    return any(all(user.has_perm(p) for p in required_permissions(k)) for k in kinds)


# --------------------------------------------------------------------------- result


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    """The outcome of one import. status is an `ImportStatus`: done (every row written),
    rejected (errors, nothing written), partial (errors, the valid rows written) or failed
    (the file could not be read)."""

    status: str = ImportStatus.PENDING
    batch_id: int | None = None
    rows_total: int = 0
    rows_rejected: int = 0
    counts: dict[str, Counts] = field(default_factory=dict)
    kinds: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    message: str = ""
    error_file: str = ""

    @property
    def written(self) -> int:
        return sum(c.created + c.updated for c in self.counts.values())

    @property
    def exit_code(self) -> int:
        """0 every row written, 1 rows rejected, 2 file unreadable (the CLI contract)."""
        if self.status == ImportStatus.FAILED:
            return 2
        return 1 if self.errors else 0

    def summary(self) -> str:
        parts = [
            _("%(sheet)s：新增 %(created)d，更新 %(updated)d，未变 %(unchanged)d")
            % {
                "sheet": sheet_label(kind),
                "created": self.counts[kind].created,
                "updated": self.counts[kind].updated,
                "unchanged": self.counts[kind].unchanged,
            }
            for kind in self.kinds
        ]
        parts.append(
            _("共 %(rows)d 行，拒绝 %(rejected)d 行")
            % {"rows": self.rows_total, "rejected": self.rows_rejected}
        )
        return "；".join(parts)


# --------------------------------------------------------------------------- reading


@dataclass
class Row:
    number: int
    values: dict  # field → normalised value (None or "" when empty), present columns only
    raw: dict  # field → the cell as text, for the report
    ok: bool = True


@dataclass
class Sheet:
    name: str  # as shown in the report: the worksheet's name, or the kind's sheet name for a .csv
    layout: Layout
    table: Table | None
    rows: list[Row] = field(default_factory=list)
    usable: bool = True  # False: a missing column or permission; no row of it is written


def _detect(path: Path, sheet: str | None) -> tuple[Layout, Table]:
    """The layout whose headers the sheet matches best (all required columns first, then the
    number of recognised columns); a tie is refused rather than guessed."""
    scored = []
    failure: FileUnreadable | None = None
    for kind in KINDS:
        layout = LAYOUTS[kind]
        try:
            table = open_table(path, layout.known_headers(), sheet)
        except FileUnreadable as exc:
            failure = exc
            continue
        fields = table.fields
        complete = all(c.field in fields for c in layout.columns if c.required)
        scored.append(((complete, len(fields)), layout, table))
    if not scored:
        raise failure or FileUnreadable(_("文件是空的"))
    scored.sort(key=lambda s: s[0], reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        raise FileUnreadable(
            _("无法从表头判断是哪一类帮扶数据（%(a)s 或 %(b)s），请指定类型")
            % {"a": scored[0][1].sheet, "b": scored[1][1].sheet}
        )
    return scored[0][1], scored[0][2]


def open_sheets(path: Path, kind: str | None) -> tuple[list[Sheet], list[RowError]]:
    """The sheets to import in dependency order, and notes about sheets left out.
    Raises FileUnreadable when nothing in the file can be read as assistance data."""
    if kind is not None and kind not in LAYOUTS:
        raise FileUnreadable(
            _("未知的数据类型“%(kind)s”（可选：%(kinds)s）")
            % {"kind": kind, "kinds": "、".join(KINDS)}
        )
    names = sheet_names(path)
    if not names:  # a .csv: one kind
        if kind:
            layout = LAYOUTS[kind]
            table = open_table(path, layout.known_headers())
        else:
            layout, table = _detect(path, None)
        return [Sheet(layout.sheet, layout, table)], []
    sheets: list[Sheet] = []
    notes: list[RowError] = []
    for name in names:
        named = SHEET_NAMES.get(norm.header_key(name))
        if kind and len(names) == 1:
            named = kind
        if kind and named is not None and named != kind:
            continue
        if named is not None:
            layout = LAYOUTS[named]
            try:
                table = open_table(path, layout.known_headers(), name)
            except FileUnreadable as exc:
                # A sheet named for a kind that cannot be read is an error in that sheet.
                sheet = Sheet(name, layout, None, usable=False)
                sheets.append(sheet)
                notes.append(RowError(None, "", "", str(exc), name))
                continue
        else:
            try:
                layout, table = _detect(path, name)
            except FileUnreadable:
                notes.append(RowError(None, "", "", _("不是可识别的帮扶数据工作表，未导入"), name))
                continue
            if kind and layout.kind != kind:
                continue
        sheets.append(Sheet(name, layout, table))
    if not sheets:
        raise FileUnreadable(
            _("工作簿中没有可识别的帮扶数据工作表（应为：%(sheets)s）")
            % {"sheets": "、".join(LAYOUTS[k].sheet for k in KINDS)}
        )
    sheets.sort(key=lambda s: KINDS.index(s.layout.kind))
    return sheets, notes


class Parser:
    """Cell → value or a reason, per the layout's column types."""

    def __init__(self) -> None:
        self.lookups: dict[type, dict[str, str]] = {}

    def lookup(self, choices) -> dict[str, str]:
        if choices not in self.lookups:
            self.lookups[choices] = norm.choice_lookup(choices, CHOICE_ALIASES.get(choices))
        return self.lookups[choices]

    def parse(self, col: Col, cell):
        kind = col.kind
        if kind == "text":
            value = _SPACES.sub(" ", norm.text(cell))
            if col.max_length and len(value) > col.max_length:
                raise ValueError(_("不能超过 %(n)d 个字") % {"n": col.max_length})
            return value
        if norm.is_empty(cell):
            return None
        if kind == "choice":
            code = self.lookup(col.choices).get(norm.header_key(cell))
            if code is None:
                options = "、".join(str(label) for _c, label in col.choices.choices)
                raise ValueError(_("不是可选的值（可填：%(options)s）") % {"options": options})
            return code
        if kind == "date":
            return norm.date(cell)
        if kind == "bool":
            return norm.yes_no(cell)
        if kind == "phone":
            value = norm.text(cell).replace(" ", "")
            if not _PHONE.fullmatch(value):
                raise ValueError(_("联系电话应为 11 位手机号码或固定电话号码"))
            return value
        if kind == "id":
            return check_id(cell)
        if kind == "village":
            value = norm.text(cell)
            if not _VILLAGE_CODE.fullmatch(value):
                raise ValueError(_("村代码应为 12 位数字"))
            return value
        raise AssertionError(kind)


# --------------------------------------------------------------------------- the import


def import_assistance(
    path: str | Path,
    *,
    kind: str | None = None,
    user=None,
    partial: bool = False,
    lang: str = "zh-hans",
    batch: ImportBatch | None = None,
    filename: str | None = None,
) -> ImportResult:
    """Import an assistance workbook or a .csv of one kind and return what happened.

    `user` limits the rows to the user's scope (None: a system import with no limit) and is
    recorded in the audit log; `partial` keeps the valid rows when others are rejected; `lang`
    is the language of the reasons; `batch` is the `ImportBatch` a page polls (one is created
    when not given). The error report (.xlsx) is written under BANGFU_IMPORT_DIR.
    """
    path = Path(path)
    if batch is None:
        batch = ImportBatch.objects.create(
            kind=KIND,
            filename=filename or path.name,
            user=user if user is not None and user.is_authenticated else None,
            partial=partial,
            scope=(user_region_code(user) or "") if user is not None else "",
        )
    with translation.override(lang):
        try:
            return _Import(path, kind, user, partial, lang, batch).run()
        except Exception as exc:
            with contextlib.suppress(Exception):  # the original error matters more
                Progress(batch).finish(ImportStatus.FAILED, message=str(exc)[:2000])
            raise


class _Rejected(Exception):
    """A row refused while writing: its errors are already recorded."""


class _Import:
    def __init__(self, path: Path, kind, user, partial: bool, lang: str, batch: ImportBatch):
        self.path = path
        self.kind = kind
        self.user = user
        self.partial = partial
        self.lang = lang
        self.batch = batch
        self.progress = Progress(batch)
        self.result = ImportResult(batch_id=batch.pk)
        self.errors: list[RowError] = []
        self.rejected_rows: set[tuple[str, int]] = set()
        self.done = 0
        self.sheet_order: dict[str, int] = {}
        # What this import wrote, so later sheets may refer to it (and a region user to a unit
        # they have just created).
        self.units_written: dict[str, Unit] = {}
        self.units_refused: set[str] = set()
        self.cadres_refused: set[tuple[str, str]] = set()

    # ----------------------------------------------------------------------- outline

    def run(self) -> ImportResult:
        self.progress.update(status=ImportStatus.RUNNING)
        try:
            sheets, notes = open_sheets(self.path, self.kind)
        except FileUnreadable as exc:
            return self.finish(ImportStatus.FAILED, str(exc))
        for note in notes:
            if any(s.name == note.sheet and s.table is None for s in sheets):
                self.errors.append(note)
            else:
                self.result.notes.append(note)
                self.result.warnings.append(str(note))
        self.sheet_order = {s.name: i for i, s in enumerate(sheets)}
        self.result.kinds = list(dict.fromkeys(s.layout.kind for s in sheets))
        self.result.counts = {k: Counts() for k in self.result.kinds}
        parser = Parser()
        try:
            for sheet in sheets:
                if sheet.table is not None:
                    self.check_sheet(sheet)
                    self.read(sheet, parser)
        except FileUnreadable as exc:
            return self.finish(ImportStatus.FAILED, str(exc))
        self.result.rows_total = sum(len(s.rows) for s in sheets)
        if self.result.rows_total == 0 and not self.errors:
            return self.finish(ImportStatus.FAILED, _("文件中没有数据行"))
        self.progress.start(self.result.rows_total)
        self.progress.update(message=_("正在写入数据库"))
        with (
            transaction.atomic(),
            audit.audit_context(
                user=self.user, source=ChangeSource.IMPORT, import_batch=self.batch
            ),
        ):
            for sheet in sheets:
                if sheet.usable:
                    getattr(self, f"write_{sheet.layout.kind}")(sheet)
                else:
                    for row in sheet.rows:
                        self.rejected_rows.add((sheet.name, row.number))
            if self.errors and not self.partial:
                transaction.set_rollback(True)
        self.progress.rows(self.result.rows_total, force=True)
        if self.errors and not self.partial:
            self.result.counts = {k: Counts() for k in self.result.kinds}
            return self.finish(ImportStatus.REJECTED, _("有错误，未写入任何数据"))
        if self.errors:
            return self.finish(ImportStatus.PARTIAL, _("部分写入：有错误的行未写入"))
        return self.finish(ImportStatus.DONE, _("导入完成"))

    def check_sheet(self, sheet: Sheet) -> None:
        table, layout = sheet.table, sheet.layout
        for col in table.unknown_columns:
            note = RowError(
                table.header_row, col.header, "", _("未识别的列，其内容未导入"), sheet.name
            )
            self.result.notes.append(note)
            self.result.warnings.append(str(note))
        for col in layout.columns:
            if col.required and col.field not in table.fields:
                sheet.usable = False
                self.errors.append(
                    RowError(
                        table.header_row,
                        col.header,
                        "",
                        _("缺少必填列“%(header)s”") % {"header": col.header},
                        sheet.name,
                    )
                )
        if self.user is not None and not all(
            self.user.has_perm(p) for p in required_permissions(layout.kind)
        ):
            sheet.usable = False
            self.errors.append(
                RowError(
                    None,
                    "",
                    "",
                    _("您没有导入“%(sheet)s”的权限") % {"sheet": sheet_label(layout.kind)},
                    sheet.name,
                )
            )

    def read(self, sheet: Sheet, parser: Parser) -> None:
        table = sheet.table
        present = table.fields
        columns = [c for c in sheet.layout.columns if c.field in present]
        try:
            for number, cells in table.rows():
                row = Row(number, {}, {})
                for col in columns:
                    index = present[col.field]
                    cell = cells[index] if index < len(cells) else None
                    row.raw[col.field] = norm.text(cell)
                    if col.read_only:
                        continue
                    try:
                        value = parser.parse(col, cell)
                    except ValueError as exc:
                        self.reject(sheet, row, col.field, str(exc))
                        continue
                    if col.required and value in (None, ""):
                        self.reject(sheet, row, col.field, _("必填，不能为空"))
                        continue
                    row.values[col.field] = value
                start, end = row.values.get("start_date"), row.values.get("end_date")
                if start and end and end < start:
                    self.reject(sheet, row, "end_date", _("结束日期不能早于开始日期"))
                sheet.rows.append(row)
        except (UnicodeDecodeError, ValueError) as exc:
            raise FileUnreadable(_("无法读取文件：%(error)s") % {"error": exc}) from None

    # ----------------------------------------------------------------------- errors

    def reject(self, sheet: Sheet, row: Row, field_name: str, reason: str) -> None:
        layout = sheet.layout
        columns = {c.field for c in layout.columns}
        if field_name not in columns:
            field_name = layout.columns[0].field
        header = (
            sheet.table.header_for(field_name)
            if sheet.table is not None and field_name in sheet.table.fields
            else layout.column(field_name).header
        )
        self.errors.append(
            RowError(row.number, header, row.raw.get(field_name, ""), reason, sheet.name)
        )
        row.ok = False
        self.rejected_rows.add((sheet.name, row.number))

    def reject_validation(self, sheet: Sheet, row: Row, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                column = _FIELD_COLUMN.get(name, name)
                for message in messages:
                    self.reject(sheet, row, column, message)
        else:
            for message in exc.messages:
                self.reject(sheet, row, "", message)

    # ----------------------------------------------------------------------- writing

    def save(self, sheet: Sheet, row: Row, obj, before: dict | None) -> None:
        """Check `obj` with the model's rules and save it; count the outcome.
        `before` is the audited snapshot of an existing record (None for a new one)."""
        counts = self.result.counts[sheet.layout.kind]
        fields = obj.get_audit_fields()
        if before is not None and audit.snapshot(obj, fields) == before:
            counts.unchanged += 1
            return
        try:
            # The references were resolved (and scope-checked) for the whole sheet: no need to
            # look each one up again. The rules (`clean()`) all run.
            obj.full_clean(exclude=_RESOLVED)
        except ValidationError as exc:
            self.reject_validation(sheet, row, exc)
            raise _Rejected from None
        if before is not None and audit.snapshot(obj, fields) == before:
            counts.unchanged += 1
            return
        # A refused row is refused by full_clean(), before anything is written, so a row needs
        # no savepoint; an unexpected database error ends the whole import (rolled back).
        obj.save()
        if before is None:
            counts.created += 1
        else:
            counts.updated += 1

    def tick(self) -> None:
        self.done += 1
        self.progress.rows(self.done)

    def good_rows(self, sheet: Sheet) -> list[Row]:
        rows = [r for r in sheet.rows if r.ok]
        self.done += len(sheet.rows) - len(rows)
        return rows

    def visible_units(self, names) -> set[int]:
        qs = Unit.objects.filter(name__in=names)
        if self.user is not None:
            qs = Unit.objects.for_user(self.user).filter(name__in=names)
        return set(qs.values_list("pk", flat=True)) | {u.pk for u in self.units_written.values()}

    def resolve_units(self, names: set[str]) -> dict[str, Unit | str]:
        """Unit name → the unit, or the reason it cannot be used: two queries for a sheet."""
        names = {n for n in names if n}
        found: dict[str, list[Unit]] = defaultdict(list)
        for unit in Unit.objects.filter(name__in=names):
            found[unit.name].append(unit)
        visible = self.visible_units(names)
        resolved: dict[str, Unit | str] = {}
        for name in names:
            units = found.get(name, [])
            if not units:
                resolved[name] = (
                    _("单位“%(name)s”在本文件的帮扶单位表中有错误，未导入")
                    if name in self.units_refused
                    else _("单位“%(name)s”不存在（请先在帮扶单位表中填写）")
                ) % {"name": name}
            elif len(units) > 1:
                resolved[name] = _("系统中有 %(n)d 个名为“%(name)s”的单位，无法确定是哪一个") % {
                    "n": len(units),
                    "name": name,
                }
            elif units[0].pk not in visible:
                resolved[name] = _("单位“%(name)s”不在您的管辖范围内") % {"name": name}
            else:
                resolved[name] = units[0]
        return resolved

    def unit_of(self, sheet, row, units, field_name: str) -> Unit | None:
        name = row.values.get(field_name)
        if not name:
            return None
        unit = units[name]
        if isinstance(unit, str):
            self.reject(sheet, row, field_name, unit)
            raise _Rejected
        return unit

    def resolve_villages(self, codes: set[str]) -> tuple[dict[str, str], set[str]]:
        """Village code → name for villages that exist, and the codes in the user's scope."""
        villages = dict(
            Region.objects.filter(pk__in=codes, level=Level.VILLAGE).values_list("pk", "name")
        )
        if self.user is None:
            return villages, set(villages)
        scoped = set(
            Region.objects.for_user(self.user).filter(pk__in=codes).values_list("pk", flat=True)
        )
        return villages, scoped

    def village_of(self, sheet, row, villages, scoped) -> str:
        code = row.values["village_code"]
        if code not in villages:
            self.reject(sheet, row, "village_code", _("村代码不存在或不是村级行政区划"))
            raise _Rejected
        if code not in scoped:
            self.reject(sheet, row, "village_code", _("该村不在您的管辖范围内"))
            raise _Rejected
        name = row.values.get("village_name")
        if name and name != villages[code]:
            self.reject(
                sheet,
                row,
                "village_name",
                _("村名称与村代码不符：该代码是“%(name)s”") % {"name": villages[code]},
            )
            raise _Rejected
        return code

    def run_rows(self, sheet: Sheet, rows: list[Row], handle) -> None:
        for row in rows:
            try:
                handle(row)
            except _Rejected:
                pass
            self.tick()

    # ----------------------------------------------------------------------- units

    def write_units(self, sheet: Sheet) -> None:
        rows = self.good_rows(sheet)
        self.units_refused |= {r.raw.get("name") for r in sheet.rows if not r.ok} - {None, ""}
        first: dict[str, int] = {}
        unique: list[Row] = []
        for row in rows:
            name = row.values["name"]
            if name in first:
                self.reject(
                    sheet,
                    row,
                    "name",
                    _("单位名称在文件中重复：与第 %(row)d 行相同") % {"row": first[name]},
                )
                self.units_refused.add(name)
                self.tick()
                continue
            first[name] = row.number
            unique.append(row)
        names = {r.values["name"] for r in unique} | {
            r.values.get("parent_unit") for r in unique if r.values.get("parent_unit")
        }
        existing: dict[str, list[Unit]] = defaultdict(list)
        for unit in Unit.objects.filter(name__in=names):
            existing[unit.name].append(unit)
        visible = self.visible_units(names)
        in_file = {r.values["name"]: r for r in unique}
        # Parents before their backing units: each pass writes the rows whose parent is not
        # waiting; a parent chain that loops leaves rows that never become ready.
        waiting = list(unique)
        while waiting:
            ready = [
                r
                for r in waiting
                if not (p := r.values.get("parent_unit"))
                or p not in in_file
                or in_file[p] not in waiting
                or p == r.values["name"]
            ]
            if not ready:
                for row in waiting:
                    self.reject(sheet, row, "parent_unit", _("上级帮扶单位形成循环"))
                    self.units_refused.add(row.values["name"])
                    self.tick()
                break
            for row in ready:
                waiting.remove(row)
                try:
                    self.write_unit(sheet, row, existing, visible)
                except _Rejected:
                    self.units_refused.add(row.values["name"])
                self.tick()

    def write_unit(self, sheet, row, existing, visible) -> None:
        values = row.values
        name = values["name"]
        units = existing.get(name, [])
        if len(units) > 1:
            self.reject(
                sheet,
                row,
                "name",
                _("系统中有 %(n)d 个名为“%(name)s”的单位，无法确定是哪一个")
                % {"n": len(units), "name": name},
            )
            raise _Rejected
        unit = units[0] if units else None
        if unit is not None and unit.pk not in visible:
            self.reject(sheet, row, "name", _("单位“%(name)s”不在您的管辖范围内") % {"name": name})
            raise _Rejected
        parent = None
        parent_name = values.get("parent_unit")
        if parent_name:
            if parent_name in self.units_written:
                parent = self.units_written[parent_name]
            elif parent_name in self.units_refused:
                self.reject(
                    sheet,
                    row,
                    "parent_unit",
                    _("单位“%(name)s”在本文件的帮扶单位表中有错误，未导入") % {"name": parent_name},
                )
                raise _Rejected
            else:
                candidates = existing.get(parent_name, [])
                if len(candidates) != 1 or candidates[0].pk not in visible:
                    reason = (
                        _("单位“%(name)s”不存在（请先在帮扶单位表中填写）")
                        if not candidates
                        else _("系统中有 %(n)d 个名为“%(name)s”的单位，无法确定是哪一个")
                        if len(candidates) > 1
                        else _("单位“%(name)s”不在您的管辖范围内")
                    )
                    self.reject(
                        sheet,
                        row,
                        "parent_unit",
                        reason % {"name": parent_name, "n": len(candidates)},
                    )
                    raise _Rejected
                parent = candidates[0]
        before = None
        if unit is None:
            unit = Unit(name=name)
        else:
            before = audit.snapshot(unit, unit.get_audit_fields())
        unit.kind = values["kind"]
        if "parent_unit" in values:
            unit.parent = parent
        for name_ in ("contact_person", "contact_phone", "address"):
            if name_ in values:
                setattr(unit, name_, values[name_] or "")
        self.save(sheet, row, unit, before)
        self.units_written[name] = unit
        existing[name] = [unit]

    # ----------------------------------------------------------------------- cadres

    @staticmethod
    def match_cadre(candidates: list[Cadre], id_number: str, phone: str):
        """(cadre, ambiguous): the cadre of a unit + name the row means, telling namesakes
        apart by ID number, then phone."""
        if not candidates:
            return None, False
        if id_number:
            same = [c for c in candidates if c.id_number == id_number]
            if same:
                return same[0], False
            candidates = [c for c in candidates if not c.id_number]
            if not candidates:
                return None, False  # a namesake with another ID number
        if len(candidates) > 1 and phone:
            same = [c for c in candidates if c.phone == phone]
            if len(same) == 1:
                return same[0], False
        if len(candidates) == 1:
            return candidates[0], False
        return None, True

    def existing_cadres(self, units, names) -> dict[tuple[int, str], list[Cadre]]:
        unit_ids = [u.pk for u in units.values() if isinstance(u, Unit)]
        found: dict[tuple[int, str], list[Cadre]] = defaultdict(list)
        for cadre in Cadre.objects.filter(unit_id__in=unit_ids, name__in=names).order_by("pk"):
            found[(cadre.unit_id, cadre.name)].append(cadre)
        return found

    def write_cadres(self, sheet: Sheet) -> None:
        rows = self.good_rows(sheet)
        self.cadres_refused |= {
            (r.raw.get("unit", ""), r.raw.get("name", "")) for r in sheet.rows if not r.ok
        }
        units = self.resolve_units({r.values["unit"] for r in rows})
        existing = self.existing_cadres(units, {r.values["name"] for r in rows})
        written: dict[int, int] = {}  # cadre id → row number

        def handle(row: Row) -> None:
            values = row.values
            try:
                unit = self.unit_of(sheet, row, units, "unit")
            except _Rejected:
                self.cadres_refused.add((values["unit"], values["name"]))
                raise
            key = (unit.pk, values["name"])
            cadre, ambiguous = self.match_cadre(
                existing[key], values.get("id_number") or "", values.get("phone") or ""
            )
            if ambiguous:
                self.cadres_refused.add((values["unit"], values["name"]))
                self.reject(
                    sheet,
                    row,
                    "name",
                    _("该单位有多名干部叫“%(name)s”，请填写证件号码或联系电话以区分")
                    % {"name": values["name"]},
                )
                raise _Rejected
            if cadre is not None and cadre.pk in written:
                self.reject(
                    sheet,
                    row,
                    "name",
                    _("与第 %(row)d 行是同一名干部（同单位同名，请用证件号码或联系电话区分）")
                    % {"row": written[cadre.pk]},
                )
                raise _Rejected
            before = None
            if cadre is None:
                cadre = Cadre(unit=unit, name=values["name"])
            else:
                before = audit.snapshot(cadre, cadre.get_audit_fields())
            for name in ("sex", "phone", "position", "id_number"):
                if name in values:
                    setattr(cadre, name, values[name] or "")
            try:
                self.save(sheet, row, cadre, before)
            except _Rejected:
                self.cadres_refused.add((values["unit"], values["name"]))
                raise
            if before is None:
                existing[key].append(cadre)
            written[cadre.pk] = row.number

        self.run_rows(sheet, rows, handle)

    def resolve_cadres(self, sheet: Sheet, rows: list[Row]) -> dict[int, Cadre]:
        """Row number → cadre for the rows whose cadre is found and in scope (the others are
        rejected): one query for the units, one for the cadres."""
        units = self.resolve_units({r.values["unit"] for r in rows})
        existing = self.existing_cadres(units, {r.values["cadre"] for r in rows})
        cadres: dict[int, Cadre] = {}
        for row in rows:
            values = row.values
            unit = units[values["unit"]]
            if isinstance(unit, str):
                self.reject(sheet, row, "unit", unit)
                continue
            cadre, ambiguous = self.match_cadre(
                existing[(unit.pk, values["cadre"])],
                values.get("cadre_id_number") or "",
                values.get("cadre_phone") or "",
            )
            if cadre is not None:
                cadres[row.number] = cadre
            elif ambiguous:
                self.reject(
                    sheet,
                    row,
                    "cadre",
                    _("该单位有多名干部叫“%(name)s”，请填写干部证件号码或干部联系电话以区分")
                    % {"name": values["cadre"]},
                )
            elif (values["unit"], values["cadre"]) in self.cadres_refused:
                self.reject(
                    sheet,
                    row,
                    "cadre",
                    _("干部“%(name)s”在本文件的帮扶干部表中有错误，未导入")
                    % {"name": values["cadre"]},
                )
            else:
                self.reject(
                    sheet,
                    row,
                    "cadre",
                    _("干部“%(name)s”（%(unit)s）不存在（请先在帮扶干部表中填写）")
                    % {"name": values["cadre"], "unit": values["unit"]},
                )
        return cadres

    # ----------------------------------------------------------------------- dated records

    def write_dated(self, sheet: Sheet, rows: list[Row], keyed: dict, build) -> None:
        """Rows matching an existing record first (they may end it), then the new ones.
        `keyed`: row number → (existing record or None); `build(row, obj)` fills the record."""
        existing = [r for r in rows if keyed.get(r.number) is not None]
        new = [r for r in rows if r.number in keyed and keyed[r.number] is None]
        self.done += len(rows) - len(existing) - len(new)
        seen: dict[int, int] = {}

        def handle(row: Row) -> None:
            obj = keyed[row.number]
            before = None
            if obj is not None:
                if obj.pk in seen:
                    self.reject(
                        sheet,
                        row,
                        "start_date",
                        _("与第 %(row)d 行是同一条记录") % {"row": seen[obj.pk]},
                    )
                    raise _Rejected
                seen[obj.pk] = row.number
                before = audit.snapshot(obj, obj.get_audit_fields())
            obj = build(row, obj)
            # An empty end date never reopens a record that has ended: history is kept.
            end = row.values.get("end_date")
            if end is not None:
                obj.end_date = end
            self.save(sheet, row, obj, before)

        self.run_rows(sheet, existing + new, handle)

    def write_assignments(self, sheet: Sheet) -> None:
        rows = self.good_rows(sheet)
        units = self.resolve_units(
            {r.values["unit"] for r in rows} | {r.values.get("backing_unit") for r in rows}
        )
        villages, scoped = self.resolve_villages({r.values["village_code"] for r in rows})
        unit_ids = [u.pk for u in units.values() if isinstance(u, Unit)]
        found = {
            (a.unit_id, a.village_id, a.start_date): a
            for a in Assignment.objects.filter(unit_id__in=unit_ids, village_id__in=scoped)
        }
        keyed: dict[int, Assignment | None] = {}
        refs: dict[int, tuple] = {}
        for row in rows:
            try:
                unit = self.unit_of(sheet, row, units, "unit")
                backing = self.unit_of(sheet, row, units, "backing_unit")
                village = self.village_of(sheet, row, villages, scoped)
            except _Rejected:
                continue
            keyed[row.number] = found.get((unit.pk, village, row.values["start_date"]))
            refs[row.number] = (unit, backing, village)

        def build(row: Row, obj: Assignment | None) -> Assignment:
            unit, backing, village = refs[row.number]
            if obj is None:
                obj = Assignment(unit=unit, village_id=village, start_date=row.values["start_date"])
            if "backing_unit" in row.values:
                obj.backing_unit = backing
            if "note" in row.values:
                obj.note = row.values["note"] or ""
            return obj

        self.write_dated(sheet, rows, keyed, build)

    def write_postings(self, sheet: Sheet) -> None:
        rows = self.good_rows(sheet)
        cadres = self.resolve_cadres(sheet, rows)
        villages, scoped = self.resolve_villages({r.values["village_code"] for r in rows})
        found = {
            (p.cadre_id, p.village_id, p.role, p.start_date): p
            for p in Posting.objects.filter(
                cadre__in=[c.pk for c in cadres.values()], village_id__in=scoped
            )
        }
        keyed: dict[int, Posting | None] = {}
        refs: dict[int, tuple] = {}
        for row in rows:
            if row.number not in cadres or not row.ok:
                continue
            try:
                village = self.village_of(sheet, row, villages, scoped)
            except _Rejected:
                continue
            cadre, values = cadres[row.number], row.values
            keyed[row.number] = found.get((cadre.pk, village, values["role"], values["start_date"]))
            refs[row.number] = (cadre, village)

        def build(row: Row, obj: Posting | None) -> Posting:
            cadre, village = refs[row.number]
            if obj is None:
                obj = Posting(
                    cadre=cadre,
                    village_id=village,
                    role=row.values["role"],
                    start_date=row.values["start_date"],
                )
            obj.full_time = row.values["full_time"]
            return obj

        self.write_dated(sheet, rows, keyed, build)

    def write_pairings(self, sheet: Sheet) -> None:
        rows = self.good_rows(sheet)
        cadres = self.resolve_cadres(sheet, rows)
        numbers = {r.values["household_no"] for r in rows}
        households = set(
            Household.objects.filter(household_no__in=numbers).values_list(
                "household_no", flat=True
            )
        )
        scoped_qs = Household.objects.all() if self.user is None else None
        if scoped_qs is None:
            scoped_qs = Household.objects.for_user(self.user)
        scoped = {
            h.household_no: h
            for h in scoped_qs.filter(household_no__in=numbers).only(
                "pk", "household_no", "region_id"
            )
        }
        found = {
            (p.cadre_id, p.household_id, p.start_date): p
            for p in Pairing.objects.filter(
                cadre__in=[c.pk for c in cadres.values()],
                household_id__in=[h.pk for h in scoped.values()],
            )
        }
        keyed: dict[int, Pairing | None] = {}
        refs: dict[int, tuple] = {}
        for row in rows:
            if row.number not in cadres or not row.ok:
                continue
            number = row.values["household_no"]
            if number not in households:
                self.reject(sheet, row, "household_no", _("户编号不存在：登记册中没有这一户"))
                continue
            if number not in scoped:
                self.reject(sheet, row, "household_no", _("该户不在您的管辖范围内"))
                continue
            cadre, household = cadres[row.number], scoped[number]
            keyed[row.number] = found.get((cadre.pk, household.pk, row.values["start_date"]))
            refs[row.number] = (cadre, household)

        def build(row: Row, obj: Pairing | None) -> Pairing:
            cadre, household = refs[row.number]
            if obj is None:
                obj = Pairing(cadre=cadre, household=household, start_date=row.values["start_date"])
            return obj

        self.write_dated(sheet, rows, keyed, build)

    # ----------------------------------------------------------------------- outcome

    def finish(self, status: str, message: str) -> ImportResult:
        result = self.result
        result.status = status
        result.message = message
        self.errors.sort(key=lambda e: (self.sheet_order.get(e.sheet, -1), e.row or 0))
        result.errors = self.errors
        if status == ImportStatus.REJECTED:
            result.rows_rejected = result.rows_total
        else:
            result.rows_rejected = len(self.rejected_rows)
        report = self.errors + result.notes
        if report:
            out = Path(settings.BANGFU_IMPORT_DIR) / f"batch-{self.batch.pk}-errors.xlsx"
            write_report(report, out, self.lang)
            result.error_file = str(out)
        warnings = "\n".join(result.warnings)
        self.progress.finish(
            status,
            message="\n".join(
                filter(
                    None,
                    [message, result.summary() if status != ImportStatus.FAILED else "", warnings],
                )
            ),
            rows_rejected=result.rows_rejected,
            households_written=result.written,
            error_file=result.error_file,
        )
        return result
