"""Regions API: the tree within the user's area, read-only except for administrators."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bangfu.core.models import AuditEntry
from bangfu.regions.models import Region

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_list_is_the_users_subtree(users):
    assert codes(api(users["village"]).get("/api/regions/")) == ["451423100201"]
    assert codes(api(users["township"]).get("/api/regions/")) == [
        "451423100",
        "451423100201",
        "451423100202",
    ]
    body = api(users["admin"]).get("/api/regions/").json()
    assert body["count"] == Region.objects.count()


def test_detail_by_code_and_out_of_scope_is_404(users):
    client = api(users["township"])
    body = client.get("/api/regions/451423100/").json()
    assert body["name"] == "下冻镇"
    assert body["level"] == 4 and body["level_display"] == "乡镇"
    assert body["parent"] == "451423"
    assert body["children_count"] == 2
    assert client.get("/api/regions/451423101/").status_code == 404
    assert client.get("/api/regions/451122/").status_code == 404


def test_filters(users):
    client = api(users["admin"])
    assert codes(client.get("/api/regions/?parent=451423100")) == ["451423100201", "451423100202"]
    assert codes(client.get("/api/regions/?level=3")) == ["451122", "451423"]
    assert codes(client.get("/api/regions/?q=龙州")) == ["451423"]
    assert codes(client.get("/api/regions/?q=4511")) == [
        "4511",
        "451122",
        "451122100",
        "451122100201",
    ]


def test_only_administrators_write(users):
    payload = {"code": "451423100203", "name": "新村", "western_region": True}
    for role in ("county", "township", "village", "viewer"):
        assert api(users[role]).post("/api/regions/", payload, format="json").status_code == 403
        response = api(users[role]).patch(
            "/api/regions/451423100201/", {"name": "x"}, format="json"
        )
        assert response.status_code == 403
    assert not Region.objects.filter(code="451423100203").exists()


def test_admin_creates_region_with_level_and_parent_from_code(users):
    client = api(users["admin"])
    response = client.post(
        "/api/regions/", {"code": "451423100203000", "name": "新村"}, format="json"
    )
    assert response.status_code == 201, response.content
    region = Region.objects.get(code="451423100203")
    assert region.level == 5 and region.parent_id == "451423100"
    entry = AuditEntry.objects.filter(object_type="regions.region", object_id="451423100203").get()
    assert entry.source == "api" and entry.username == "admin"
    response = client.post("/api/regions/", {"code": "451423100203", "name": "重复"}, format="json")
    assert response.status_code == 400
    assert "已存在" in response.json()["code"][0]
    response = client.post("/api/regions/", {"code": "45142x", "name": "坏"}, format="json")
    assert response.status_code == 400
    assert "只含数字" in response.json()["code"][0]
    response = client.post("/api/regions/", {"code": "459901", "name": "孤儿"}, format="json")
    assert response.status_code == 400
    assert "上级区划" in response.json()["code"][0]


def test_admin_renames_but_cannot_change_code(users):
    client = api(users["admin"])
    response = client.patch(
        "/api/regions/451423100201/", {"name": "新联村委", "code": "451423100299"}, format="json"
    )
    assert response.status_code == 200, response.content
    region = Region.objects.get(code="451423100201")
    assert region.name == "新联村委"
    assert not Region.objects.filter(code="451423100299").exists()


def test_deleting_a_region_in_use_is_a_conflict(users, household):
    response = api(users["admin"]).delete("/api/regions/451423100201/")
    assert response.status_code == 409
    assert "不能删除" in response.json()["detail"]
    assert Region.objects.filter(code="451423100201").exists()


def test_children_with_household_counts(users, household, other_household, far_household):
    body = api(users["county"]).get("/api/regions/451423100/children/").json()
    assert body == [
        {"code": "451423100201", "name": "新联村", "level": 5, "households": 1},
        {"code": "451423100202", "name": "罗回村", "level": 5, "households": 1},
    ]
    # The village user sees only their own village below the township… which is out of scope.
    assert api(users["village"]).get("/api/regions/451423100/children/").status_code == 404
    body = api(users["township"]).get("/api/regions/451423/children/")
    assert body.status_code == 404
