"""Spreadsheet import of fund sources, donations and allocations (.xlsx or .csv, one kind per
file), built on `core.imports`: the reader that finds the header below title rows, the
normalisers, `RowError` and the error report.

- Every row goes through the services of the pages and the API (`funds.save_source`,
  `funds.save_donation`, `allocations.allocate`), so the rules and messages are the same: an
  allocation beyond what is left in its source or pool is refused (rows are applied in file
  order, so the balance seen by row 9 includes rows 2–8), amounts are > 0 and ≤ 100亿元.
- Amounts are yuan. A column headed in 万元 (`金额（万元）`, `金额(万元)`) is accepted and
  converted (× 10,000) — only then: a plain `金额` column is never guessed to be 万元. A file
  with both columns is refused. After conversion an amount must still be whole cents.
- References are resolved within the importing user's scope: regions by code, units by name,
  sources and pools by name (a name matching several records is refused — use 资金来源编号),
  projects by name or number, households by 户编号.
- Row-numbered errors (the spreadsheet's own row numbers) naming the column, the value and the
  reason. **All or nothing**: when any row is refused nothing is written (one transaction),
  unless `partial=True`.

Funds files are small (hundreds to thousands of rows), so each row is applied by its service —
a few queries per row, each under the same locks as a clerk's entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.assistance.models import Unit
from bangfu.core import audit
from bangfu.core.choices import ChangeSource
from bangfu.core.imports import normalize as norm
from bangfu.core.imports.errors import RowError
from bangfu.core.imports.reader import FileUnreadable, open_table
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from ..choices import AllocationKind, DonorKind, SourceKind
from ..models import Allocation, Donation, FundPool, FundSource, Project
from . import allocations, funds

KINDS = ("sources", "donations", "allocations")
WAN = Decimal("10000")

_COMMON = {
    "金额": "amount",
    "金额(元)": "amount",
    "amount": "amount",
    "金额(万元)": "amount_wan",
    "amount(万元)": "amount_wan",
    "协调单位": "unit",
    "经办单位": "unit",
    "unit": "unit",
    "区划代码": "region",
    "region": "region",
    "备注": "note",
    "note": "note",
}
HEADERS = {
    "sources": {
        **_COMMON,
        "资金来源类型": "kind",
        "kind": "kind",
        "资金名称": "name",
        "name": "name",
        "年度": "year",
        "year": "year",
        "到位日期": "date",
        "日期": "date",
        "date": "date",
        "文号": "document_no",
        "document_no": "document_no",
    },
    "donations": {
        **_COMMON,
        "捐赠方": "donor_name",
        "donor": "donor_name",
        "捐赠方类型": "donor_kind",
        "donor_kind": "donor_kind",
        "捐赠日期": "date",
        "日期": "date",
        "date": "date",
        "用途": "purpose",
        "purpose": "purpose",
    },
    "allocations": {
        **_COMMON,
        "资金来源": "source",
        "source": "source",
        "资金来源编号": "source_id",
        "source_id": "source_id",
        "资金池": "pool",
        "pool": "pool",
        "拨付类型": "kind",
        "kind": "kind",
        "项目": "project",
        "项目名称": "project",
        "project": "project",
        "项目编号": "project_id",
        "project_id": "project_id",
        "户编号": "household",
        "household_no": "household",
        "拨付日期": "date",
        "日期": "date",
        "date": "date",
        "用途": "purpose",
        "purpose": "purpose",
    },
}
REQUIRED = {
    "sources": ("kind", "name", "region", "date"),
    "donations": ("donor_name", "donor_kind", "region", "date", "purpose"),
    "allocations": ("kind", "date", "purpose"),
}
# Model field (as a service's ValidationError names it) → the column to blame.
_FIELD_COLUMN = {"__all__": "amount"}


@dataclass
class ImportResult:
    kind: str
    rows_total: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    message: str = ""
    failed: bool = False  # the file could not be read

    @property
    def exit_code(self) -> int:
        if self.failed:
            return 2
        return 1 if self.errors else 0


class _RowRefused(Exception):
    pass


def _scoped(model, user):
    return model.objects.all() if user is None else model.objects.for_user(user)


class _Importer:
    def __init__(self, table, kind: str, user):
        self.table, self.kind, self.user = table, kind, user
        self.fields = table.fields
        self.errors: list[RowError] = []
        self.row = 0
        self.cells: list = []
        self._cache: dict = {}

    # -- cells ---------------------------------------------------------------------------

    def header(self, name: str) -> str:
        if name == "amount" and "amount_wan" in self.fields:
            return self.table.header_for("amount_wan")
        return self.table.header_for(name)

    def raw(self, name: str):
        index = self.fields.get(name)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def refuse(self, name: str, reason: str, value=None):
        shown = norm.text(self.raw(name) if value is None else value)
        self.errors.append(RowError(self.row, self.header(name), shown, reason))
        raise _RowRefused

    def text(self, name: str, required: bool = False) -> str:
        value = norm.text(self.raw(name))
        if required and not value:
            self.refuse(name, _("必填"))
        return value

    def value(self, name: str, reader):
        try:
            return reader(self.raw(name))
        except norm.NormalizeError as exc:
            self.refuse(name, str(exc))

    def amount(self) -> Decimal:
        wan = "amount_wan" in self.fields
        value = self.value("amount_wan" if wan else "amount", norm.decimal)
        if value is None:
            self.refuse("amount", _("必填"))
        if wan:
            value = value * WAN
        try:
            return allocations.check_amount(value)
        except ValidationError as exc:
            self.refuse("amount", exc.message_dict["amount"][0])

    def choice(self, name: str, choices) -> str:
        value = self.text(name, required=True)
        code = norm.choice_lookup(choices).get(norm.header_key(value))
        if code is None:
            self.refuse(
                name,
                _("应为以下之一：%(choices)s")
                % {"choices": "、".join(str(c.label) for c in choices)},
            )
        return code

    def lookup(self, name: str, queryset, key: str, what: str, required: bool = False):
        value = self.text(name, required=required)
        if not value:
            return None
        if key == "pk" and not value.isdigit():
            self.refuse(name, _("应为整数"))
        cache = self._cache.setdefault(name, {})
        if value not in cache:
            found = list(queryset.filter(**{key: value})[:2])
            cache[value] = found
        found = cache[value]
        if not found:
            self.refuse(
                name,
                _("%(what)s“%(value)s”不存在或不在您的管理范围内") % {"what": what, "value": value},
            )
        if len(found) > 1:
            self.refuse(
                name,
                _("有多个名为“%(value)s”的%(what)s，请改填编号") % {"value": value, "what": what},
            )
        return found[0]

    def region(self):
        return self.lookup("region", _scoped(Region, self.user), "code", _("区划"), required=True)

    def unit(self):
        return self.lookup("unit", _scoped(Unit, self.user), "name", _("单位"))

    # -- rows ----------------------------------------------------------------------------

    def build(self):
        return getattr(self, f"row_{self.kind}")()

    def row_sources(self):
        source = FundSource(
            kind=self.choice("kind", SourceKind),
            name=self.text("name", required=True),
            amount=self.amount(),
            unit=self.unit(),
            region=self.region(),
            date=self.value("date", norm.date),
            document_no=self.text("document_no"),
            note=self.text("note"),
        )
        if source.kind == SourceKind.DONATION:
            self.refuse("kind", _("社会捐赠请用捐赠导入（需填写捐赠方）"))
        year = self.value("year", norm.integer)
        source.year = year or (source.date.year if source.date else None)
        return lambda: funds.save_source(source)

    def row_donations(self):
        donation = Donation(
            donor_name=self.text("donor_name", required=True),
            donor_kind=self.choice("donor_kind", DonorKind),
            amount=self.amount(),
            date=self.value("date", norm.date),
            purpose=self.text("purpose", required=True),
            unit=self.unit(),
            region=self.region(),
            note=self.text("note"),
        )
        if donation.date is None:
            self.refuse("date", _("必填"))
        return lambda: funds.save_donation(donation)

    def row_allocations(self):
        sources = _scoped(FundSource, self.user)
        source = self.lookup("source_id", sources, "pk", _("资金来源")) or self.lookup(
            "source", sources, "name", _("资金来源")
        )
        pool = self.lookup("pool", _scoped(FundPool, self.user), "name", _("资金池"))
        projects = _scoped(Project, self.user)
        project = self.lookup("project_id", projects, "pk", _("项目")) or self.lookup(
            "project", projects, "name", _("项目")
        )
        household = self.lookup(
            "household", _scoped(Household, self.user), "household_no", _("户编号")
        )
        allocation = Allocation(
            source=source,
            pool=pool,
            kind=self.choice("kind", AllocationKind),
            project=project,
            household=household,
            amount=self.amount(),
            date=self.value("date", norm.date),
            purpose=self.text("purpose", required=True),
            unit=self.unit(),
            note=self.text("note"),
        )
        return lambda: allocations.save_new_allocation(allocation)

    def apply(self, save) -> bool:
        try:
            with transaction.atomic():
                save()
        except ValidationError as exc:
            messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            for name, reasons in messages.items():
                column = _FIELD_COLUMN.get(name, name)
                header = (
                    self.header(column)
                    if column in self.fields or column == "amount"
                    else (column or _("行"))
                )
                for reason in reasons:
                    self.errors.append(
                        RowError(self.row, header, norm.text(self.raw(column)), reason)
                    )
            return False
        return True


def import_funds(path, kind: str, user=None, partial: bool = False) -> ImportResult:
    """Import one file of `kind` (sources, donations, allocations); see the module."""
    if kind not in KINDS:
        raise ValueError(kind)
    result = ImportResult(kind)
    known = {norm.header_key(k): v for k, v in HEADERS[kind].items()}
    try:
        table = open_table(path, known)
    except FileUnreadable as exc:
        result.failed, result.message = True, str(exc)
        return result
    fields = table.fields
    missing = [f for f in REQUIRED[kind] if f not in fields]
    if "amount" not in fields and "amount_wan" not in fields:
        missing.append("amount")
    if "amount" in fields and "amount_wan" in fields:
        result.errors.append(
            RowError(
                None, table.header_for("amount_wan"), "", _("金额（元）和金额（万元）只能有一列")
            )
        )
    for name in missing:
        header = next((h for h, f in HEADERS[kind].items() if f == name), name)
        result.errors.append(RowError(None, header, "", _("缺少此列")))
    if result.errors:
        return result
    importer = _Importer(table, kind, user)
    with audit.audit_context(user=user, source=ChangeSource.IMPORT), transaction.atomic():
        for number, cells in table.rows():
            result.rows_total += 1
            importer.row, importer.cells = number, cells
            try:
                save = importer.build()
            except _RowRefused:
                continue
            if importer.apply(save):
                result.created += 1
        result.errors = importer.errors
        if result.errors and not partial:
            transaction.set_rollback(True)
            result.created = 0
    return result
