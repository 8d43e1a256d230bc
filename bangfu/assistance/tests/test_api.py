"""Assistance API: scoped lists, creating through the services, 400s naming the field in
Chinese, ending dated records, refusals by role and by scope."""

import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bangfu.assistance import testing
from bangfu.assistance.models import Cadre, Pairing, Posting, Unit
from bangfu.core.models import AuditEntry

D = datetime.date


@pytest.fixture
def api():
    def _api(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _api


def test_lists_are_scoped(world, users, api):
    r = api(users["county"]).get("/api/assistance/units/")
    assert r.status_code == 200
    names = {row["name"] for row in r.json()["results"]}
    assert "广西壮族自治区公安厅" in names and "钟山县委组织部" not in names
    r = api(users["other_county"]).get("/api/assistance/units/")
    assert {row["name"] for row in r.json()["results"]} == {"钟山县委组织部"}


def test_create_unit_and_cadre(users, api, regions):
    c = api(users["county"])
    r = c.post("/api/assistance/units/", {"name": "龙州县委组织部", "kind": "government"})
    assert r.status_code == 201, r.json()
    unit = Unit.objects.get(pk=r.json()["id"])
    assert r.json()["kind_label"] == "党政机关"
    assert AuditEntry.objects.filter(object_type="assistance.unit", object_id=str(unit.pk)).exists()


def test_create_pairing_and_end_it_with_patch(world, users, household, api):
    c = api(users["county"])
    r = c.post(
        "/api/assistance/pairings/",
        {"cadre": world.officer.pk, "household": household.pk, "start_date": "2016-01-01"},
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    r = c.patch(f"/api/assistance/pairings/{pk}/", {"end_date": "2017-12-31"}, format="json")
    assert r.status_code == 200, r.json()
    assert Pairing.objects.get(pk=pk).end_date == D(2017, 12, 31)
    # the other fields are history: a PATCH does not move them
    r = c.patch(f"/api/assistance/pairings/{pk}/", {"start_date": "2010-01-01"}, format="json")
    assert Pairing.objects.get(pk=pk).start_date == D(2016, 1, 1)
    # and dated records are not deleted
    assert c.delete(f"/api/assistance/pairings/{pk}/").status_code == 405


def test_end_before_start_is_400_naming_the_field(world, users, api):
    r = api(users["county"]).post(
        "/api/assistance/postings/",
        {
            "cadre": world.secretary.pk,
            "village": testing.XINLIAN,
            "role": "first_secretary",
            "start_date": "2016-01-02",
            "end_date": "2016-01-01",
        },
    )
    assert r.status_code == 400
    assert r.json()["end_date"] == ["结束日期不能早于开始日期"]
    assert not Posting.objects.exists()


def test_second_first_secretary_is_400(world, users, api):
    testing.make_posting(world.secretary, testing.XINLIAN)
    r = api(users["county"]).post(
        "/api/assistance/postings/",
        {
            "cadre": world.officer.pk,
            "village": testing.XINLIAN,
            "role": "first_secretary",
            "start_date": "2016-01-01",
        },
    )
    assert r.status_code == 400
    assert "一个村同时只能有一名第一书记" in r.json()["role"][0]


def test_household_outside_scope_cannot_be_named(world, users, far_household, api):
    r = api(users["county"]).post(
        "/api/assistance/pairings/",
        {"cadre": world.officer.pk, "household": far_household.pk, "start_date": "2016-01-01"},
    )
    assert r.status_code == 400
    assert "household" in r.json()
    assert not Pairing.objects.exists()


def test_deleting_a_cadre_with_history_is_refused(world, users, household, api):
    testing.make_pairing(world.officer, household)
    c = api(users["county"])
    r = c.delete(f"/api/assistance/cadres/{world.officer.pk}/")
    assert r.status_code == 400
    assert "不能删除" in r.json()["non_field_errors"][0]
    assert Cadre.objects.filter(pk=world.officer.pk).exists()
    assert c.delete(f"/api/assistance/cadres/{world.city_officer.pk}/").status_code == 204


def test_viewer_cannot_write(world, users, api):
    c = api(users["viewer"])
    assert c.get("/api/assistance/cadres/").status_code == 200
    r = c.post("/api/assistance/cadres/", {"unit": world.county.pk, "name": "某某"})
    assert r.status_code == 403
    assert not Cadre.objects.filter(name="某某").exists()


def test_out_of_scope_object_is_404(world, users, api):
    c = api(users["other_county"])
    assert c.get(f"/api/assistance/units/{world.hall.pk}/").status_code == 404
    assert c.get(f"/api/assistance/cadres/{world.officer.pk}/").status_code == 404


def test_filters_shared_with_the_pages(world, users, household, api):
    testing.make_pairing(world.officer, household, D(2016, 1, 1), end_date=D(2016, 12, 31))
    c = api(users["county"])
    assert c.get("/api/assistance/pairings/?active=0").json()["count"] == 1
    assert c.get("/api/assistance/pairings/?active=1").json()["count"] == 0
    r = c.get(f"/api/assistance/assignments/?village={testing.XINLIAN}")
    assert r.json()["count"] == 1


def test_responsibility_through_the_service(world, users, api):
    from bangfu.assistance.services import zones
    from bangfu.regions.models import Region

    zone = zones.create_zone("下冻战区", Region.objects.get(pk="451423"))
    zones.set_villages(zone, [testing.XINLIAN])
    c = api(users["county"])
    body = {
        "zone": zone.pk,
        "level": "village",
        "cadre": world.officer.pk,
        "region": testing.XINLIAN,
        "start_date": "2018-01-01",
    }
    r = c.post("/api/assistance/responsibilities/", body)
    assert r.status_code == 201, r.json()
    assert r.json()["level_label"] == "包村"
    r = c.post("/api/assistance/responsibilities/", {**body, "region": testing.LUOHUI})
    assert r.status_code == 400
    assert r.json()["region"] == ["该村不在所选战区（作战单元）的范围内"]
    r = c.post("/api/assistance/responsibilities/", {**body, "cadre": world.secretary.pk})
    assert r.status_code == 400 and "start_date" in r.json()
