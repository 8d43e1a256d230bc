"""Pairings: one responsible cadre per household at a time, re-pairing keeps history, and only
households of villages assigned to the cadre's unit family."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bangfu.assistance import testing
from bangfu.assistance.models import Pairing
from bangfu.assistance.services import pairings, units
from bangfu.core.models import AuditEntry
from bangfu.core.testing import make_household

D = datetime.date


def test_responsible_cadre_on_a_date(world, household):
    testing.make_pairing(world.officer, household, D(2016, 1, 1), end_date=D(2016, 12, 31))
    assert pairings.responsible_cadre(household, D(2015, 12, 31)) is None
    assert pairings.responsible_cadre(household, D(2016, 1, 1)) == world.officer
    assert pairings.responsible_cadre(household, D(2016, 12, 31)) == world.officer
    assert pairings.responsible_cadre(household, D(2017, 1, 1)) is None


def test_overlapping_pairings_of_a_household_refused_same_day_counts(world, household):
    testing.make_pairing(world.officer, household, D(2016, 1, 1), end_date=D(2016, 12, 31))
    with pytest.raises(ValidationError) as exc:
        Pairing(cadre=world.secretary, household=household, start_date=D(2016, 12, 31)).full_clean()
    assert "李民警" in exc.value.message_dict["start_date"][0]
    # the day after is free
    testing.make_pairing(world.secretary, household, D(2017, 1, 1))


def test_end_before_start_refused_single_day_allowed(world, household):
    with pytest.raises(ValidationError) as exc:
        testing.make_pairing(world.officer, household, D(2016, 1, 2), end_date=D(2016, 1, 1))
    assert "end_date" in exc.value.message_dict
    assert testing.make_pairing(world.officer, household, D(2016, 1, 2), end_date=D(2016, 1, 2))


def test_re_pairing_ends_the_old_pairing_and_keeps_history(world, household):
    old = testing.make_pairing(world.officer, household, D(2016, 1, 1))
    new = testing.make_pairing(world.secretary, household, D(2018, 3, 1))
    old.refresh_from_db()
    assert old.end_date == D(2018, 2, 28)
    assert list(Pairing.objects.filter(household=household).order_by("start_date")) == [old, new]
    assert pairings.responsible_cadre(household, D(2018, 2, 28)) == world.officer
    assert pairings.responsible_cadre(household, D(2018, 3, 1)) == world.secretary
    history = AuditEntry.objects.for_subject(household).filter(object_type="assistance.pairing")
    assert sorted(history.values_list("action", flat=True)) == ["create", "create", "update"]


def test_re_pairing_on_the_same_start_day_is_refused_and_writes_nothing(world, household):
    testing.make_pairing(world.officer, household, D(2016, 1, 1))
    before = (Pairing.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError):
        testing.make_pairing(world.secretary, household, D(2016, 1, 1))
    assert (Pairing.objects.count(), AuditEntry.objects.count()) == before
    assert Pairing.objects.get().end_date is None


def test_household_outside_the_units_villages_is_refused(world, far_household):
    with pytest.raises(ValidationError) as exc:
        testing.make_pairing(world.officer, far_household)
    assert "household" in exc.value.message_dict
    xiagang = make_household(testing.XIAGANG)  # nobody is assigned to 峡岗村
    with pytest.raises(ValidationError):
        testing.make_pairing(world.officer, xiagang)


def test_parent_and_backing_units_villages_count(world, household, other_household):
    # 新联村 is assigned to the hall (backing unit: county); the county's cadre may pair there
    assert testing.make_pairing(world.officer, household).pk
    # 罗回村 is the hall's, backed by the city: a county cadre (the city's backing unit) may too
    assert testing.make_pairing(world.secretary, other_household).pk
    # the hall's own cadre reaches villages assigned to it
    hall_cadre = testing.make_cadre(world.hall)
    group_household = make_household("451423100201")
    assert testing.make_pairing(hall_cadre, group_household).pk


def test_assignment_must_run_on_the_pairing_date(world, household):
    units.end_assignment(world.assignments[testing.XINLIAN], D(2019, 12, 31))
    assert testing.make_pairing(world.officer, household, D(2019, 12, 31), end_date=D(2019, 12, 31))
    with pytest.raises(ValidationError) as exc:
        testing.make_pairing(world.officer, household, D(2020, 1, 1))
    assert "2020-01-01" in exc.value.message_dict["household"][0]
