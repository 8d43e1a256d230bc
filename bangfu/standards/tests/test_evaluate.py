"""Household standards evaluated over a set: every item at its boundaries, the CSV of the
command exactly, the missing-poverty-line error, households skipped without a survey."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from bangfu.core import testing
from bangfu.registry.models import MemberSurvey
from bangfu.standards.models import Threshold, Verdict
from bangfu.standards.services.evaluate import EvaluationError, evaluate
from bangfu.standards.testing import add_member

pytestmark = pytest.mark.django_db
VILLAGE = "451423100201"


def failed(household, standard="cn-household", year=2020):
    result = evaluate(standard, year, household.region_id, save=False)
    return next(r.failed for r in result.rows if r.subject == household.household_no)


def test_income_strictly_above_the_line(regions):
    # 3 persons; net income per person exactly 4000 (the 2020 line) fails, 1 fen above passes
    at = testing.make_household(VILLAGE, members=3, income_per_person=Decimal("4000"))
    above = testing.make_household(VILLAGE, members=3, income_per_person=Decimal("4000.01"))
    assert failed(at) == ["income"]
    assert failed(above) == []


def test_income_counts_every_source_less_business_expense(regions):
    h = testing.make_household(
        VILLAGE,
        members=2,
        income_per_person=0,
        transfer_income=Decimal("5000"),
        business_income=Decimal("4000"),
        business_expense=Decimal("1000"),
    )  # (5000 + 4000 − 1000) / 2 = 4000: not above
    assert failed(h) == ["income"]


def test_food_clothing_and_housing(regions):
    assert failed(testing.make_household(VILLAGE, food_clothing_secure=False)) == ["food_clothing"]
    assert failed(testing.make_household(VILLAGE, housing_safety="B")) == []
    assert failed(testing.make_household(VILLAGE, housing_safety="C")) == ["housing"]
    assert failed(testing.make_household(VILLAGE, housing_safety="D", relocated=True)) == []


def test_medical_every_member_insured(regions):
    h = testing.make_household(VILLAGE)
    add_member(h, datetime.date(2010, 1, 1), medical_insurance=False)
    assert failed(h) == ["medical"]


@pytest.mark.parametrize(
    "born, schooling, fails",
    [
        # turns 6 on 1 September 2020: of school age that year
        (datetime.date(2014, 9, 1), "not_in_school", True),
        # turns 6 on 2 September: still 5 on 1 September, not of school age
        (datetime.date(2014, 9, 2), "not_in_school", False),
        # turns 16 on 1 September 2020: past the window (6–15)
        (datetime.date(2004, 9, 1), "dropped_out", False),
        # turns 16 on 2 September: 15 on 1 September, in the window
        (datetime.date(2004, 9, 2), "dropped_out", True),
        (datetime.date(2010, 5, 5), "primary", False),
        (datetime.date(2010, 5, 5), "exempt", False),
    ],
)
def test_education_age_on_first_september(regions, born, schooling, fails):
    h = testing.make_household(VILLAGE)
    add_member(h, born, schooling=schooling)
    assert failed(h) == (["education"] if fails else [])


def test_water_evaluated_from_2019_only(regions):
    before = testing.make_household(VILLAGE, year=2018, safe_water=False)
    after = testing.make_household(VILLAGE, year=2019, safe_water=False)
    assert failed(before, year=2018) == []
    assert failed(after, year=2019) == ["water"]
    # gx-household checks water in every year
    assert failed(before, "gx-household", 2018) == ["water"]


def test_school_age_window_is_data(regions):
    h = testing.make_household(VILLAGE)
    add_member(h, datetime.date(2004, 9, 1), schooling="dropped_out")  # 16 on 1 Sept 2020
    assert failed(h) == []
    Threshold.objects.filter(name="school_age_max", year=2020).update(value=16)
    assert failed(h) == ["education"]


def test_gx_household_items_in_listed_order(regions):
    h = testing.make_household(
        VILLAGE,
        members=2,
        income_per_person=0,
        farmland_mu=Decimal("0.99"),
        road_hardened=False,
        electricity=False,
        tv_access=False,
        housing_safety="C",
    )
    h.members.first().surveys.update(work_months=5)
    h.members.last().surveys.update(work_months=None)
    assert failed(h, "gx-household") == [
        "income_source",
        "housing",
        "road",
        "electricity",
        "tv",
        "income",
    ]


@pytest.mark.parametrize(
    "change, passes",
    [
        ({"farmland_mu": Decimal("1.00")}, True),  # 0.5 mu per person, 2 persons
        ({"work_months": 6}, True),
        ({"property_income": Decimal("1")}, True),
        ({"category": "dibao"}, True),
        ({"category": "tekun"}, True),
        ({"transfer_income": Decimal("9000")}, False),  # transfers are not a source
    ],
)
def test_gx_income_source_any_of(regions, change, passes):
    h = testing.make_household(VILLAGE, members=2, income_per_person=0, farmland_mu=Decimal("0.99"))
    MemberSurvey.objects.filter(survey__household=h).update(work_months=5)
    if "work_months" in change:
        h.members.first().surveys.update(work_months=change["work_months"])
    elif "category" in change:
        h.category = change["category"]
        h.save()
    else:
        h.surveys.update(**change)
    assert ("income_source" not in failed(h, "gx-household")) is passes


def test_command_writes_csv_exactly_and_stores_verdicts(regions, tmp_path):
    ok = testing.make_household(VILLAGE, household_no="H1")
    bad = testing.make_household(
        VILLAGE, household_no="H2", income_per_person=100, housing_safety="C", safe_water=False
    )
    testing.make_household("451423100202", household_no="H3")  # other village: not in region
    no_survey = testing.make_household(VILLAGE, household_no="H4", year=2019)
    out = tmp_path / "v.csv"
    call_command(
        "evaluate",
        "--standard",
        "cn-household",
        "--year",
        "2020",
        "--region",
        VILLAGE,
        "--output",
        str(out),
    )
    assert out.read_text(encoding="utf-8") == (
        "subject,standard,year,passed,failed_items\n"
        "H1,cn-household,2020,true,\n"
        "H2,cn-household,2020,false,income;housing;water\n"
    )
    assert Verdict.objects.count() == 2
    v = Verdict.objects.get(household=bad)
    assert (v.passed, v.failed_codes, v.thresholds["poverty_line"]) == (
        False,
        ["income", "housing", "water"],
        "4000.00",
    )
    assert v.inputs["net_income_per_person"] == "100.00"
    assert Verdict.objects.get(household=ok).passed
    assert not Verdict.objects.filter(household=no_survey).exists()


def test_households_without_a_survey_are_skipped_and_counted(regions):
    testing.make_household(VILLAGE)
    testing.make_household(VILLAGE, year=2019)
    testing.make_household(VILLAGE, year=2019)
    result = evaluate("cn-household", 2020, VILLAGE)
    assert (result.evaluated, result.skipped) == (1, 2)


def test_no_poverty_line_for_the_year_is_an_error_and_nothing_written(regions, tmp_path):
    testing.make_household(VILLAGE, year=2021)
    with pytest.raises(EvaluationError, match="2021 年的扶贫标准"):
        evaluate("cn-household", 2021)
    out = tmp_path / "v.csv"
    with pytest.raises(CommandError, match="2021"):
        call_command(
            "evaluate", "--standard", "cn-household", "--year", "2021", "--output", str(out)
        )
    assert not out.exists()
    assert Verdict.objects.count() == 0


def test_province_threshold_overrides_national(regions):
    h = testing.make_household(VILLAGE, members=1, income_per_person=4500)
    assert failed(h) == []
    Threshold.objects.create(name="poverty_line", year=2020, province="45", value=5000)
    assert failed(h) == ["income"]


def test_one_query_per_item_set_not_per_household(regions, django_assert_max_num_queries):
    for _ in range(30):
        testing.make_household(VILLAGE)
    # on PostgreSQL one more: is the run big enough for a partition of its own (it is not)
    with django_assert_max_num_queries(21):
        result = evaluate("gx-household", 2020, VILLAGE)
    assert result.evaluated == 30


@pytest.mark.parametrize(
    "grade, relocated, fails",
    [
        ("A", False, False),
        ("B", False, False),
        ("C", False, True),
        ("C", True, False),
        ("D", False, True),
        ("D", True, False),
    ],
)
@pytest.mark.parametrize("standard", ["cn-household", "gx-household"])
def test_housing_grade_or_relocation(regions, standard, grade, relocated, fails):
    h = testing.make_household(VILLAGE, housing_safety=grade, relocated=relocated)
    assert ("housing" in failed(h, standard)) is fails


@pytest.mark.parametrize(
    "change, item",
    [
        ({"road_hardened": False}, "road"),
        ({"safe_water": False}, "water"),
        ({"electricity": False}, "electricity"),
        ({"tv_access": False}, "tv"),
        ({"income_per_person": 4000}, "income"),
        ({"housing_safety": "C"}, "housing"),
    ],
)
def test_gx_each_fact_fails_only_its_item(regions, change, item):
    h = testing.make_household(VILLAGE, members=1, **change)
    assert failed(h, "gx-household") == [item]


@pytest.mark.parametrize("standard", ["cn-household", "gx-household"])
def test_member_items_in_both_standards(regions, standard):
    h = testing.make_household(VILLAGE)
    add_member(h, datetime.date(2014, 9, 1), schooling="not_in_school")  # 6 on 1 Sept 2020
    add_member(h, datetime.date(1960, 1, 1), schooling="not_in_school", medical_insurance=False)
    assert (
        [c for c in failed(h, standard) if c in ("education", "medical")]
        == [
            "education",
            "medical",
        ]
        if standard == "cn-household"
        else ["medical", "education"]
    )


def test_skipped_households_counted_in_a_saved_run(regions):
    testing.make_household(VILLAGE)
    testing.make_household(VILLAGE, year=2019)
    result = evaluate("cn-household", 2020, VILLAGE)
    assert (result.evaluated, result.skipped, result.run.skipped) == (1, 1, 1)
