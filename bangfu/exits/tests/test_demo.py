"""The demo step: household exit cases in 钟山 at different steps, all through the service."""

from bangfu.exits.models import ExitCase, RegionExit
from bangfu.exits.services import demo
from bangfu.exits.services.verdicts import latest_household_verdict
from bangfu.registry.models import StatusChange
from bangfu.registry.services import demo as registry_demo


def test_demo_cases_in_zhongshan_obey_the_rules(db):
    registry_demo.build(seed=20, households=60)
    result = demo.build()
    cases = ExitCase.objects.filter(kind="household")
    assert cases.count() == result.counts["cases"] >= 3
    assert all(c.region_id.startswith("451122") for c in cases)
    assert len(set(cases.values_list("current_step", flat=True))) == cases.count()
    for case in cases.exclude(current_step__in=("review", "verify", "consent")):
        info = latest_household_verdict(case.household, "cn-household", case.year)
        assert info is not None and info.passed  # the gate held
    for case in cases.filter(current_step="strike"):
        # the demo registry's households have exited already: back-filled, one exit each
        household = case.household
        assert (household.status, household.exit_year) == ("exited", case.year)
        exits = StatusChange.objects.filter(household=household, status="exited")
        assert exits.filter(date__year=case.year).count() == 1
        assert case.steps.get(step="strike").date < exits.get(date__year=case.year).date
    assert RegionExit.objects.filter(region_id="451122100201").exists()
    # again: nothing more
    assert demo.build().counts == {"cases": 0, "announced": 0, "villages": 0}
