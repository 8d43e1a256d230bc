"""Gaps closed after the first session: postings only to the unit's villages, household-level
responsibilities following a household that moves, the region browser for unit/cadre users."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bangfu.accounts.choices import Role
from bangfu.assistance import testing
from bangfu.assistance.choices import PostingRole
from bangfu.assistance.choices import ResponsibilityLevel as L
from bangfu.assistance.models import Responsibility
from bangfu.assistance.services import zones
from bangfu.regions.models import Region
from bangfu.registry.models import Household

D = datetime.date


# --- postings --------------------------------------------------------------------------------


def test_posting_to_a_village_not_assigned_to_the_unit_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        testing.make_posting(world.other_cadre, testing.XINLIAN)
    message = exc.value.message_dict["village"][0]
    assert "钟山县委组织部" in message and "2015-01-01" in message


def test_posting_before_the_assignment_or_ending_after_it_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        testing.make_posting(world.secretary, testing.XINLIAN, start=D(2014, 6, 1))
    assert "2014-06-01" in exc.value.message_dict["village"][0]
    testing.make_assignment(
        world.other, testing.XIAGANG, start=D(2016, 1, 1), end_date=D(2017, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        testing.make_posting(
            world.other_cadre, testing.XIAGANG, start=D(2016, 2, 1), end_date=D(2018, 1, 1)
        )
    assert "2018-01-01" in exc.value.message_dict["village"][0]
    ok = testing.make_posting(
        world.other_cadre,
        testing.XIAGANG,
        PostingRole.TEAM_MEMBER,
        D(2016, 2, 1),
        end_date=D(2016, 12, 1),
    )
    assert ok.pk


def test_posting_in_the_unit_tree_is_allowed(world):
    # 新联村 is assigned to the hall with 龙州县公安局 as backing unit; a city officer (the level
    # between them) belongs to the same tree.
    assert testing.make_posting(world.city_officer, testing.XINLIAN, PostingRole.TEAM_MEMBER).pk


def test_posting_form_shows_the_refusal_on_the_village(world, users, login):
    r = login(users["admin"]).post(
        "/assistance/postings/add/",
        {
            "cadre": world.other_cadre.pk,
            "village": testing.XINLIAN,
            "role": "team_member",
            "start_date": "2016-01-01",
            "full_time": "on",
        },
    )
    assert r.status_code == 200 and "不能派驻该单位的干部" in r.content.decode()


# --- household-level responsibilities follow the household -----------------------------------


@pytest.fixture
def moved(world, household, users):
    zone = zones.create_zone("下冻战区", Region.objects.get(pk="451423"))
    zones.set_villages(zone, [testing.XINLIAN, testing.LUOHUI])
    resp = zones.assign_responsibility(
        zone, L.HOUSEHOLD, world.officer, D(2018, 1, 1), household=household
    )
    # the household moves the way the registry moves it: a queryset UPDATE, no save()
    Household.objects.filter(pk=household.pk).update(region_id=testing.LUOHUI)
    return zone, resp


def test_scope_follows_the_household_after_it_moves(moved, users):
    _zone, resp = moved
    assert not Responsibility.objects.for_user(users["village"]).filter(pk=resp.pk).exists()
    assert Responsibility.objects.for_user(users["other_village"]).filter(pk=resp.pk).exists()
    assert Responsibility.objects.for_user(users["county"]).filter(pk=resp.pk).exists()


def test_region_filter_and_zone_tree_follow_the_household(moved, users, login):
    zone, resp = moved
    c = login(users["county"])
    api = "/api/assistance/responsibilities/"
    assert c.get(api, {"region": testing.LUOHUI}).json()["count"] == 1
    assert c.get(api, {"region": testing.XINLIAN}).json()["count"] == 0
    tree = zones.zone_tree(zone, D(2019, 1, 1))
    by_village = {node.village.pk: node for node in tree.villages}
    assert by_village[testing.LUOHUI].households == [resp]
    assert by_village[testing.XINLIAN].households == []


# --- region browser root for unit and cadre users --------------------------------------------


def test_unit_user_sees_their_villages_at_the_root(world, login):
    user = testing.make_unit_user("hall-staff", world.hall)
    html = login(user).get("/regions/").content.decode()
    assert "新联村" in html and "罗回村" in html and "大桥村" not in html


def test_cadre_user_sees_their_paired_households_villages(world, other_household, login):
    user = testing.make_unit_user("cadre-user", world.officer.unit, role=Role.CADRE)
    world.officer.user = user
    world.officer.save()
    testing.make_pairing(world.officer, other_household)
    html = login(user).get("/regions/").content.decode()
    assert "罗回村" in html and "新联村" not in html
