"""The export writes the exchange layout; importing it reproduces the registry exactly."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from bangfu.core import testing
from bangfu.regions.models import Region
from bangfu.registry.models import Household, MemberSurvey
from bangfu.registry.services.exporter import ExportScopeError, export_registry
from bangfu.registry.services.importer import (
    HOUSEHOLD_FIELDS,
    MEMBER_FIELDS,
    MEMBER_SURVEY_FIELDS,
    SURVEY_FIELDS,
    import_registry,
)

pytestmark = pytest.mark.django_db


def world() -> None:
    Region.objects.create(code="451423100201001", name="一组", level=6, parent_id="451423100201")
    testing.make_household("451423100201", members=4)
    testing.make_household(
        "451423100202",
        members=2,
        status="exited",
        housing_safety="C",
        relocated=True,
        farmland_mu=Decimal("1.25"),
    )
    h = testing.make_household("451423100201001", members=1, business_income=Decimal("350.5"))
    h.group_name = "一组"
    h.other_causes = "lack_funds;lack_skills"
    h.save()
    ms = MemberSurvey.objects.filter(survey__household=h).first()
    ms.critical_illness_insurance = None
    ms.work_months = None
    ms.work_status = ""
    ms.education = ""
    ms.save()
    testing.make_household("451122100201", members=3)


def snapshot() -> dict:
    """Every field the exchange file carries, keyed by household number and ID number."""
    out = {}
    for h in Household.objects.order_by("household_no"):
        survey = h.surveys.order_by("-year").first()
        members = {}
        for ms in MemberSurvey.objects.filter(survey=survey).select_related("member"):
            m = ms.member
            members[m.id_number] = (
                {f: getattr(m, f) for f in MEMBER_FIELDS},
                {f: getattr(ms, f) for f in MEMBER_SURVEY_FIELDS},
            )
        out[h.household_no] = (
            {f: getattr(h, f) for f in HOUSEHOLD_FIELDS},
            survey.year,
            {f: getattr(survey, f) for f in SURVEY_FIELDS},
            members,
        )
    return out


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_round_trip_reproduces_every_field(regions, tmp_path, suffix):
    world()
    before = snapshot()
    path = tmp_path / f"export.{suffix}"
    call_command("export_registry", "--output", str(path))
    Household.objects.all().delete()
    result = import_registry(path)
    assert result.status == "done", [str(e) for e in result.errors]
    assert result.households_created == 4
    assert snapshot() == before


def test_region_and_latest_or_given_year(regions, tmp_path):
    world()
    h = Household.objects.filter(region_id="451423100201").first()
    old = h.surveys.get()
    new = testing.make_survey(
        h, 2021, farmland_mu=old.farmland_mu, housing_safety="B", wage_income=1, household_size=4
    )
    for ms in MemberSurvey.objects.filter(survey=old):
        ms.pk, ms.survey = None, new
        ms.save()
    path = tmp_path / "x.csv"
    n = export_registry(path, "csv", region="451423000000")
    assert n == 4 + 2 + 1  # 龙州县 only
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["行政区划代码"] for r in rows} == {"451423100201", "451423100202", "451423100201001"}
    assert {r["调查年度"] for r in rows if r["户编号"] == h.household_no} == {"2021"}
    assert rows[0]["县"] == "龙州县"
    n = export_registry(path, "csv", region="451423100201", year=2020)
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["调查年度"] for r in rows} == {"2020"} and n == 5


def test_user_export_is_scoped_and_masked_without_personal_data_permission(
    regions, users, tmp_path
):
    world()
    path = tmp_path / "v.csv"
    n = export_registry(path, "csv", user=users["village"])
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert n == 5 and {r["行政区划代码"][:12] for r in rows} == {"451423100201"}
    assert all("****" in r["证件号码"] for r in rows)
    assert all("****" in r["联系电话"] for r in rows)
    n = export_registry(path, "csv", user=users["county"])
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert n == 7 and not any("*" in r["证件号码"] for r in rows)
    with pytest.raises(ExportScopeError):
        export_registry(path, "csv", user=users["village"], region="451423100202")
    # a masked file cannot be re-imported: the masked IDs are rejected
    Household.objects.all().delete()
    export_path = tmp_path / "masked.csv"
    testing.make_household("451423100201", members=1, year=2020)
    export_registry(export_path, "csv", user=users["village"])
    Household.objects.all().delete()
    result = import_registry(export_path)
    assert result.status == "rejected" and any(e.column == "证件号码" for e in result.errors)
    assert datetime.date.today()
