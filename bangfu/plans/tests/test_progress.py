"""Progress against goals, computed in SQL: income against target, measures and cost done."""

import datetime
from decimal import Decimal

from bangfu.core.testing import make_household, make_survey
from bangfu.plans import testing
from bangfu.plans.models import Plan
from bangfu.plans.services.progress import progress_bars, with_progress
from bangfu.registry.models import Household

D = datetime.date


def _annotated(plan, user=None):
    households = Household.objects.for_user(user) if user else Household.objects.all()
    return with_progress(Plan.objects.filter(pk=plan.pk), households).get()


def test_household_plan_progress(household):
    # make_household: 3 members, 5000/person in 2020; a later survey wins
    make_survey(household, 2021, wage_income=Decimal(18600), household_size=3)
    plan = testing.make_plan(household, target_income_per_capita=Decimal(6000))
    testing.make_measure(plan, cost=Decimal(3000), status="completed", done_date=D(2019, 5, 1))
    testing.make_measure(plan, cost=Decimal(1000))
    testing.make_measure(plan, cost=Decimal(500), status="cancelled")
    p = _annotated(plan)
    assert (p.latest_year, p.latest_income) == (2021, Decimal("6200.00"))
    assert (p.measures_done, p.measures_total) == (1, 2)
    assert (p.cost_spent, p.cost_planned) == (Decimal(3000), Decimal(4000))
    income, measures, cost = progress_bars(p)
    assert income.reached and income.percent == 100
    assert "2021" in income.value and "6200.00" in income.value.replace(",", "")
    assert (measures.value, measures.percent, measures.reached) == ("1 / 2", 50, False)
    assert cost.percent == 75


def test_household_plan_without_survey_or_measures(household):
    household.surveys.all().delete()
    plan = testing.make_plan(household, target_income_per_capita=Decimal(5000))
    p = _annotated(plan)
    assert p.latest_income is None and (p.measures_done, p.measures_total) == (0, 0)
    income, measures, cost = progress_bars(p)
    assert income.percent == 0 and not income.reached and "无调查数据" in income.value


def test_village_plan_share_of_households_reaching_target(regions, users):
    for income in (4000, 5200, 6000):
        make_household("451423100201", income_per_person=income)
    make_household("451423100202", income_per_person=9000)  # another village
    plan = testing.make_plan(village="451423100201", target_income_per_capita=Decimal(5200))
    p = _annotated(plan)
    assert (p.households_reached, p.households_total) == (2, 3)
    bars = progress_bars(p)
    assert bars[0].value == "2 / 3" and bars[0].percent == 66
    # no target: no income bar, nothing counted
    untargeted = _annotated(testing.make_plan(village="451423100201"))
    assert untargeted.households_reached is None
    assert len(progress_bars(untargeted)) == 2


def test_village_progress_counts_only_households_in_the_users_scope(world, regions):
    from bangfu.accounts.choices import Role
    from bangfu.assistance import testing as at

    households = [make_household("451423100201", income_per_person=6000) for _ in range(3)]
    cadre_user = at.make_unit_user("officer", world.officer.unit, role=Role.CADRE)
    world.officer.user = cadre_user
    world.officer.save()
    at.make_pairing(world.officer, households[0])
    plan = testing.make_plan(
        village="451423100201", author=world.officer, target_income_per_capita=Decimal(5000)
    )
    assert _annotated(plan).households_total == 3
    assert _annotated(plan, cadre_user).households_total == 1


def test_plan_page_shows_bars_with_bounded_queries(
    users, household, login, django_assert_max_num_queries
):
    plan = testing.make_plan(household, target_income_per_capita=Decimal(6000))
    for _ in range(5):
        testing.make_measure(plan)
    c = login(users["county"])
    with django_assert_max_num_queries(12):
        html = c.get(f"/plans/{plan.pk}/").content.decode()
    assert 'aria-valuenow="83"' in html  # 5,000 of 6,000
    assert "0 / 5" in html
