"""Generated household plans: one per paired household, 2–4 measures, deterministic, again safe."""

import datetime

from bangfu.assistance import testing as at
from bangfu.assistance.models import Pairing
from bangfu.core.models import AuditEntry
from bangfu.core.testing import make_household
from bangfu.plans.models import Measure, Plan
from bangfu.plans.services.generate import generate_household_plans

D = datetime.date


def _pairings(world, n=6):
    for i in range(n):
        cadre = world.officer if i % 2 else world.secretary
        at.make_pairing(cadre, make_household("451423100201"), D(2016, 1, 1))
    return Pairing.objects.select_related("cadre", "household")


def _signature():
    return sorted(
        (
            m.plan.household.household_no,
            m.kind,
            m.description,
            str(m.cost),
            m.due_date,
            m.status,
            m.done_date,
        )
        for m in Measure.objects.select_related("plan__household")
    )


def test_one_plan_per_household_with_two_to_four_measures(world, django_assert_max_num_queries):
    pairings = list(_pairings(world))
    with django_assert_max_num_queries(8):
        plans = generate_household_plans(
            pairings, start=D(2016, 1, 1), end=D(2020, 12, 31), seed=4, today=D(2019, 1, 1)
        )
    assert len(plans) == 6 == Plan.objects.count()
    for plan in Plan.objects.select_related("household", "author"):
        pairing = next(p for p in pairings if p.household_id == plan.household_id)
        assert plan.author_id == pairing.cadre_id and plan.unit_id == pairing.cadre.unit_id
        assert plan.region_id == plan.household.region_id
        measures = list(plan.measures.all())
        assert 2 <= len(measures) <= 4
        assert len({m.kind for m in measures}) == len(measures)
        for m in measures:
            m.full_clean()  # every generated measure obeys the rules
            assert m.owner_id == plan.author_id
    assert AuditEntry.objects.filter(object_type="plans.measure").count() == Measure.objects.count()
    # again: nothing added
    assert generate_household_plans(pairings, start=D(2016, 1, 1), end=D(2020, 12, 31)) == []


def test_same_seed_same_plans(world):
    pairings = list(_pairings(world))
    args = dict(start=D(2016, 1, 1), end=D(2020, 12, 31), seed=7, today=D(2021, 1, 1))
    generate_household_plans(pairings, **args)
    first = _signature()
    Measure.objects.all().delete()
    Plan.objects.all().delete()
    generate_household_plans(pairings, **args)
    assert _signature() == first
