"""The exchange layout of designated-assistance data (docs/assistance-exchange.md): one sheet per
kind — 帮扶单位, 帮扶干部, 定点帮扶, 驻村任职, 结对帮扶 — with Chinese headers and English aliases.

The importer (`importer.py`) and the exporter (`exporter.py`) both read this module, so the file
the exporter writes is the file the importer reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from bangfu.core.imports import normalize as norm
from bangfu.registry.choices import Sex

from ..choices import PostingRole, UnitKind

# Dependency order: a sheet may refer only to the kinds before it.
KINDS = ("units", "cadres", "assignments", "postings", "pairings")


@dataclass(frozen=True)
class Col:
    """A column: field (also its English alias), the Chinese header, its type and rule."""

    field: str
    header: str
    kind: str  # text, choice, date, bool, phone, id, village
    required: bool = False
    choices: type | None = None
    max_length: int | None = None
    # Read-only columns are written by the export for the reader's sake and ignored on import.
    read_only: bool = False


@dataclass(frozen=True)
class Layout:
    kind: str
    sheet: str  # the Chinese sheet name
    columns: tuple[Col, ...]
    aliases: tuple[tuple[str, str], ...] = ()  # extra header spellings → field

    def known_headers(self) -> dict[str, str]:
        known = {}
        for col in self.columns:
            known[norm.header_key(col.header)] = col.field
            known[norm.header_key(col.field)] = col.field
        for alias, name in self.aliases:
            known[norm.header_key(alias)] = name
        return known

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, field: str) -> Col:
        return next(c for c in self.columns if c.field == field)


# The cadre a posting or pairing is about: unit + name, with phone or ID number to tell
# namesakes of one unit apart.
_CADRE_REF = (
    Col("unit", "所属单位", "text", True),
    Col("cadre", "干部姓名", "text", True),
    Col("cadre_phone", "干部联系电话", "phone"),
    Col("cadre_id_number", "干部证件号码", "id"),
)
_PERIOD = (
    Col("start_date", "开始日期", "date", True),
    Col("end_date", "结束日期", "date"),
)
_VILLAGE = (
    Col("village_code", "村代码", "village", True),
    Col("village_name", "村名称", "text"),
)
_VILLAGE_ALIASES = (
    ("行政区划代码", "village_code"),
    ("村行政区划代码", "village_code"),
    ("村", "village_name"),
    ("村名", "village_name"),
)

LAYOUTS: dict[str, Layout] = {
    "units": Layout(
        "units",
        "帮扶单位",
        (
            Col("name", "单位名称", "text", True, max_length=200),
            Col("kind", "单位类型", "choice", True, choices=UnitKind),
            Col("parent_unit", "上级帮扶单位", "text"),
            Col("contact_person", "联系人", "text", max_length=50),
            Col("contact_phone", "联系电话", "phone"),
            Col("address", "地址", "text", max_length=200),
        ),
        (("parent", "parent_unit"),),
    ),
    "cadres": Layout(
        "cadres",
        "帮扶干部",
        (
            Col("unit", "所属单位", "text", True),
            Col("name", "姓名", "text", True, max_length=50),
            Col("sex", "性别", "choice", choices=Sex),
            Col("phone", "联系电话", "phone"),
            Col("position", "职务", "text", max_length=100),
            Col("id_number", "证件号码", "id"),
        ),
        (("干部姓名", "name"), ("身份证号码", "id_number"), ("身份证号", "id_number")),
    ),
    "assignments": Layout(
        "assignments",
        "定点帮扶",
        (
            Col("unit", "帮扶单位", "text", True),
            *_VILLAGE,
            *_PERIOD,
            Col("backing_unit", "后盾单位", "text"),
            Col("note", "备注", "text", max_length=500),
        ),
        _VILLAGE_ALIASES,
    ),
    "postings": Layout(
        "postings",
        "驻村任职",
        (
            *_CADRE_REF,
            *_VILLAGE,
            Col("role", "驻村职务", "choice", True, choices=PostingRole),
            Col("full_time", "全脱产", "bool", True),
            *_PERIOD,
        ),
        (*_VILLAGE_ALIASES, ("是否全脱产", "full_time")),
    ),
    "pairings": Layout(
        "pairings",
        "结对帮扶",
        (
            *_CADRE_REF,
            Col("household_no", "户编号", "text", True),
            Col("head_name", "户主姓名", "text", read_only=True),
            *_PERIOD,
        ),
        (("帮扶责任人", "cadre"),),
    ),
}

# Sheet names (Chinese, English kind and a few spellings) → kind.
SHEET_NAMES = {norm.header_key(layout.sheet): kind for kind, layout in LAYOUTS.items()} | {
    kind: kind for kind in KINDS
}
SHEET_NAMES |= {
    norm.header_key("帮扶责任人"): "cadres",
    norm.header_key("干部"): "cadres",
    norm.header_key("驻村干部"): "postings",
    norm.header_key("结对"): "pairings",
}

# Extra spellings of coded values.
CHOICE_ALIASES: dict[type, dict[str, str]] = {
    PostingRole: {
        "队长": PostingRole.TEAM_LEADER,
        "工作队队长": PostingRole.TEAM_LEADER,
        "队员": PostingRole.TEAM_MEMBER,
        "工作队员": PostingRole.TEAM_MEMBER,
        "工作队队员": PostingRole.TEAM_MEMBER,
    },
    Sex: {"male": "male", "female": "female"},
}


def sheet_label(kind: str) -> str:
    """The kind's sheet name in the active language (the models' verbose names)."""
    from django.utils.translation import gettext as _

    labels = {
        "units": _("帮扶单位"),
        "cadres": _("帮扶干部"),
        "assignments": _("定点帮扶"),
        "postings": _("驻村任职"),
        "pairings": _("结对帮扶"),
    }
    return labels[kind]
