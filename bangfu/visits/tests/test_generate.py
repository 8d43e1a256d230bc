"""generate_visits: deterministic, inside the pairings' periods, audited, never in the future."""

import datetime

from bangfu.assistance import testing as assistance_testing
from bangfu.core.models import AuditEntry
from bangfu.visits.models import FollowUp, Visit
from bangfu.visits.services.generate import generate_visits


def snapshot():
    return list(
        Visit.objects.order_by("pk").values_list(
            "cadre_id", "household_id", "region_id", "date", "purpose", "findings"
        )
    )


def test_generated_visits_follow_the_pairings(world, household, other_household):
    assistance_testing.make_pairing(world.secretary, household, start=datetime.date(2016, 1, 1))
    assistance_testing.make_pairing(
        world.city_officer, other_household, end_date=datetime.date(2017, 12, 31)
    )
    result = generate_visits(500, region="451423", seed=7, batch_size=120)
    assert result.visits == Visit.objects.count() == 500
    assert result.follow_ups == FollowUp.objects.count() > 0
    by_household = {household.pk: world.secretary.pk, other_household.pk: world.city_officer.pk}
    for cadre, household_id, region_id, date, _purpose, _findings in snapshot():
        assert datetime.date(2015, 1, 1) <= date <= datetime.date(2020, 12, 31)
        if household_id is None:  # a village visit
            assert len(region_id) == 12
            continue
        assert by_household[household_id] == cadre
        if household_id == household.pk:
            assert date >= datetime.date(2016, 1, 1)
        else:
            assert date <= datetime.date(2017, 12, 31)
    assert Visit.objects.filter(household__isnull=True).exists()
    assert AuditEntry.objects.filter(object_type="visits.visit").count() == 500
    assert AuditEntry.objects.filter(object_type="visits.followup").count() == result.follow_ups
    assert FollowUp.objects.filter(due_date__lt=datetime.date(2015, 1, 8)).count() == 0
    assert FollowUp.objects.filter(done_date__gt=datetime.date(2020, 12, 31)).count() == 0


def test_same_seed_same_visits(world, household):
    assistance_testing.make_pairing(world.secretary, household)
    generate_visits(50, seed=3, audit=False)
    first = snapshot()
    FollowUp.objects.all().delete()
    Visit.objects.all().delete()
    generate_visits(50, seed=3, audit=False)
    assert snapshot() == first


def test_nothing_to_draw_from(regions):
    assert generate_visits(10).visits == 0
