"""Zones and responsibility chains (seed 001: 战区指挥长 → 包村 → 包组 → 包户)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bangfu.assistance import testing
from bangfu.assistance.choices import ResponsibilityLevel as L
from bangfu.assistance.services import zones
from bangfu.core.models import AuditEntry
from bangfu.core.testing import make_household
from bangfu.regions.choices import Level
from bangfu.regions.models import Region

D = datetime.date
GROUP = "451423100201001"


@pytest.fixture
def group(regions):
    return Region.objects.create(
        code=GROUP, name="那坡屯", level=Level.GROUP, parent=regions["451423100201"]
    )


@pytest.fixture
def battle(world, group):
    """A battle zone over 新联村 (下冻镇) and 峡岗村 (水口镇), with a combat unit on 新联村."""
    county = Region.objects.get(pk="451423")
    commander = testing.make_cadre(world.hall, "李指挥长")
    zone = zones.create_zone("下冻战区", county, commander=commander)
    zones.set_villages(zone, [testing.XINLIAN, testing.XIAGANG])
    unit_commander = testing.make_cadre(world.city, "龚副指挥长")
    combat = zones.create_zone("新联作战单元", county, parent=zone, commander=unit_commander)
    zones.set_villages(combat, [testing.XINLIAN])
    return zone, combat


def test_chain_returns_every_level_top_to_bottom(world, battle, group):
    zone, combat = battle
    household = make_household(GROUP)
    chief = testing.make_cadre(world.county, "正科包村")
    deputy = testing.make_cadre(world.county, "副科包组")
    zones.assign_responsibility(combat, L.VILLAGE, chief, D(2018, 1, 1), region=group.parent)
    zones.assign_responsibility(combat, L.GROUP, deputy, D(2018, 1, 1), region=group)
    zones.assign_responsibility(
        combat, L.HOUSEHOLD, world.officer, D(2018, 1, 1), household=household
    )
    chain = zones.responsibility_chain(household, D(2018, 8, 1))
    assert [(link.level, link.cadre.name) for link in chain] == [
        (L.ZONE, "李指挥长"),
        (L.ZONE, "龚副指挥长"),
        (L.VILLAGE, "正科包村"),
        (L.GROUP, "副科包组"),
        (L.HOUSEHOLD, "李民警"),
    ]
    assert chain[0].zone == zone and chain[1].zone == combat
    # before the responsibilities started only the commanders answer
    assert [link.level for link in zones.responsibility_chain(household, D(2017, 12, 31))] == [
        L.ZONE,
        L.ZONE,
    ]


def test_chain_takes_the_paired_cadre_when_no_household_responsibility(world, battle, household):
    testing.make_pairing(world.secretary, household, D(2016, 1, 1))
    chain = zones.responsibility_chain(household, D(2018, 1, 1))
    assert (chain[-1].level, chain[-1].cadre, chain[-1].source) == (
        L.HOUSEHOLD,
        world.secretary,
        "pairing",
    )


def test_chain_outside_any_zone_is_the_pairing_alone(world, other_household):
    assert zones.responsibility_chain(other_household, D(2018, 1, 1)) == []
    testing.make_pairing(world.secretary, other_household, D(2016, 1, 1))
    [link] = zones.responsibility_chain(other_household, D(2018, 1, 1))
    assert link.cadre == world.secretary


def test_zone_responsibility_overrides_the_standing_commander(world, battle, household):
    zone, _ = battle
    acting = testing.make_cadre(world.hall, "代理指挥长")
    zones.assign_responsibility(zone, L.ZONE, acting, D(2018, 1, 1), end_date=D(2018, 1, 31))
    assert zones.responsibility_chain(household, D(2018, 1, 31))[0].cadre == acting
    assert zones.responsibility_chain(household, D(2018, 2, 1))[0].cadre.name == "李指挥长"


def test_chain_is_a_bounded_number_of_queries(
    world, battle, household, django_assert_max_num_queries
):
    testing.make_pairing(world.secretary, household, D(2016, 1, 1))
    with django_assert_max_num_queries(5):
        chain = zones.responsibility_chain(household, D(2018, 1, 1))
        [link.cadre.name for link in chain]


def test_one_cadre_per_level_and_target_at_a_time(world, battle, household):
    _, combat = battle
    zones.assign_responsibility(
        combat,
        L.HOUSEHOLD,
        world.officer,
        D(2018, 1, 1),
        household=household,
        end_date=D(2018, 6, 30),
    )
    with pytest.raises(ValidationError) as exc:
        zones.assign_responsibility(
            combat, L.HOUSEHOLD, world.secretary, D(2018, 6, 30), household=household
        )
    assert "start_date" in exc.value.message_dict
    assert (
        zones.assign_responsibility(
            combat, L.HOUSEHOLD, world.secretary, D(2018, 7, 1), household=household
        ).region_id
        == household.region_id
    )


def test_targets_must_match_the_level_and_the_zone(world, battle, group, other_household):
    zone, combat = battle
    with pytest.raises(ValidationError) as exc:
        zones.assign_responsibility(combat, L.VILLAGE, world.officer, D(2018, 1, 1), region=group)
    assert "region" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # 峡岗村 is in the battle zone, not the combat unit
        zones.assign_responsibility(
            combat,
            L.VILLAGE,
            world.officer,
            D(2018, 1, 1),
            region=Region.objects.get(pk=testing.XIAGANG),
        )
    assert "region" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # 罗回村 is in no zone
        zones.assign_responsibility(
            zone, L.HOUSEHOLD, world.officer, D(2018, 1, 1), household=other_household
        )
    assert "household" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        zones.assign_responsibility(zone, L.HOUSEHOLD, world.officer, D(2018, 1, 1))
    assert "household" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        zones.assign_responsibility(
            zone, L.ZONE, world.officer, D(2018, 2, 1), end_date=D(2018, 1, 1)
        )
    assert "end_date" in exc.value.message_dict


def test_zone_rules(world, battle):
    zone, combat = battle
    with pytest.raises(ValidationError) as exc:
        zones.create_zone("错误战区", Region.objects.get(pk="451423100"))
    assert "region" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        zones.create_zone("跨县", Region.objects.get(pk="451122"), parent=zone)
    assert "parent" in exc.value.message_dict
    zone.parent = combat
    with pytest.raises(ValidationError) as exc:
        zone.full_clean()
    assert "parent" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        zones.set_villages(zone, [testing.DAQIAO])
    assert "villages" in exc.value.message_dict


def test_zone_membership_and_responsibilities_are_audited(world, battle, household):
    zone, combat = battle
    membership = AuditEntry.objects.filter(object_type="assistance.zone", object_id=str(zone.pk))
    assert membership.filter(action="update").get().after == {
        "villages": [testing.XINLIAN, testing.XIAGANG]
    }
    resp = zones.assign_responsibility(
        combat, L.HOUSEHOLD, world.officer, D(2018, 1, 1), household=household
    )
    zones.end_responsibility(resp, D(2019, 1, 1))
    entries = AuditEntry.objects.filter(
        object_type="assistance.responsibility", object_id=str(resp.pk)
    )
    assert sorted(entries.values_list("action", flat=True)) == ["create", "update"]


def test_chain_through_three_zone_levels(world, battle, household):
    zone, combat = battle
    county = Region.objects.get(pk="451423")
    squad = zones.create_zone("新联一组", county, parent=combat, commander=world.secretary)
    zones.set_villages(squad, [testing.XINLIAN])
    chain = zones.responsibility_chain(household, D(2018, 1, 1))
    assert [link.zone for link in chain] == [zone, combat, squad]
