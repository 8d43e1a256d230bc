"""The gap to exit: the least each failing household needs, the village work list grouped by
kind and sorted by closeness to passing, its page (scoped, CSV) and API; explanations for every
item of cn-household and gx-household."""

import datetime
from decimal import Decimal

import pytest

from bangfu.core import testing
from bangfu.registry.models import MemberSurvey
from bangfu.standards import definitions
from bangfu.standards.models import Verdict
from bangfu.standards.services import gaps
from bangfu.standards.services.evaluate import evaluate
from bangfu.standards.services.explain import explain
from bangfu.standards.testing import add_member

pytestmark = pytest.mark.django_db
VILLAGE = "451423100201"


def verdict_of(h, standard="cn-household"):
    return Verdict.objects.filter(household=h, version__standard__code=standard).latest("pk")


@pytest.fixture
def village(regions):
    water = testing.make_household(VILLAGE, household_no="A-water", safe_water=False)
    near = testing.make_household(
        VILLAGE, household_no="C-near", members=3, income_per_person=Decimal("3900")
    )
    far = testing.make_household(
        VILLAGE, household_no="D-far", members=2, income_per_person=Decimal("3000")
    )
    two = testing.make_household(
        VILLAGE,
        household_no="B-two",
        members=1,
        income_per_person=Decimal("3999"),
        housing_safety="D",
    )
    school = testing.make_household(VILLAGE, household_no="E-school", members=1)
    add_member(school, datetime.date(2004, 9, 2), schooling="dropped_out")  # 15 on 1 Sept 2020
    add_member(school, datetime.date(2010, 3, 3), schooling="primary", medical_insurance=False)
    ok = testing.make_household(VILLAGE, household_no="F-ok")
    other = testing.make_household("451423100202", household_no="Z-other", safe_water=False)
    evaluate("cn-household", 2020)
    return {h.household_no: h for h in (water, near, far, two, school, ok, other)}


def test_income_gap_per_person_and_household_total(village):
    (gap,) = gaps.gaps_of(verdict_of(village["C-near"]))
    # line 4000 − 3900 + 0.01 per person; 3 persons
    assert (gap.kind, gap.income_per_person, gap.income_total) == (
        "income",
        Decimal("100.01"),
        Decimal("300.03"),
    )
    assert gap.text == "人均纯收入需增加 100.01 元（全户 300.03 元）"


def test_children_back_in_school_with_ages_and_members_to_insure(village):
    v = verdict_of(village["E-school"])
    assert v.failed_codes == ["education", "medical"]
    ages = gaps.out_of_school_ages([v])[v.household_id]
    edu, med = gaps.gaps_of(v, ages)
    assert (edu.count, edu.ages, med.count) == (1, [15], 1)
    assert edu.text == "1 名适龄儿童返校（15 岁）"
    reasons = dict(explain(v))
    assert reasons["education"].startswith("成员 1 人（15 岁）失学或辍学")
    assert reasons["medical"] == "有 1 名成员未参加基本医疗保险"


def test_work_list_sorted_by_closeness_and_grouped_by_kind(village):
    rows, groups = gaps.work_list(Verdict.objects.all(), "cn-household", 2020, VILLAGE)
    order = [r.household.household_no for r in rows]
    # one failed item first (no income gap, then the smaller income gap), then two items
    assert order == ["A-water", "C-near", "D-far", "E-school", "B-two"]
    assert [r.household.household_no for r in groups["income"]] == ["C-near", "D-far", "B-two"]
    assert [r.household.household_no for r in groups["housing"]] == ["B-two"]
    assert [r.household.household_no for r in groups["water"]] == ["A-water"]
    assert list(groups) == ["income", "education", "medical", "housing", "water"]


def test_work_list_uses_the_latest_verdict(village):
    near = village["C-near"]
    near.surveys.update(wage_income=Decimal("99999"))
    evaluate("cn-household", 2020, VILLAGE)
    rows, _groups = gaps.work_list(Verdict.objects.all(), "cn-household", 2020, VILLAGE)
    assert "C-near" not in [r.household.household_no for r in rows]


def test_page_scoped_links_and_csv(village, users, login):
    c = login(users["village"])
    html = c.get("/standards/gaps/?standard=cn-household&year=2020").content.decode()
    assert "C-near" in html and "Z-other" not in html and "F-ok" not in html
    assert f"/registry/households/{village['C-near'].pk}/" in html
    assert f"/standards/what-if/{village['C-near'].pk}/?standard=cn-household&year=2020" in html
    assert "人均纯收入需增加 100.01 元" in html
    csv = c.get("/standards/gaps/?standard=cn-household&year=2020&format=csv").content.decode()
    lines = csv.splitlines()
    assert lines[0].startswith("household,region,standard,year,failed_items,")
    assert lines[2].startswith("C-near,451423100201,cn-household,2020,income,100.01,300.03,")
    assert "Z-other" not in csv
    county = login(users["county"]).get("/standards/gaps/?year=2020").content.decode()
    assert "Z-other" in county


def test_api_scoped(village, users, login):
    data = login(users["village"]).get("/api/standards/gaps/?year=2020").json()
    assert data["count"] == 5
    first = data["results"][0]
    assert (first["household_no"], first["failed_items"]) == ("A-water", ["water"])
    near = next(r for r in data["results"] if r["household_no"] == "C-near")
    assert near["gaps"][0]["income_per_person"] == "100.01"
    assert login(users["other_village"]).get("/api/standards/gaps/?year=2020").json()["count"] == 1


@pytest.mark.parametrize("standard", ["cn-household", "gx-household"])
def test_every_item_has_its_own_explanation(regions, standard):
    h = testing.make_household(
        VILLAGE,
        members=1,
        income_per_person=0,
        farmland_mu=Decimal("0"),
        housing_safety="C",
        safe_water=False,
        electricity=False,
        tv_access=False,
        road_hardened=False,
        food_clothing_secure=False,
    )
    add_member(h, datetime.date(2010, 1, 1), schooling="dropped_out", medical_insurance=False)
    MemberSurvey.objects.filter(survey__household=h).update(work_months=None)
    evaluate(standard, 2020, VILLAGE)
    v = verdict_of(h, standard)
    codes = [c for c, *_rest in definitions.STANDARDS[standard][3]]
    assert v.failed_codes == codes
    reasons = dict(explain(v))
    assert set(reasons) == set(codes)
    for code, text in reasons.items():
        assert "未达到条目" not in text, code
    assert reasons["income"] == "人均纯收入 0 元，未超过 2020 年扶贫标准 4,000 元"
    assert reasons["housing"].startswith("住房安全等级为 C 级")
