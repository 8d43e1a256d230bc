"""Import of village facts (`bangfu import-village-facts FILE.csv`, the upload page): the file of
exchange-format.md "The village facts file" — `region_code`, `year`, then the facts, with the
Chinese headers as aliases — built on `core.imports` (streaming reader, normalisers, `RowError`).

- Every cell is normalised (yes/no as the registry import reads it: 是/否, Y/N, 1/0, √/×);
  a bad or empty cell is a `RowError` naming the row, the column as written and the reason.
- Region codes are resolved in one query inside the user's scope, villages only.
- Upsert by (region, year): one query reads the existing rows of the file's villages; new rows
  are inserted with `bulk_create`, changed ones written with `bulk_update`, unchanged rows write
  nothing; audit entries (before/after) are built for every change and written in bulk.
- All or nothing: any rejected row (or the same village and year twice) writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.core import audit
from bangfu.core.choices import AuditAction, ChangeSource
from bangfu.core.imports import normalize as norm
from bangfu.core.imports.errors import RowError
from bangfu.core.imports.reader import FileUnreadable, open_table

from ..choices import Level
from ..codes import InvalidRegionCode, normalize_code
from ..models import Region, VillageYear

# field → (kind, spellings; the first is the canonical header)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "region_code": ("code", ("region_code", "区划代码", "村代码")),
    "year": ("year", ("year", "年度")),
    "rural_population": ("int", ("rural_population", "户籍人口", "户籍人口(人)")),
    "featured_industry": ("bool", ("featured_industry", "特色产业")),
    "road_to_village_hardened": ("bool", ("road_to_village_hardened", "通村硬化路")),
    "clinic_with_doctor": ("bool", ("clinic_with_doctor", "卫生室和村医", "卫生室+村医")),
    "public_service_venue": ("bool", ("public_service_venue", "公共服务场所")),
    "broadband": ("bool", ("broadband", "宽带")),
    "collective_income": (
        "money",
        ("collective_income", "村集体经济收入", "村集体经济收入(元)", "集体经济收入"),
    ),
    "committee_rated_good": ("bool", ("committee_rated_good", "两委班子好")),
}
FACTS = tuple(f for f in COLUMNS if f not in ("region_code", "year"))
AUDIT_FIELDS = VillageYear.get_audit_fields()


@dataclass
class FactsResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def exit_code(self) -> int:
        """0 written, 1 rows rejected (nothing written), 2 the file is unusable (unreadable,
        no header row, a required column missing)."""
        if not self.errors:
            return 0
        return 2 if any(e.row is None for e in self.errors) else 1


def known_headers() -> dict[str, str]:
    return {norm.header_key(s): f for f, (_k, spellings) in COLUMNS.items() for s in spellings}


def _value(kind: str, raw):
    if kind == "bool":
        return norm.yes_no(raw)
    if kind in ("int", "year"):
        value = norm.integer(raw)
        if value is not None and value < 0:
            raise norm.NormalizeError(_("不能为负数"))
        if kind == "year" and value is not None and not 2000 <= value <= 2100:
            raise norm.NormalizeError(_("年度应在 2000–2100 之间"))
        return value
    if kind == "money":
        value = norm.decimal(raw)
        if value is not None and value < 0:
            raise norm.NormalizeError(_("不能为负数"))
        return None if value is None else value.quantize(Decimal("0.01"))
    value = norm.text(raw)
    if not value:
        return None
    try:
        return normalize_code(value)
    except InvalidRegionCode as exc:
        raise norm.NormalizeError(str(exc)) from None


def import_village_facts(path, user=None) -> FactsResult:
    """Import `path` as `user` (None: a command run without a user, everywhere)."""
    result = FactsResult()
    try:
        table = open_table(Path(path), known_headers())
    except FileUnreadable as exc:
        result.errors.append(RowError(None, "", "", str(exc)))
        return result
    fields = table.fields
    for name in COLUMNS:
        if name not in fields:
            result.errors.append(RowError(None, COLUMNS[name][1][0], "", _("缺少必填列")))
    if result.errors:
        return result
    parsed: list[tuple[int, dict]] = []
    for number, cells in table.rows():
        result.rows += 1
        values, bad = {}, False
        for name, (kind, _spellings) in COLUMNS.items():
            index = fields[name]
            raw = cells[index] if index < len(cells) else None
            header = table.header_for(name)
            try:
                value = _value(kind, raw)
            except norm.NormalizeError as exc:
                result.errors.append(RowError(number, header, norm.text(raw), str(exc)))
                bad = True
                continue
            if value is None:
                result.errors.append(RowError(number, header, "", _("必填")))
                bad = True
                continue
            values[name] = value
        if not bad:
            parsed.append((number, values))

    # Regions: one query, in the user's scope, villages only.
    codes = {v["region_code"] for _n, v in parsed}
    regions = Region.objects.for_user(user) if user is not None else Region.objects.all()
    found = {r.code: r for r in regions.filter(pk__in=codes)}
    seen: dict[tuple[str, int], int] = {}
    good: list[tuple[int, dict]] = []
    code_header, year_header = table.header_for("region_code"), table.header_for("year")
    for number, values in parsed:
        code, year = values["region_code"], values["year"]
        region = found.get(code)
        if region is None:
            reason = _("找不到该区划，或不在您的管辖范围内")
            result.errors.append(RowError(number, code_header, code, reason))
            continue
        if region.level != Level.VILLAGE:
            reason = _("村情只能填写到村（12 位区划代码）")
            result.errors.append(RowError(number, code_header, code, reason))
            continue
        if (code, year) in seen:
            reason = _("与第 %(row)d 行重复（同一村、同一年度）") % {"row": seen[(code, year)]}
            result.errors.append(RowError(number, year_header, str(year), reason))
            continue
        seen[(code, year)] = number
        good.append((number, values))
    if result.errors:
        return result

    with transaction.atomic(), audit.audit_context(user=user, source=ChangeSource.IMPORT):
        years = {v["year"] for _n, v in good}
        existing = {
            (vy.region_id, vy.year): vy
            for vy in VillageYear.objects.filter(region_id__in=codes, year__in=years)
        }
        new, changed, entries = [], [], []
        for _number, values in good:
            key = (values["region_code"], values["year"])
            facts = {f: values[f] for f in FACTS}
            current = existing.get(key)
            if current is None:
                new.append(VillageYear(region=found[key[0]], year=key[1], **facts))
                continue
            before = audit.snapshot(current, AUDIT_FIELDS)
            if all(getattr(current, f) == v for f, v in facts.items()):
                result.unchanged += 1
                continue
            for f, v in facts.items():
                setattr(current, f, v)
            changed.append(current)
            entries.append(current._audit_entry(AuditAction.UPDATE, before, None))
        created = VillageYear.objects.bulk_create(new, batch_size=1000)
        VillageYear.objects.bulk_update(changed, FACTS, batch_size=1000)
        for entry, vy in zip(entries, changed, strict=True):
            entry.after = audit.snapshot(vy, AUDIT_FIELDS)
        for vy in created:
            entries.append(
                vy._audit_entry(AuditAction.CREATE, None, audit.snapshot(vy, AUDIT_FIELDS))
            )
        audit.bulk_record(entries)
        result.created, result.updated = len(created), len(changed)
    return result
