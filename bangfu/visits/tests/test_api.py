"""The visits API: scope, filters, writes through the same rules as the pages."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from bangfu.visits.models import FollowUp, Visit
from bangfu.visits.testing import make_follow_up, make_visit


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_list_is_scoped_and_filtered(world, users, household, other_household):
    mine = make_visit(world.secretary, household, date=datetime.date(2019, 1, 5))
    make_visit(world.city_officer, other_household)
    body = api(users["village"]).get("/api/visits/visits/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert body["results"][0]["purpose_label"] == "走访慰问"
    body = api(users["county"]).get("/api/visits/visits/", {"end": "2019-12-31"}).json()
    assert [row["id"] for row in body["results"]] == [mine.pk]


def test_create_refuses_a_future_date_with_the_field(world, users, household):
    client = api(users["village"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {"cadre": world.secretary.pk, "household": household.pk, "purpose": "care"}
    response = client.post("/api/visits/visits/", {**data, "date": tomorrow.isoformat()})
    assert response.status_code == 400
    assert "不能登记未来的走访" in response.json()["date"][0]
    assert not Visit.objects.exists()
    response = client.post("/api/visits/visits/", {**data, "date": "2020-01-02"})
    assert response.status_code == 201, response.json()
    assert response.json()["region"] == household.region_id


def test_create_out_of_scope_household_is_refused(world, users, other_household):
    response = api(users["village"]).post(
        "/api/visits/visits/",
        {
            "cadre": world.secretary.pk,
            "household": other_household.pk,
            "purpose": "care",
            "date": "2020-01-02",
        },
    )
    assert response.status_code == 400 and "household" in response.json()
    assert not Visit.objects.exists()


def test_village_visit_and_follow_ups(world, users, household):
    client = api(users["county"])
    response = client.post(
        "/api/visits/visits/",
        {
            "cadre": world.officer.pk,
            "village": "451423100202",
            "purpose": "policy",
            "date": "2020-02-02",
        },
    )
    assert response.status_code == 201, response.json()
    visit_id = response.json()["id"]
    response = client.post(
        "/api/visits/follow-ups/",
        {"visit": visit_id, "action": "张贴公示", "due_date": "2020-02-01"},
    )
    assert response.status_code == 400 and "due_date" in response.json()
    response = client.post(
        "/api/visits/follow-ups/",
        {"visit": visit_id, "action": "张贴公示", "due_date": "2020-02-10"},
    )
    assert response.status_code == 201 and response.json()["overdue"] is True
    follow_up = response.json()["id"]
    response = client.patch(f"/api/visits/follow-ups/{follow_up}/", {"done_date": "2020-02-09"})
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert client.delete(f"/api/visits/visits/{visit_id}/").status_code == 405


def test_follow_ups_overdue_filter_and_scope(world, users, household, other_household):
    overdue = make_follow_up(make_visit(world.secretary, household))
    make_follow_up(make_visit(world.city_officer, other_household))
    body = api(users["village"]).get("/api/visits/follow-ups/", {"overdue": "true"}).json()
    assert [row["id"] for row in body["results"]] == [overdue.pk]
    assert FollowUp.objects.count() == 2
