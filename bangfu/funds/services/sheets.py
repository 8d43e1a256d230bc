"""One spreadsheet mechanism for every record of issue 4 (funds, projects, cooperatives,
microcredit, employment, consumption, commitments): import AND export through the same
declarative `Layout`, built on `core.imports` (the reader that finds the header below title
rows, the normalisers, `RowError`, the error report).

A `Layout` lists its columns (`Col`: the field, the header spellings — the first is the one the
export writes —, the kind of value, whether required), how references are resolved (one scoped
query per reference column), the natural key that matches a row to an existing record, and how a
record is written (`writer`: the app's service, so a row obeys the rules, locks and messages of
the pages and the API; default `full_clean()` then the audited save).

Import (`import_sheet`):
- every cell normalised; a bad cell is a `RowError` naming the row (the spreadsheet's own
  number), the column as written in the file, the value and the reason in Chinese;
- money is 元; a column whose header says 万元 (“金额（万元）”) is accepted and converted
  (× 10,000) — only then: a number is never guessed to be in 万元; a file with both a 元 and a 万元
  column for the same amount is refused; after conversion an amount must be whole fen;
- references resolve inside the user's scope (`for_user`): a household outside it is "not
  found"; a name matching several records is refused ("请改填编号");
- a row whose natural key matches an existing record updates it (unchanged rows write nothing);
  for append-only records (allocations, pool inflows, payments) a matching row is "unchanged"
  when equal and refused when it differs; each existing record matches one row at most, so a
  file with two equal rows writes two records, and importing the same file twice changes
  nothing; `import(export(x))` reproduces x;
- rows are applied in file order (so an allocation in row 9 sees rows 2–8), each in a savepoint;
  all or nothing (one transaction) unless `partial=True`, which keeps the good rows;
- a layout with a `bulk_writer` (allocations) gets its new records `BATCH` at a time instead:
  it checks them in file order with the same rules and writes the good ones set-based (a few
  statements per batch, not a dozen per row), so a county's file of tens of thousands of rows
  is one streaming pass.

Export (`export_rows`, `write_export`): the same columns and headers, from
`layout.queryset(user)` (scoped) optionally narrowed by the list page's FilterSet; money in 元
as exact decimals, choices as their Chinese labels, references by the key the import resolves,
personal columns (证件号码) masked without `accounts.view_personal_data`.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bangfu.core import audit
from bangfu.core.choices import ChangeSource, ImportStatus
from bangfu.core.imports import normalize as norm
from bangfu.core.imports.errors import RowError
from bangfu.core.imports.reader import FileUnreadable, open_table
from bangfu.core.imports.runner import Progress
from bangfu.core.privacy import id_number_for

WAN = Decimal("10000")
CENT = Decimal("0.01")
AMBIGUOUS = object()  # a resolver's value for a key naming several records
BATCH = 2000  # new records a layout's `bulk_writer` writes at a time


@dataclass(frozen=True)
class Col:
    field: str  # the key of the row's values (a model field unless `model_field` says)
    headers: tuple[str, ...]  # spellings; the first is the canonical header (the export's)
    kind: str = "text"  # text | int | decimal | date | money | choice | ref
    required: bool = False
    choices: type | None = None  # a TextChoices for kind "choice"
    model_field: str | None = None  # the model attribute set from it (refs: the FK)
    export: Callable | None = None  # obj -> cell value; default: the model attribute
    personal: bool = False  # masked in exports without accounts.view_personal_data
    write: bool = True  # False: a column only the writer reads (e.g. a member's name)

    @property
    def header(self) -> str:
        return self.headers[0]

    @property
    def attr(self) -> str:
        return self.model_field or self.field


@dataclass
class Layout:
    kind: str  # the command's name for it: "loans", "projects" …
    title: str  # the sheet's name (Chinese)
    model: type
    columns: tuple[Col, ...]
    resolvers: dict[str, Callable] = field(default_factory=dict)  # ref field → f(user, keys)
    natural_key: tuple[str, ...] = ()  # model attributes matching a row to a record
    defaults: dict = field(default_factory=dict)
    writer: Callable | None = None  # f(obj, created: bool) -> obj; raises ValidationError
    append_only: bool = False
    queryset: Callable | None = None  # f(user) -> the scoped queryset to export
    filterset: type | None = None  # the list page's FilterSet (export of the filtered list)
    permission: str = ""  # "app.model": import needs add_ and change_, export view_
    error_column: str = ""  # the column blamed for a record-wide error (`__all__`)
    # f(data: dict, values: dict, user, refs) -> None; may refuse (`Refused`). `refs`: what
    # the resolvers found for the whole file, {column field: {key: record}}, so a row's own
    # lookups (e.g. of a write=False reference column) need no query
    prepare: Callable | None = None
    # f(new records in file order) -> {index: ValidationError} of those refused; writes the
    # others set-based. The import hands it up to `BATCH` new rows at a time instead of calling
    # `writer` row by row (a row that updates a record first flushes the new rows before it,
    # then goes through `writer`: rows still apply in file order).
    bulk_writer: Callable | None = None

    def known(self) -> dict[str, str]:
        result = {}
        for col in self.columns:
            for spelling in col.headers:
                result[norm.header_key(spelling)] = col.field
                if col.kind == "money":
                    result[norm.header_key(f"{spelling}(元)")] = col.field
                    result[norm.header_key(f"{spelling}(万元)")] = f"{col.field}__wan"
        return result

    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def perm(self, action: str) -> str:
        app, model = self.permission.split(".")
        return f"{app}.{action}_{model}"

    def can_import(self, user) -> bool:
        return user.has_perm(self.perm("add")) and user.has_perm(self.perm("change"))

    def can_export(self, user) -> bool:
        return user.has_perm(self.perm("view"))


@dataclass
class SheetResult:
    kind: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    failed: bool = False  # the file could not be read at all
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failed

    @property
    def rows_total(self) -> int:
        return self.rows

    def summary(self) -> str:
        """The counts as the commands print them and the batch page shows them."""
        return _("共 %(rows)d 行：新增 %(created)d，更新 %(updated)d，未变 %(unchanged)d") % {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    @property
    def exit_code(self) -> int:
        """0 every row written, 1 rows or columns refused, 2 the file cannot be read."""
        if self.failed:
            return 2
        return 1 if self.errors else 0


class Refused(Exception):
    """A `prepare` hook refuses the row: (model attribute or column field, reason)."""

    def __init__(self, name: str, reason: str):
        super().__init__(reason)
        self.name, self.reason = name, reason


def scoped(model, user):
    return model.objects.all() if user is None else model.objects.for_user(user)


def by_key(queryset, attr: str, keys) -> dict:
    """{key: record} for the records whose `attr` is one of `keys`, AMBIGUOUS for a key that
    names several: one query."""
    found: dict = {}
    for obj in queryset.filter(**{f"{attr}__in": list(keys)}):
        key = str(getattr(obj, attr))
        found[key] = AMBIGUOUS if key in found else obj
    return found


def by_pk(queryset, keys) -> dict:
    ids = [int(k) for k in keys if str(k).isdigit()]
    return {str(obj.pk): obj for obj in queryset.filter(pk__in=ids)}


def _normalise(col: Col, raw, factor: Decimal):
    if col.kind == "int":
        return norm.integer(raw)
    if col.kind == "date":
        return norm.date(raw)
    if col.kind in ("money", "decimal"):
        value = norm.decimal(raw)
        if value is None:
            return None
        value = value * factor
        if col.kind == "money" and value != value.quantize(CENT):
            raise norm.NormalizeError(_("金额须精确到分（0.01元）"))
        return value.quantize(CENT) if col.kind == "money" else value
    if col.kind == "choice":
        value = norm.text(raw)
        if not value:
            return None
        code = norm.choice_lookup(col.choices).get(norm.header_key(value))
        if code is None:
            raise norm.NormalizeError(
                _("应为以下之一：%(choices)s")
                % {"choices": "、".join(str(label) for label in col.choices.labels)}
            )
        return code
    return norm.name_text(raw)  # text and references: Chinese punctuation kept


class _Rejected(Exception):
    pass


def _sheet_for(path, layout: Layout) -> str | None:
    """In a workbook of several kinds (the export of all), the sheet named by the layout."""
    from bangfu.core.imports.reader import detect_kind, sheet_names

    try:
        if detect_kind(Path(path)) != "xlsx":
            return None
        names = sheet_names(path)
    except Exception:  # unreadable: open_table says why
        return None
    return layout.title if layout.title in names and len(names) > 1 else None


def import_sheet(path, layout: Layout, user=None, partial: bool = False, batch=None) -> SheetResult:
    """Import `path` with `layout` as `user` (None: a command run without a user, everywhere).
    With `batch` (a `core.ImportBatch`, the upload pages'): its progress while the rows are
    read, the audit entries carry it, and at the end its status, counts, message and error
    report (`batch_finish`)."""
    progress = Progress(batch)
    try:
        result = _import_sheet(path, layout, user, partial, progress, batch)
    except Exception as exc:  # the page must learn that the import died
        progress.finish(ImportStatus.FAILED, message=str(exc)[:2000])
        raise
    if batch is not None:
        batch_finish(batch, progress, result, partial)
    return result


def batch_finish(batch, progress: Progress, result: SheetResult, partial: bool) -> None:
    """The outcome on the batch page: status, records written, rows refused, the counts as the
    command prints them, and every error in a report to download."""
    from django.conf import settings

    from bangfu.core.imports.errors import write_report

    if result.failed:
        status = ImportStatus.FAILED
    elif result.errors and not partial:
        status = ImportStatus.REJECTED
    elif result.errors:
        status = ImportStatus.PARTIAL
    else:
        status = ImportStatus.DONE
    rows_with_errors = {e.row for e in result.errors if e.row is not None}
    rejected = result.rows if status == ImportStatus.REJECTED else len(rows_with_errors)
    message = result.message or result.summary()
    error_file = ""
    if result.errors:
        out = Path(settings.BANGFU_IMPORT_DIR) / f"batch-{batch.pk}-errors.xlsx"
        write_report(result.errors, out)
        error_file = str(out)
    progress.finish(
        status,
        message=message,
        rows_total=result.rows,
        rows_done=result.rows,
        rows_rejected=rejected,
        households_written=result.created + result.updated,
        error_file=error_file,
    )


def _import_sheet(path, layout: Layout, user, partial: bool, progress, batch) -> SheetResult:
    result = SheetResult(kind=layout.kind)
    try:
        table = open_table(Path(path), layout.known(), sheet=_sheet_for(path, layout))
    except FileUnreadable as exc:
        result.failed, result.message = True, str(exc)
        result.errors.append(RowError(None, "", "", str(exc)))
        return result
    progress.start(table.rows_estimate)
    fields = table.fields
    factors: dict[str, Decimal] = {}
    index: dict[str, int] = {}
    header: dict[str, str] = {}
    for col in layout.columns:
        wan = f"{col.field}__wan"
        if col.kind == "money" and wan in fields:
            if col.field in fields:
                result.errors.append(
                    RowError(
                        None,
                        table.header_for(wan),
                        "",
                        _("“%(yuan)s”和“%(wan)s”只能有一列")
                        % {"yuan": table.header_for(col.field), "wan": table.header_for(wan)},
                    )
                )
                continue
            index[col.field], header[col.field] = fields[wan], table.header_for(wan)
            factors[col.field] = WAN
        elif col.field in fields:
            index[col.field], header[col.field] = fields[col.field], table.header_for(col.field)
        elif col.required:
            result.errors.append(RowError(None, col.header, "", _("缺少必填列")))
    if result.errors:
        return result
    parsed: list[tuple[int, dict]] = []
    for number, cells in table.rows():
        result.rows += 1
        progress.rows(result.rows)
        values, bad = {}, False
        for col in layout.columns:
            if col.field not in index:
                continue
            i = index[col.field]
            raw = cells[i] if i < len(cells) else None
            try:
                value = _normalise(col, raw, factors.get(col.field, Decimal(1)))
            except norm.NormalizeError as exc:
                result.errors.append(RowError(number, header[col.field], norm.text(raw), str(exc)))
                bad = True
                continue
            if value in (None, "") and col.required:
                result.errors.append(RowError(number, header[col.field], "", _("必填")))
                bad = True
                continue
            values[col.field] = value
        if not bad:
            parsed.append((number, values))
    refs: dict[str, dict] = {}
    for col in layout.columns:
        if col.kind == "ref" and col.field in index:
            keys = {str(v[col.field]) for _n, v in parsed if v.get(col.field) not in (None, "")}
            refs[col.field] = layout.resolvers[col.field](user, keys) if keys else {}
    # the rows are read; the writing is one transaction, invisible to the page until it ends
    progress.update(rows_total=result.rows, rows_done=result.rows, message=_("正在写入数据库"))
    writer = _Writer(layout, user, header, refs, result)
    try:
        with (
            transaction.atomic(),
            audit.audit_context(user=user, source=ChangeSource.IMPORT, import_batch=batch),
        ):
            writer.load_existing(parsed)
            for number, values in parsed:
                writer.write(number, values)
            writer.flush()
            # a batch's refusals are known when it is written, after later rows' own errors
            result.errors.sort(key=lambda e: -1 if e.row is None else e.row)
            if result.errors and not partial:
                raise _Rejected
    except _Rejected:
        result.created = result.updated = result.unchanged = 0
    return result


class _Writer:
    def __init__(self, layout: Layout, user, header: dict, refs: dict, result: SheetResult):
        self.layout, self.user, self.header, self.refs, self.result = (
            layout,
            user,
            header,
            refs,
            result,
        )
        self.existing: dict[tuple, list] = {}
        self.pending: list[tuple] = []  # (number, values, new record) for `bulk_writer`
        self.column_of = {c.attr: header.get(c.field, c.header) for c in layout.columns}
        self.field_of = {c.attr: c.field for c in layout.columns}

    def error(self, number, name: str, values: dict, reason: str) -> None:
        if name in ("__all__", "", None):
            name = self.layout.error_column or ""
        field_name = self.field_of.get(name, name)
        column = self.column_of.get(name) or self.header.get(name) or name or _("行")
        value = values.get(field_name, "")
        if hasattr(value, "pk"):
            value = ""
        self.result.errors.append(RowError(number, column, norm.text(value), reason))

    def data_of(self, number, values: dict) -> dict | None:
        data = dict(self.layout.defaults)
        found: dict[str, list] = {}  # a reference named by several columns (编号 and 名称)
        for col in self.layout.columns:
            if col.field not in values or not col.write:
                continue
            value = values[col.field]
            if col.kind != "ref":
                data[col.attr] = value if value is not None else self.layout.defaults.get(col.attr)
                continue
            found.setdefault(col.attr, [])
            if value in (None, ""):
                continue
            found[col.attr].append((col, value, self.refs[col.field].get(str(value))))
        for attr, candidates in found.items():
            if not candidates:
                data[attr] = None
                continue
            obj, reason, blame = _choose(candidates)
            if obj is None:
                col, value = blame
                self.result.errors.append(
                    RowError(number, self.header.get(col.field, col.header), str(value), reason)
                )
                return None
            data[attr] = obj
        if self.layout.prepare is not None:
            try:
                self.layout.prepare(data, values, self.user, self.refs)
            except Refused as exc:
                self.error(number, exc.name, values, exc.reason)
                return None
        return data

    def key(self, data: dict) -> tuple:
        return tuple(_key_part(data.get(name)) for name in self.layout.natural_key)

    def load_existing(self, parsed) -> None:
        """The records the file's rows may match, by natural key: one query."""
        layout = self.layout
        if not layout.natural_key:
            return
        first = layout.natural_key[0]
        cols = [c for c in layout.columns if c.attr == first and c.write]
        keys: set = set()
        for col in cols:
            if col.kind == "ref":
                keys |= {o.pk for o in self.refs.get(col.field, {}).values() if o is not AMBIGUOUS}
            else:
                keys |= {v[col.field] for _n, v in parsed if v.get(col.field) not in (None, "")}
        if not keys:
            return
        for obj in layout.model.objects.filter(**{f"{first}__in": list(keys)}).order_by("pk"):
            k = tuple(_key_part(_attr(obj, n)) for n in layout.natural_key)
            self.existing.setdefault(k, []).append(obj)

    def write(self, number, values: dict) -> None:
        data = self.data_of(number, values)
        if data is None:
            return
        matches = self.existing.get(self.key(data)) if self.layout.natural_key else None
        existing = matches.pop(0) if matches else None
        if existing is None:
            obj, created, changed = self.layout.model(**data), True, True
        else:
            obj, created, changed = existing, False, False
            for name, value in data.items():
                if _key_part(_attr(obj, name)) != _key_part(value):
                    changed = True
                    if not self.layout.append_only:
                        setattr(obj, name, value)
            if changed and self.layout.append_only:
                self.error(number, "", values, _("已有的这条记录不能修改"))
                return
        if not changed:
            self.result.unchanged += 1
            return
        if created and self.layout.bulk_writer is not None:
            self.pending.append((number, values, obj))
            if len(self.pending) >= BATCH:
                self.flush()
            return
        self.flush()  # the new rows before this one first: rows apply in file order
        self.save_one(number, values, obj, created, existing)

    def save_one(self, number, values: dict, obj, created: bool, existing=None) -> None:
        """Write one row's record in a savepoint; its errors are the row's."""
        try:
            with transaction.atomic():
                if self.layout.writer is not None:
                    self.layout.writer(obj, created)
                else:
                    obj.full_clean()
                    obj.save()
        except (ValidationError, IntegrityError) as exc:
            self.report(number, values, exc)
            if not created:
                existing.refresh_from_db()
            return
        if created:
            self.result.created += 1
        else:
            self.result.updated += 1

    def report(self, number, values: dict, exc: Exception) -> None:
        if isinstance(exc, IntegrityError):  # a constraint the rules did not foresee
            messages = {"": [_("与已有记录冲突（重复或不一致），未写入")]}
        elif hasattr(exc, "error_dict"):
            messages = exc.message_dict
        else:
            messages = {"": exc.messages}
        for name, reasons in messages.items():
            for reason in reasons:
                self.error(number, name, values, reason)

    def flush(self) -> None:
        """Write the pending new records with the layout's `bulk_writer`, in a savepoint; each
        refused one is its row's error. Should the database refuse the batch (a constraint the
        rules did not foresee), the batch is written row by row instead, so the error lands on
        its row and, with `partial`, the other rows are kept."""
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            with transaction.atomic():
                refused = self.layout.bulk_writer([obj for _n, _v, obj in batch])
        except IntegrityError:
            for number, values, obj in batch:
                obj.pk = None
                obj._state.adding = True
                self.save_one(number, values, obj, True)
            return
        for i, (number, values, _obj) in enumerate(batch):
            if i in refused:
                self.report(number, values, refused[i])
            else:
                self.result.created += 1


def _choose(candidates):
    """The record a reference names when one or two columns (名称 and 编号) name it: a name that
    finds exactly one record wins (so a file exported elsewhere, whose numbers mean nothing
    here, still imports); the number decides only when the name is absent or names several;
    a name that finds nothing is an error. Returns (record, reason, (column, value))."""
    named = [c for c in candidates if not c[0].field.endswith("_id")]
    numbered = [c for c in candidates if c[0].field.endswith("_id")]
    by_number = next((o for _c, _v, o in numbered if o is not None), None)
    for col, value, obj in named:
        if obj is None:
            return (
                None,
                _("找不到“%(value)s”，或不在您的管辖范围内") % {"value": value},
                (col, value),
            )
        if obj is not AMBIGUOUS:
            return obj, "", None
        if by_number is None:
            return None, _("有多个“%(value)s”，请改填编号") % {"value": value}, (col, value)
    if by_number is not None:
        return by_number, "", None
    col, value, _obj = numbered[0]
    return None, _("找不到“%(value)s”，或不在您的管辖范围内") % {"value": value}, (col, value)


def _attr(obj, name: str):
    field_id = f"{name}_id"
    if hasattr(obj, field_id):
        return getattr(obj, field_id)
    return getattr(obj, name)


def _key_part(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal):
        return value.normalize()
    return value


# --- export ---------------------------------------------------------------------------------


def cell(layout: Layout, col: Col, obj, user):
    """The export's value of `col` for `obj`: what the import reads back."""
    value = col.export(obj) if col.export else _export_default(obj, col)
    if col.personal and value and user is not None:  # None: an administrator's command
        value = id_number_for(user, value)
    if value is None:
        return ""
    if col.kind == "choice" and value != "":
        return str(col.choices(value).label)
    return value


def _export_default(obj, col: Col):
    value = getattr(obj, col.attr, None)
    if col.kind == "ref" and value is not None:
        return value.pk
    return value


def export_rows(layout: Layout, user, queryset=None) -> Iterator[list]:
    """The rows (without the header) of the records in `queryset` (default: the user's)."""
    if queryset is None:
        queryset = layout.queryset(user)
    for obj in queryset.iterator(chunk_size=2000):
        yield [cell(layout, col, obj, user) for col in layout.columns]


def write_export(layouts_and_querysets, output, fmt: str, user) -> dict[str, int]:
    """Write [(layout, queryset or None)] to `output` (a path or a binary file object) as
    .xlsx (one sheet per layout) or .csv (one layout); returns rows written per kind."""
    counts: dict[str, int] = {}
    if fmt == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        for layout, queryset in layouts_and_querysets:
            sheet = workbook.create_sheet(layout.title[:31])
            sheet.append(layout.headers())
            counts[layout.kind] = 0
            for row in export_rows(layout, user, queryset):
                sheet.append(row)
                counts[layout.kind] += 1
        workbook.save(output)
        return counts
    if fmt != "csv" or len(layouts_and_querysets) != 1:
        raise ValueError(fmt)
    (layout, queryset) = layouts_and_querysets[0]
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(layout.headers())
    counts[layout.kind] = 0
    for row in export_rows(layout, user, queryset):
        out.writerow([_csv_text(v) for v in row])
        counts[layout.kind] += 1
    data = buffer.getvalue().encode("utf-8-sig")
    if isinstance(output, io.IOBase):
        output.write(data)
    else:
        Path(output).write_bytes(data)
    return counts


def _csv_text(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# --- the layouts of all kinds ---------------------------------------------------------------

# The modules holding each app's layouts (`LAYOUTS`: a tuple), in the order of the export.
LAYOUT_MODULES = (
    "bangfu.funds.services.layouts",
    "bangfu.cooperatives.services.layouts",
    "bangfu.credit.services.layouts",
    "bangfu.employment.services.layouts",
    "bangfu.consumption.services.layouts",
    "bangfu.commitments.services.layouts",
)


def all_layouts() -> dict[str, Layout]:
    import importlib

    from django.apps import apps

    result: dict[str, Layout] = {}
    for module in LAYOUT_MODULES:
        app = module.split(".")[1]
        if not apps.is_installed(f"bangfu.{app}"):
            continue
        for layout in importlib.import_module(module).LAYOUTS:
            result[layout.kind] = layout
    return result


def layout_for(kind: str) -> Layout:
    return all_layouts()[kind]


def export_path_format(path: str | os.PathLike) -> str:
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise ValueError(_("导出文件须为 .xlsx 或 .csv"))
    return fmt
