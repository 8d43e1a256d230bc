"""Export of designated-assistance data in the exchange layout the importer reads
(docs/assistance-exchange.md), so that `import(export(x))` reproduces x.

An .xlsx is one workbook with a sheet per kind (帮扶单位, 帮扶干部, 定点帮扶, 驻村任职, 结对帮扶);
a .csv holds one kind. Every query starts from `Model.objects.for_user(user)` (None: a system
export of everything); `unit` narrows the export to a unit and its backing units. ID numbers and
phones are masked for a user without the personal-data permission (such a file is for reading:
its masked values cannot be imported back).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

from django.db.models import Q
from django.utils import translation

from bangfu.core.privacy import can_view_personal_data, mask_id_number, mask_phone
from bangfu.registry.choices import Sex

from ..choices import PostingRole, UnitKind
from ..models import Assignment, Cadre, Pairing, Posting, Unit
from .layout import KINDS, LAYOUTS


class _Values:
    """Cell texts: Chinese labels, ISO dates, 是/否, masked personal data when required."""

    def __init__(self, user) -> None:
        self.masked = user is not None and not can_view_personal_data(user)
        with translation.override("zh-hans"):
            self.labels = {
                cls: {code: str(label) for code, label in cls.choices}
                for cls in (UnitKind, PostingRole, Sex)
            }

    def label(self, cls, code) -> str:
        return self.labels[cls].get(code, code or "")

    @staticmethod
    def date(value) -> str:
        return value.isoformat() if value else ""

    def phone(self, value) -> str:
        return mask_phone(value) if self.masked else value or ""

    def id_number(self, value) -> str:
        return mask_id_number(value) if self.masked else value or ""


def _querysets(user, unit: Unit | None) -> dict:
    def scoped(model):
        return model.objects.all() if user is None else model.objects.for_user(user)

    units = scoped(Unit)
    cadres = scoped(Cadre).select_related("unit")
    assignments = scoped(Assignment).select_related("unit", "backing_unit", "village")
    postings = scoped(Posting).select_related("cadre__unit", "village")
    pairings = scoped(Pairing).select_related("cadre__unit", "household")
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
        cadres = cadres.filter(unit__path__startswith=unit.path)
        assignments = assignments.filter(
            Q(unit__path__startswith=unit.path) | Q(backing_unit__path__startswith=unit.path)
        )
        postings = postings.filter(cadre__unit__path__startswith=unit.path)
        pairings = pairings.filter(cadre__unit__path__startswith=unit.path)
    return {
        "units": units.select_related("parent").order_by("path"),
        "cadres": cadres.order_by("unit__path", "name", "pk"),
        "assignments": assignments.order_by("unit__path", "village_id", "start_date", "pk"),
        "postings": postings.order_by("village_id", "start_date", "pk"),
        "pairings": pairings.order_by("household__household_no", "start_date", "pk"),
    }


def _cadre_ref(v: _Values, cadre: Cadre) -> list[str]:
    return [cadre.unit.name, cadre.name, v.phone(cadre.phone), v.id_number(cadre.id_number)]


def rows(kind: str, queryset, v: _Values) -> Iterator[list[str]]:
    """The data rows of one kind, in the order of LAYOUTS[kind].columns."""
    if kind == "units":
        for u in queryset:
            yield [
                u.name,
                v.label(UnitKind, u.kind),
                u.parent.name if u.parent_id else "",
                u.contact_person,
                v.phone(u.contact_phone),
                u.address,
            ]
    elif kind == "cadres":
        for c in queryset:
            yield [
                c.unit.name,
                c.name,
                v.label(Sex, c.sex),
                v.phone(c.phone),
                c.position,
                v.id_number(c.id_number),
            ]
    elif kind == "assignments":
        for a in queryset:
            yield [
                a.unit.name,
                a.village_id,
                a.village.name,
                v.date(a.start_date),
                v.date(a.end_date),
                a.backing_unit.name if a.backing_unit_id else "",
                a.note,
            ]
    elif kind == "postings":
        for p in queryset:
            yield [
                *_cadre_ref(v, p.cadre),
                p.village_id,
                p.village.name,
                v.label(PostingRole, p.role),
                "是" if p.full_time else "否",
                v.date(p.start_date),
                v.date(p.end_date),
            ]
    elif kind == "pairings":
        heads = _head_names(queryset)
        for p in queryset:
            yield [
                *_cadre_ref(v, p.cadre),
                p.household.household_no,
                heads.get(p.household_id, ""),
                v.date(p.start_date),
                v.date(p.end_date),
            ]
    else:
        raise ValueError(kind)


def _head_names(pairings) -> dict[int, str]:
    """Household id → the head's name, in one query for the whole export."""
    from bangfu.registry.choices import Relation
    from bangfu.registry.models import Member

    return dict(
        Member.objects.filter(
            household__in=pairings.values("household_id"), relation=Relation.HEAD
        ).values_list("household_id", "name")
    )


def export_assistance(
    output: str | os.PathLike | io.IOBase,
    fmt: str | None = None,
    *,
    user=None,
    unit: Unit | None = None,
    kinds: list[str] | tuple[str, ...] | None = None,
) -> dict[str, int]:
    """Write the export to a path or a binary file object; returns rows written per kind.

    `fmt` is "xlsx" or "csv" (default: the path's extension); a .csv holds exactly one kind.
    """
    if fmt is None:
        fmt = Path(output).suffix.lower().lstrip(".")
    kinds = list(kinds or KINDS)
    if fmt == "csv" and len(kinds) != 1:
        raise ValueError("a .csv holds one kind")
    v = _Values(user)
    querysets = _querysets(user, unit)
    counts: dict[str, int] = {}
    if fmt == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        for kind in kinds:
            layout = LAYOUTS[kind]
            sheet = workbook.create_sheet(layout.sheet)
            sheet.append(layout.headers)
            counts[kind] = 0
            for row in rows(kind, querysets[kind], v):
                sheet.append(row)
                counts[kind] += 1
        workbook.save(output)
        return counts
    if fmt != "csv":
        raise ValueError(fmt)
    kind = kinds[0]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(LAYOUTS[kind].headers)
    counts[kind] = 0
    for row in rows(kind, querysets[kind], v):
        writer.writerow(row)
        counts[kind] += 1
    data = buffer.getvalue().encode("utf-8-sig")
    if isinstance(output, io.IOBase):
        output.write(data)
    else:
        Path(output).write_bytes(data)
    return counts
