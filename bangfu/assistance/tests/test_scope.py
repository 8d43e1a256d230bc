"""Scope: region users keep their subtree; unit users see their unit and its backing units;
a cadre user sees their own records; Unit and Cadre follow assignments for region users."""

import datetime

import pytest

from bangfu.accounts.choices import Role
from bangfu.assistance import testing
from bangfu.assistance.choices import ResponsibilityLevel as L
from bangfu.assistance.models import Assignment, Cadre, Pairing, Posting, Responsibility, Unit, Zone
from bangfu.assistance.services import zones
from bangfu.core.testing import make_user
from bangfu.regions.models import Region
from bangfu.registry.models import Household

D = datetime.date


@pytest.fixture
def records(world, users, household, other_household, far_household):
    testing.make_posting(world.secretary, testing.XINLIAN)
    testing.make_posting(world.city_officer, testing.LUOHUI)
    testing.make_posting(world.other_cadre, testing.DAQIAO)
    p1 = testing.make_pairing(world.officer, household)
    p2 = testing.make_pairing(world.city_officer, other_household)
    p3 = testing.make_pairing(world.other_cadre, far_household)
    county = Region.objects.get(pk="451423")
    zone = zones.create_zone("下冻战区", county, commander=world.city_officer)
    zones.set_villages(zone, [testing.XINLIAN, testing.LUOHUI])
    zones.assign_responsibility(
        zone, L.HOUSEHOLD, world.officer, D(2016, 1, 1), household=household
    )
    zones.assign_responsibility(
        zone, L.HOUSEHOLD, world.city_officer, D(2016, 1, 1), household=other_household
    )
    return {"pairings": (p1, p2, p3), "zone": zone}


def villages(qs, path="village_id"):
    return sorted(set(qs.values_list(path, flat=True)))


def test_region_users_keep_their_subtree(world, users, records):
    assert villages(Assignment.objects.for_user(users["village"])) == [testing.XINLIAN]
    assert villages(Assignment.objects.for_user(users["county"])) == [
        testing.XINLIAN,
        testing.LUOHUI,
    ]
    assert villages(Assignment.objects.for_user(users["other_county"])) == [testing.DAQIAO]
    assert Assignment.objects.for_user(users["admin"]).count() == 3
    assert villages(Posting.objects.for_user(users["village"])) == [testing.XINLIAN]
    assert villages(Pairing.objects.for_user(users["village"]), "household__region") == [
        testing.XINLIAN
    ]
    assert villages(Responsibility.objects.for_user(users["village"]), "region") == [
        testing.XINLIAN
    ]
    assert Zone.objects.for_user(users["township"]).count() == 0  # a zone belongs to its county
    assert Zone.objects.for_user(users["county"]).get() == records["zone"]
    assert Pairing.objects.for_user(None).count() == 0


def test_units_and_cadres_for_region_users_follow_assignments(world, users, records):
    assert set(Unit.objects.for_user(users["village"])) == {world.hall, world.county}
    assert set(Unit.objects.for_user(users["county"])) == {world.hall, world.city, world.county}
    assert set(Unit.objects.for_user(users["other_county"])) == {world.other}
    assert Unit.objects.for_user(users["admin"]).count() == 4
    assert set(Cadre.objects.for_user(users["village"])) == {world.secretary, world.officer}
    assert set(Cadre.objects.for_user(users["other_county"])) == {world.other_cadre}


def test_unit_users_see_their_unit_and_backing_units(world, records, household, other_household):
    hall = testing.make_unit_user("hall", world.hall)
    city = testing.make_unit_user("city", world.city)
    other = testing.make_unit_user("other", world.other)
    assert set(Unit.objects.for_user(city)) == {world.city, world.county}
    assert set(Unit.objects.for_user(hall)) == {world.hall, world.city, world.county}
    assert set(Cadre.objects.for_user(city)) == {world.secretary, world.officer, world.city_officer}
    # the hall's assignments: seen by the hall, and by the city as backing unit of both villages
    assert villages(Assignment.objects.for_user(hall)) == [testing.XINLIAN, testing.LUOHUI]
    assert villages(Assignment.objects.for_user(city)) == [testing.XINLIAN, testing.LUOHUI]
    county = testing.make_unit_user("countyunit", world.county)
    assert villages(Assignment.objects.for_user(county)) == [testing.XINLIAN]
    assert set(Pairing.objects.for_user(county).values_list("household", flat=True)) == {
        household.pk
    }
    assert Pairing.objects.for_user(other).get() == records["pairings"][2]
    assert villages(Posting.objects.for_user(other)) == [testing.DAQIAO]
    assert Responsibility.objects.for_user(other).count() == 0
    assert Zone.objects.for_user(city).get() == records["zone"]
    assert Zone.objects.for_user(county).count() == 0


def test_a_cadre_user_sees_their_own_records(world, records, household):
    user = make_user("officer", Role.CADRE, None)
    user.unit = world.county
    user.save()
    world.officer.user = user
    world.officer.save()
    assert Cadre.objects.for_user(user).get() == world.officer
    assert Pairing.objects.for_user(user).get().household == household
    assert Posting.objects.for_user(user).count() == 0
    assert Responsibility.objects.for_user(user).get().cadre == world.officer


def test_users_without_region_or_unit_see_nothing(world, records):
    nobody = make_user("nobody", Role.UNIT, None)
    for model in (Unit, Cadre, Assignment, Posting, Pairing, Zone, Responsibility):
        assert model.objects.for_user(nobody).count() == 0, model


def test_existing_region_scoping_is_unchanged(world, users, records, household):
    unit_user = testing.make_unit_user("hall", world.hall)
    # unit users reach the registry of their assigned villages only (test_registry_scope.py)
    assert set(Household.objects.for_user(unit_user).values_list("region", flat=True)) == {
        testing.XINLIAN,
        testing.LUOHUI,
    }
    assert Household.objects.for_user(users["village"]).get() == household
    assert Household.objects.for_user(users["county"]).count() == 2


def test_role_permissions(world, users):
    unit_user = testing.make_unit_user("hall", world.hall)
    assert unit_user.has_perm("assistance.view_pairing")
    assert unit_user.has_perm("assistance.add_pairing")
    assert not unit_user.has_perm("assistance.delete_cadre")
    assert unit_user.has_perm("registry.view_household")
    assert not unit_user.has_perm("registry.change_household")
    assert not unit_user.has_perm("registry.export_registry")
    cadre_user = make_user("c", Role.CADRE, None)
    assert cadre_user.has_perm("assistance.view_pairing")
    assert not cadre_user.has_perm("assistance.change_pairing")
    assert cadre_user.has_perm("registry.view_member")
    assert not cadre_user.has_perm("registry.add_household")
    assert users["county"].has_perm("assistance.delete_cadre")
    assert users["viewer"].has_perm("assistance.view_unit")
    assert not users["viewer"].has_perm("assistance.add_unit")
