"""Export of the registry in the exchange layout (the same file the importer reads).

`import(export(region))` reproduces the region: every household field, the survey of the year
and every member's facts are written with the Chinese headers and Chinese terms. Rows are
streamed in household chunks (csv module, openpyxl write-only), so memory stays flat.

A user without `accounts.view_personal_data` gets masked ID numbers and phones; such a file is
for reading only and cannot be re-imported (the masked IDs fail the ID check).

A household is written with one survey (the latest, or the one of the year asked for) and the
members listed in that survey; a household without such a survey has no row in the file.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

from django.db.models import Max, OuterRef, Subquery
from django.utils import translation
from django.utils.translation import gettext as _

from bangfu.core.privacy import can_view_personal_data, mask_id_number, mask_phone
from bangfu.core.scoping import region_q, user_region_code
from bangfu.regions.codes import statistical_code
from bangfu.regions.models import Region

from ..models import Household, Member, MemberSurvey, Survey
from .importer import COLUMNS

CHUNK = 1000


class ExportScopeError(PermissionError):
    """The requested region lies outside the user's area."""


def headers() -> list[str]:
    return [c.header for c in COLUMNS]


def _labels() -> dict[str, dict[str, str]]:
    with translation.override("zh-hans"):
        return {
            c.field: {code: str(label) for code, label in c.choices.choices}
            for c in COLUMNS
            if c.choices
        }


def _yes_no(value) -> str:
    if value is None:
        return ""
    return "是" if value else "否"


def _money(value) -> str:
    return "" if value is None else format(value, "f")


def rows(*, user=None, region: str | None = None, year: int | None = None) -> Iterator[list]:
    """The exchange rows (one per member of the chosen survey), households in number order."""
    households = Household.objects.all()
    if user is not None:
        scope = user_region_code(user)
        if scope is None:
            return
        households = households.for_user(user)
        if region and not region.startswith(scope):
            raise ExportScopeError(_("所选区域不在您的管辖范围内"))
    if region:
        households = households.filter(region_q("region", region))
    surveys = Survey.objects.filter(household__in=households)
    if year:
        surveys = surveys.filter(year=year)
    else:
        latest = (
            Survey.objects.filter(household=OuterRef("household"))
            .values("household")
            .annotate(m=Max("year"))
            .values("m")
        )
        surveys = surveys.filter(year=Subquery(latest))
    full = user is None or can_view_personal_data(user)
    labels = _labels()
    names: dict[str, str] = {}
    last = 0
    while True:
        chunk = list(
            surveys.filter(household_id__gt=last)
            .select_related("household")
            .order_by("household_id")[:CHUNK]
        )
        if not chunk:
            return
        last = chunk[-1].household_id
        _load_names(names, {s.household.region_id for s in chunk})
        by_survey: dict[int, list[MemberSurvey]] = {}
        for ms in (
            MemberSurvey.objects.filter(survey__in=chunk)
            .select_related("member")
            .order_by("survey_id", "member_id")
        ):
            by_survey.setdefault(ms.survey_id, []).append(ms)
        for survey in sorted(chunk, key=lambda s: s.household.household_no):
            yield from _household_rows(survey, by_survey.get(survey.pk, []), labels, names, full)


def _load_names(names: dict[str, str], codes: set[str]) -> None:
    wanted = {c[:n] for c in codes for n in (6, 9, 12)} - names.keys()
    if wanted:
        names.update(Region.objects.filter(code__in=wanted).values_list("code", "name"))


def _household_rows(survey: Survey, member_surveys, labels, names, full: bool) -> Iterator[list]:
    h = survey.household
    causes = "、".join(labels["main_cause"].get(c, c) for c in h.other_cause_list)
    household = {
        "region_code": statistical_code(h.region_id),
        "county": names.get(h.region_id[:6], ""),
        "township": names.get(h.region_id[:9], ""),
        "village": names.get(h.region_id[:12], ""),
        "group": h.group_name,
        "household_no": h.household_no,
        "category": labels["category"][h.category],
        "status": labels["status"][h.status],
        "registered_year": h.registered_year,
        "exit_year": h.exit_year if h.exit_year is not None else "",
        "main_cause": labels["main_cause"][h.main_cause],
        "other_causes": causes,
        "phone": h.phone if full else mask_phone(h.phone),
        "farmland_mu": _money(survey.farmland_mu),
        "housing_safety": survey.housing_safety,
        "survey_year": survey.year,
        "household_size": survey.household_size,
    }
    for name in (
        "relocated",
        "safe_water",
        "electricity",
        "tv_access",
        "road_hardened",
        "food_clothing_secure",
    ):
        household[name] = _yes_no(getattr(survey, name))
    for name in (
        "wage_income",
        "business_income",
        "property_income",
        "transfer_income",
        "business_expense",
        "net_income_per_capita",
    ):
        household[name] = _money(getattr(survey, name))
    for ms in member_surveys:
        m: Member = ms.member
        row = dict(household)
        row.update(
            {
                "name": m.name,
                "id_number": m.id_number if full else mask_id_number(m.id_number),
                "relation": labels["relation"][m.relation],
                "sex": labels["sex"].get(m.sex, ""),
                "birth_date": m.birth_date.isoformat() if m.birth_date else "",
                "ethnicity": m.ethnicity,
                "education": labels["education"].get(ms.education, ""),
                "schooling": labels["schooling"][ms.schooling],
                "health": labels["health"].get(ms.health, ""),
                "labour_ability": labels["labour_ability"][ms.labour_ability],
                "work_status": labels["work_status"].get(ms.work_status, ""),
                "work_months": ms.work_months if ms.work_months is not None else "",
                "medical_insurance": _yes_no(ms.medical_insurance),
                "critical_illness_insurance": _yes_no(ms.critical_illness_insurance),
                "pension_insurance": _yes_no(ms.pension_insurance),
            }
        )
        yield [row[c.field] for c in COLUMNS]


def export_registry(
    output_path_or_file,
    fmt: str | None = None,
    *,
    user=None,
    region: str | None = None,
    year: int | None = None,
) -> int:
    """Write the registry in the exchange layout and return the number of rows written.

    `output_path_or_file` is a path or a binary file object; `fmt` is "csv" or "xlsx" (taken
    from the path's extension when None). `user` limits the rows to the user's area and masks
    ID numbers and phones unless they may see personal data (None: a system export with full
    data). `region` is a short or 12-digit code; `year` picks that survey year, otherwise each
    household's latest survey. Raises ExportScopeError for a region outside the user's area.
    """
    if fmt is None:
        fmt = Path(os.fspath(output_path_or_file)).suffix.lstrip(".").lower()
    if fmt not in ("csv", "xlsx"):
        raise ValueError(_("导出格式应为 csv 或 xlsx"))
    if region:
        from bangfu.regions.codes import normalize_code

        region = normalize_code(region)
    data = rows(user=user, region=region, year=year)
    if fmt == "xlsx":
        import openpyxl
        from openpyxl.cell import WriteOnlyCell

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(_("建档立卡信息表"))
        sheet.append(headers())
        text_columns = {
            i
            for i, c in enumerate(COLUMNS)
            if c.field in ("id_number", "region_code", "phone", "household_no")
        }
        count = 0
        for row in data:
            cells = []
            for i, value in enumerate(row):
                cell = WriteOnlyCell(sheet, value=value)
                if i in text_columns:
                    cell.number_format = "@"
                cells.append(cell)
            sheet.append(cells)
            count += 1
        workbook.save(output_path_or_file)
        return count
    own = isinstance(output_path_or_file, (str, os.PathLike))
    raw = open(output_path_or_file, "wb") if own else output_path_or_file
    try:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow(headers())
        count = 0
        for row in data:
            writer.writerow(row)
            count += 1
        text.flush()
        text.detach()
    finally:
        if own:
            raw.close()
    return count
