"""Import of the regions file (行政区划): columns code, name and optional western_region.

Level and parent follow from the code (2/4/6/9/12 digits, 15 for groups; the padded 12-digit
form means the same as the short one). Rows are sorted by code length, so a parent given later
in the file still counts; a code whose parent is neither in the database nor in the file is
rejected with its row number. The file is all-or-nothing. Re-importing updates names; every
create and change is audited (bulk audit rows, attributed to the import batch).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from bangfu.core import audit
from bangfu.core.choices import AuditAction, ChangeSource, ImportStatus
from bangfu.core.imports import bulk
from bangfu.core.imports import normalize as norm
from bangfu.core.imports.errors import RowError
from bangfu.core.imports.reader import FileUnreadable, open_table
from bangfu.core.imports.runner import Progress
from bangfu.core.models import ImportBatch

from ..codes import InvalidRegionCode, level_of, normalize_code, parent_code
from ..models import Region

KIND = "regions"
HEADERS = {
    "code": "code",
    "区划代码": "code",
    "行政区划代码": "code",
    "代码": "code",
    "name": "name",
    "名称": "name",
    "区划名称": "name",
    "western_region": "western_region",
    "西部地区": "western_region",
}
AUDIT_FIELDS = Region.get_audit_fields()
LABEL = "regions.region"


@dataclass
class RegionImportResult:
    """created / updated / unchanged counts, errors (row, column, value, reason) and status."""

    status: str = ImportStatus.PENDING
    batch_id: int | None = None
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def exit_code(self) -> int:
        if self.status == ImportStatus.FAILED:
            return 2
        return 1 if self.errors else 0

    def summary(self) -> str:
        return _("行政区划：新增 %(c)d，更新 %(u)d，未变 %(n)d；共 %(rows)d 行") % {
            "c": self.created,
            "u": self.updated,
            "n": self.unchanged,
            "rows": self.rows_total,
        }


def import_regions(
    path: str | Path, *, user=None, lang: str = "zh-hans", batch: ImportBatch | None = None
) -> RegionImportResult:
    """Import a regions CSV (or .xlsx); all-or-nothing. Returns what happened (see exit_code)."""
    path = Path(path)
    if batch is None:
        batch = ImportBatch.objects.create(
            kind=KIND,
            filename=path.name,
            user=user if user is not None and user.is_authenticated else None,
        )
    progress = Progress(batch)
    result = RegionImportResult(batch_id=batch.pk)
    with translation.override(lang):
        try:
            table = open_table(path, {norm.header_key(k): v for k, v in HEADERS.items()})
        except FileUnreadable as exc:
            result.status, result.message = ImportStatus.FAILED, str(exc)
            progress.finish(result.status, message=result.message)
            return result
        for col in table.unknown_columns:
            result.warnings.append(_("未识别的列“%(header)s”未导入") % {"header": col.header})
        fields = table.fields
        missing = [f for f in ("code", "name") if f not in fields]
        for name in missing:
            result.errors.append(
                RowError(table.header_row, name, "", _("缺少必填列“%(header)s”") % {"header": name})
            )
        rows: dict[str, tuple[int, str, bool | None]] = {}
        if not missing:
            rows = _read(table, fields, result)
        result.rows_total = len(rows) + sum(1 for e in result.errors if e.row)
        progress.start(result.rows_total)
        if not result.errors:
            _check_parents(rows, table.header_for("code"), result)
        if result.errors:
            result.status = ImportStatus.REJECTED
            result.message = _("有错误，未写入任何数据")
        else:
            with (
                transaction.atomic(),
                audit.audit_context(user=user, source=ChangeSource.IMPORT, import_batch=batch),
            ):
                _write(rows, result, filename=path.name)
            result.status = ImportStatus.DONE
            result.message = _("导入完成")
        progress.finish(
            result.status,
            rows_done=result.rows_total,
            rows_rejected=result.rows_total if result.errors else 0,
            message="\n".join([result.message, result.summary(), *result.warnings]),
        )
    return result


def _read(table, fields, result) -> dict[str, tuple[int, str, bool | None]]:
    rows: dict[str, tuple[int, str, bool | None]] = {}
    code_header, name_header = table.header_for("code"), table.header_for("name")
    for number, cells in table.rows():

        def cell(name, cells=cells):
            index = fields.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        raw_code = norm.text(cell("code"))
        try:
            code = normalize_code(raw_code)
        except InvalidRegionCode:
            result.errors.append(
                RowError(
                    number, code_header, raw_code, _("区划代码应为 2、4、6、9、12 或 15 位数字")
                )
            )
            continue
        name = norm.text(cell("name"))
        if not name:
            result.errors.append(RowError(number, name_header, "", _("必填，不能为空")))
            continue
        western = None
        if "western_region" in fields and not norm.is_empty(cell("western_region")):
            try:
                western = norm.yes_no(cell("western_region"))
            except ValueError as exc:
                result.errors.append(
                    RowError(
                        number,
                        table.header_for("western_region"),
                        norm.text(cell("western_region")),
                        str(exc),
                    )
                )
                continue
        if code in rows:
            result.errors.append(
                RowError(
                    number,
                    code_header,
                    raw_code,
                    _("区划代码与第 %(row)d 行重复") % {"row": rows[code][0]},
                )
            )
            continue
        rows[code] = (number, name, western)
    return rows


def _check_parents(rows, header: str, result) -> None:
    parents = {parent_code(c) for c in rows} - set(rows) - {None}
    existing = set()
    parent_list = list(parents)
    for i in range(0, len(parent_list), 500):
        existing.update(
            Region.objects.filter(code__in=parent_list[i : i + 500]).values_list("code", flat=True)
        )
    for code in sorted(rows, key=lambda c: (len(c), c)):
        parent = parent_code(code)
        if parent is not None and parent not in rows and parent not in existing:
            number = rows[code][0]
            result.errors.append(
                RowError(
                    number,
                    header,
                    code,
                    _("上级区划 %(parent)s 不存在（既不在系统中，也不在文件中）")
                    % {"parent": parent},
                )
            )
    result.errors.sort(key=lambda e: e.row or 0)


def _write(rows, result, filename: str) -> None:
    codes = sorted(rows, key=lambda c: (len(c), c))
    existing: dict[str, dict] = {}
    wanted = list(set(codes) | {p for c in codes if (p := parent_code(c))})
    for i in range(0, len(wanted), 500):
        for r in Region.objects.filter(code__in=wanted[i : i + 500]).values(*AUDIT_FIELDS):
            existing[r["code"]] = r
    writer = bulk.AuditWriter()
    inserts, updates = [], []
    western_of: dict[str, bool] = {c: r["western_region"] for c, r in existing.items()}
    for code in codes:
        _number, name, western = rows[code]
        parent = parent_code(code)
        if western is None:
            western = (
                western_of.get(parent, False)
                if parent
                else existing.get(code, {}).get("western_region", False)
            )
        western_of[code] = western
        values = {
            "code": code,
            "name": name,
            "level": int(level_of(code)),
            "parent_id": parent,
            "western_region": western,
            "is_registered_poor": existing.get(code, {}).get("is_registered_poor", False),
        }
        old = existing.get(code)
        if old is None:
            inserts.append(tuple(values[f] for f in AUDIT_FIELDS))
            writer.add(AuditAction.CREATE, LABEL, code, name, LABEL, code, None, values)
            result.created += 1
        else:
            before = {f: old[f] for f in AUDIT_FIELDS}
            if before != values:
                updates.append((name, values["western_region"], code))
                writer.add(AuditAction.UPDATE, LABEL, code, name, LABEL, code, before, values)
                result.updated += 1
            else:
                result.unchanged += 1
    bulk.insert(Region._meta.db_table, bulk.columns(Region, AUDIT_FIELDS), inserts)
    bulk.update(
        Region._meta.db_table, bulk.columns(Region, ["name", "western_region"]), updates, key="code"
    )
    writer.flush()
