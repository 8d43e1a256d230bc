"""Zone and responsibility pages and the Zone API: list, tree, add/edit, set villages,
responsibilities added and ended, refusals shown next to their field."""

import datetime

import pytest

from bangfu.assistance import testing
from bangfu.assistance.choices import ResponsibilityLevel as L
from bangfu.assistance.models import Responsibility, Zone
from bangfu.assistance.services import zones
from bangfu.core.models import AuditEntry
from bangfu.core.testing import make_household
from bangfu.regions.choices import Level
from bangfu.regions.models import Region

D = datetime.date
GROUP = "451423100201001"


@pytest.fixture
def tree(world):
    group = Region.objects.create(
        code=GROUP, name="那坡屯", level=Level.GROUP, parent_id=testing.XINLIAN
    )
    county = Region.objects.get(pk="451423")
    commander = testing.make_cadre(world.hall, "李指挥长")
    zone = zones.create_zone("下冻战区", county, commander=commander)
    zones.set_villages(zone, [testing.XINLIAN, testing.XIAGANG])
    household = make_household(GROUP)
    chief = testing.make_cadre(world.county, "正科包村")
    deputy = testing.make_cadre(world.county, "副科包组")
    zones.assign_responsibility(zone, L.VILLAGE, chief, D(2018, 1, 1), region=group.parent)
    zones.assign_responsibility(zone, L.GROUP, deputy, D(2018, 1, 1), region=group)
    zones.assign_responsibility(
        zone, L.HOUSEHOLD, world.officer, D(2018, 1, 1), household=household
    )
    return zone, household


def test_zone_page_shows_villages_and_the_chain_as_a_tree(tree, users, login):
    zone, household = tree
    c = login(users["county"])
    assert "下冻战区" in c.get("/assistance/zones/").content.decode()
    html = c.get(f"/assistance/zones/{zone.pk}/").content.decode()
    assert "峡岗村" in html and "新联村" in html
    chain = html.split('class="chain-tree"', 1)[1]
    # nested in order: commander, then 包村 in 新联村, then 包组 in 那坡屯, then 包户
    positions = [
        chain.index(t) for t in ("李指挥长", "正科包村", "副科包组", household.household_no)
    ]
    assert positions == sorted(positions)
    assert chain.index("李民警") > chain.index(household.household_no)
    # before the responsibilities started, only the commander
    html = c.get(f"/assistance/zones/{zone.pk}/", {"date": "2017-06-01"}).content.decode()
    assert "正科包村" not in html.split('class="chain-tree"', 1)[1]


def test_zone_page_queries_do_not_grow_with_the_zone(
    tree, world, users, login, django_assert_max_num_queries
):
    zone, _ = tree
    for _i in range(8):
        h = make_household(GROUP)
        zones.assign_responsibility(zone, L.HOUSEHOLD, world.officer, D(2018, 1, 1), household=h)
    c = login(users["county"])
    with django_assert_max_num_queries(12):
        assert c.get(f"/assistance/zones/{zone.pk}/").status_code == 200


def test_add_zone_set_villages_and_refuse_a_foreign_village(world, users, login):
    c = login(users["county"])
    r = c.post("/assistance/zones/add/", {"name": "水口战区", "region": "451423"})
    zone = Zone.objects.get(name="水口战区")
    assert r["Location"] == f"/assistance/zones/{zone.pk}/"
    r = c.post(f"/assistance/zones/{zone.pk}/villages/", {"villages": [testing.XIAGANG]})
    assert r.status_code == 302
    assert list(zone.villages.values_list("pk", flat=True)) == [testing.XIAGANG]
    assert (
        AuditEntry.objects.filter(object_type="assistance.zone", object_id=str(zone.pk)).count()
        == 2
    )
    # 大桥村 is in 钟山县: not even offered to a 龙州县 user
    r = c.post(f"/assistance/zones/{zone.pk}/villages/", {"villages": [testing.DAQIAO]})
    assert r.status_code == 200 and "有效" in r.content.decode()
    r = c.post("/assistance/zones/add/", {"name": "错", "region": "451423100"})
    assert r.status_code == 200 and not Zone.objects.filter(name="错").exists()


def test_add_and_end_a_responsibility_through_the_pages(tree, world, users, login):
    zone, household = tree
    c = login(users["county"])
    add = "/assistance/responsibilities/add/"
    data = {
        "zone": zone.pk,
        "level": "village",
        "cadre": world.secretary.pk,
        "start_date": "2018-06-01",
    }
    r = c.post(add, {**data, "region": testing.XINLIAN})
    assert r.status_code == 200 and "这段时间已有该层级的责任人" in r.content.decode()
    r = c.post(add, {**data, "region": testing.XIAGANG})
    assert r.status_code == 302
    resp = Responsibility.objects.get(region_id=testing.XIAGANG)
    listing = c.get("/assistance/responsibilities/", {"zone": zone.pk, "level": "village"})
    assert "峡岗村" in listing.content.decode()
    r = c.post(f"/assistance/responsibilities/{resp.pk}/end/", {"end_date": "2018-05-01"})
    assert "结束日期不能早于开始日期" in r.content.decode()
    r = c.post(f"/assistance/responsibilities/{resp.pk}/end/", {"end_date": "2019-05-01"})
    resp.refresh_from_db()
    assert r.status_code == 302 and resp.end_date == D(2019, 5, 1)


def test_zone_api(world, users, login):
    c = login(users["county"])
    r = c.post(
        "/api/assistance/zones/",
        {"name": "龙州战区", "region": "451423", "villages": [testing.XINLIAN]},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    zone_id = r.json()["id"]
    assert r.json()["villages"] == [testing.XINLIAN]
    r = c.patch(
        f"/api/assistance/zones/{zone_id}/",
        {"villages": [testing.XINLIAN, testing.DAQIAO]},
        content_type="application/json",
    )
    assert r.status_code == 400 and testing.DAQIAO in str(r.json()["villages"])
    assert list(Zone.objects.get(pk=zone_id).villages.values_list("pk", flat=True)) == [
        testing.XINLIAN
    ]
    r = c.get("/api/assistance/zones/", {"village": testing.XINLIAN})
    assert r.json()["count"] == 1
    other = login(users["other_county"])
    assert other.get(f"/api/assistance/zones/{zone_id}/").status_code == 404


def test_zone_tree_shows_only_the_responsibilities_in_the_users_scope(tree, world, login):
    """A unit user reaches the zone through its commander (a cadre of the hall) but sees only
    the responsibilities held by cadres of their own unit subtree."""
    zone, household = tree
    other_unit_cadre = testing.make_cadre(world.other, "外单位包组")
    group = Region.objects.create(
        code="451423100201002", name="板坡屯", level=Level.GROUP, parent_id=testing.XINLIAN
    )
    zones.assign_responsibility(zone, L.GROUP, other_unit_cadre, D(2018, 1, 1), region=group)
    hall_user = testing.make_unit_user("hall-staff", world.hall)
    html = login(hall_user).get(f"/assistance/zones/{zone.pk}/").content.decode()
    chain = html.split('class="chain-tree"', 1)[1]
    assert "副科包组" in chain and "外单位包组" not in chain
    # the hall is assigned 新联村 and 罗回村, not 峡岗村 (水口镇)
    assert "新联村" in chain and "峡岗村" not in html
