"""A small spreadsheet importer for record-per-row sheets (loans, jobs), built on `core.imports`:
the streaming reader (header row found below titles), the normalisers, `RowError` and the error
report.

- Every cell is normalised; a bad cell is a `RowError` naming the row, the column as written in
  the file, the value and the reason in Chinese.
- Money columns are in 元; a column whose header says 万元 (e.g. “贷款金额（万元）”) is accepted
  and converted (× 10,000) — only then: a number is never guessed to be in 万元.
- References (households by 户编号, members by 证件号码, products by name …) are resolved with
  one query per reference column, inside the user's scope (`for_user`): a household outside it
  is "not found", never written.
- Each row becomes a model instance checked with `full_clean()` — the rules of the pages and the
  API — and rows matching an existing record by the layout's natural key update it (unchanged
  rows write nothing), so importing a file twice changes nothing.
- All or nothing: one transaction; any rejected row rolls the whole file back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.core import audit
from bangfu.core.choices import ChangeSource
from bangfu.core.imports import normalize as norm
from bangfu.core.imports.errors import RowError
from bangfu.core.imports.reader import FileUnreadable, open_table

WAN = Decimal("10000")


@dataclass(frozen=True)
class Col:
    field: str
    headers: tuple[str, ...]  # spellings, the first is the canonical header
    kind: str = "text"  # text | int | date | money | choice | ref
    required: bool = False
    choices: type | None = None  # a TextChoices for kind "choice"
    model_field: str | None = None  # the model field its errors come back as

    @property
    def header(self) -> str:
        return self.headers[0]


@dataclass
class Layout:
    model: type
    columns: tuple[Col, ...]
    # ref field → function(user, keys) -> {key: object}; one query
    resolvers: dict[str, Callable] = field(default_factory=dict)
    # the model fields forming the natural key of a row
    natural_key: tuple[str, ...] = ()
    defaults: dict = field(default_factory=dict)

    def known(self) -> dict[str, str]:
        result = {}
        for col in self.columns:
            for spelling in col.headers:
                result[norm.header_key(spelling)] = col.field
                if col.kind == "money":
                    for unit in ("元", "万元"):
                        result[norm.header_key(f"{spelling}({unit})")] = col.field
        return result


@dataclass
class SheetResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rejected(Exception):
    pass


def _normalise(col: Col, raw, factor: Decimal):
    if col.kind == "int":
        return norm.integer(raw)
    if col.kind == "date":
        return norm.date(raw)
    if col.kind == "money":
        value = norm.decimal(raw)
        return None if value is None else (value * factor).quantize(Decimal("0.01"))
    if col.kind == "choice":
        value = norm.text(raw)
        if not value:
            return None
        lookup = norm.choice_lookup(col.choices)
        code = lookup.get(norm.header_key(value))
        if code is None:
            raise norm.NormalizeError(
                _("应为以下之一：%(choices)s")
                % {"choices": "、".join(str(label) for label in col.choices.labels)}
            )
        return code
    return norm.text(raw)


def import_sheet(path, layout: Layout, user=None) -> SheetResult:
    """Import `path` with `layout` as `user` (None: a command run without a user, everywhere)."""
    result = SheetResult()
    try:
        table = open_table(Path(path), layout.known())
    except FileUnreadable as exc:
        result.errors.append(RowError(None, "", "", str(exc)))
        return result
    fields = table.fields
    for col in layout.columns:
        if col.required and col.field not in fields:
            result.errors.append(RowError(None, col.header, "", _("缺少必填列")))
    if result.errors:
        return result
    factors = {
        col.field: WAN if "万元" in table.header_for(col.field) else Decimal(1)
        for col in layout.columns
        if col.kind == "money" and col.field in fields
    }
    parsed: list[tuple[int, dict]] = []
    for number, cells in table.rows():
        result.rows += 1
        values, bad = {}, False
        for col in layout.columns:
            if col.field not in fields:
                continue
            raw = cells[fields[col.field]] if fields[col.field] < len(cells) else None
            header = table.header_for(col.field)
            try:
                value = _normalise(col, raw, factors.get(col.field, Decimal(1)))
            except norm.NormalizeError as exc:
                result.errors.append(RowError(number, header, norm.text(raw), str(exc)))
                bad = True
                continue
            if value in (None, "") and col.required:
                result.errors.append(RowError(number, header, "", _("必填")))
                bad = True
                continue
            values[col.field] = value
        if not bad:
            parsed.append((number, values))
    # References: one scoped query per reference column.
    refs = {}
    for col in layout.columns:
        if col.kind == "ref" and col.field in fields:
            keys = {v[col.field] for _n, v in parsed if v.get(col.field)}
            refs[col.field] = layout.resolvers[col.field](user, keys) if keys else {}
    column_of = {(c.model_field or c.field): table.header_for(c.field) for c in layout.columns}
    try:
        with transaction.atomic(), audit.audit_context(user=user, source=ChangeSource.IMPORT):
            existing_by_key = _existing(layout, refs)
            for number, values in parsed:
                _write_row(layout, number, values, refs, column_of, result, existing_by_key)
            if result.errors:
                raise _Rejected
    except _Rejected:
        result.created = result.updated = result.unchanged = 0
    return result


def _key_part(value):
    return value.pk if hasattr(value, "pk") else value


def _existing(layout, refs) -> dict:
    """Existing records of the file's households/members by natural key: one query."""
    first = layout.natural_key[0]
    col = next(c for c in layout.columns if (c.model_field or c.field) == first)
    objects = list(refs.get(col.field, {}).values())
    if not objects:
        return {}
    rows = layout.model.objects.filter(**{f"{first}__in": objects})
    return {
        tuple(
            _key_part(getattr(r, f"{n}_id", None) or getattr(r, n)) for n in layout.natural_key
        ): r
        for r in rows
    }


def _write_row(layout, number, values, refs, column_of, result, existing_by_key) -> None:
    data = dict(layout.defaults)
    for col in layout.columns:
        if col.field not in values:
            continue
        value = values[col.field]
        if col.kind == "ref":
            if not value:
                data[col.model_field] = None
                continue
            obj = refs[col.field].get(value)
            if obj is None:
                result.errors.append(
                    RowError(
                        number, column_of[col.model_field], value, _("找不到，或不在您的管辖范围内")
                    )
                )
                return
            data[col.model_field] = obj
        else:
            name = col.model_field or col.field
            data[name] = value if value is not None else layout.defaults.get(name)
    key = tuple(_key_part(data.get(name)) for name in layout.natural_key)
    existing = existing_by_key.get(key)
    if existing is None:
        obj, changed = layout.model(**data), True
    else:
        obj, changed = existing, False
        for name, value in data.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
    if not changed:
        result.unchanged += 1
        return
    try:
        obj.full_clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            column = column_of.get(name, "")
            value = values.get(
                next((c.field for c in layout.columns if (c.model_field or c.field) == name), ""),
                "",
            )
            for message in messages:
                result.errors.append(RowError(number, column, str(value or ""), message))
        return
    obj.save()
    existing_by_key[key] = obj
    if existing is None:
        result.created += 1
    else:
        result.updated += 1
