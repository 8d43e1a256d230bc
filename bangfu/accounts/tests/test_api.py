"""Token authentication (with django-axes lockout) and /api/me/."""

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bangfu.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def obtain(username, password):
    return APIClient().post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_obtain_token_and_use_it(users, household):
    response = obtain("village", PASSWORD)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["username"] == "village" and body["role"] == "village"
    assert body["token"] == Token.objects.get(user=users["village"]).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.get("/api/households/").json()["count"] == 1
    # The same token is returned again.
    assert obtain("village", PASSWORD).json()["token"] == body["token"]


def test_wrong_password_is_400_in_chinese(users):
    response = obtain("village", "wrong")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["用户名或密码错误"]
    assert not Token.objects.exists()
    response = APIClient().post("/api/auth/token/", {"username": "village"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_inactive_user_gets_no_token(users):
    users["village"].is_active = False
    users["village"].save()
    assert obtain("village", PASSWORD).status_code == 400


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_after_repeated_failures_even_with_the_right_password(users):
    for _ in range(3):
        response = obtain("village", "wrong")
        assert response.status_code in (400, 429)
    response = obtain("village", PASSWORD)
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"]
    assert not Token.objects.filter(user=users["village"]).exists()
    # Another username is not affected (lockout is per username).
    assert obtain("township", PASSWORD).status_code == 200


def test_revoke_token(users):
    key = obtain("county", PASSWORD).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.delete("/api/auth/token/").status_code == 204
    assert client.get("/api/me/").status_code in (401, 403)
    assert APIClient().delete("/api/auth/token/").status_code in (401, 403)


def test_me(users):
    client = APIClient()
    client.force_authenticate(users["village"])
    body = client.get("/api/me/").json()
    assert body["username"] == "village"
    assert body["role"] == "village"
    assert body["role_display"] == "村（第一书记/驻村工作队）"
    assert body["region"]["code"] == "451423100201"
    assert body["region"]["full_name"] == "广西壮族自治区崇左市龙州县下冻镇新联村"
    assert body["scope_code"] == "451423100201"
    assert body["can_view_personal_data"] is False
    assert "registry.change_household" in body["permissions"]
    assert "registry.delete_household" not in body["permissions"]
    assert "accounts.view_personal_data" not in body["permissions"]

    client.force_authenticate(users["admin"])
    body = client.get("/api/me/").json()
    assert body["region"] is None and body["scope_code"] == ""
    assert body["can_view_personal_data"] is True
    assert "registry.delete_household" in body["permissions"]


def test_me_requires_login():
    assert APIClient().get("/api/me/").status_code in (401, 403)
