"""Login, lockout, password hashing, profile and API token, language switch."""

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from bangfu.core.testing import PASSWORD


def test_login_url_names_resolve():
    assert reverse("login") == "/accounts/login/"
    assert reverse("accounts:login") == "/accounts/login/"
    assert reverse("logout") == reverse("accounts:logout")
    assert reverse(settings.LOGIN_URL) == "/accounts/login/"


@pytest.mark.django_db
def test_login_page_and_successful_login(client, users):
    r = client.get("/accounts/login/?next=/registry/households/")
    assert r.status_code == 200
    assert "登录帮扶系统" in r.content.decode()
    r = client.post(
        "/accounts/login/",
        {"username": "village", "password": PASSWORD, "next": "/registry/households/"},
    )
    assert r.status_code == 302 and r["Location"] == "/registry/households/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_wrong_password_shows_an_error(client, users):
    r = client.post("/accounts/login/", {"username": "village", "password": "wrong"})
    assert r.status_code == 200
    assert "5 次" in r.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_after_repeated_failures(client, users):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        assert (
            client.post("/accounts/login/", {"username": "village", "password": "x"}).status_code
            == 200
        )
    r = client.post("/accounts/login/", {"username": "village", "password": "x"})
    assert r.status_code == 429
    # even the right password is refused now, with the Chinese lockout page
    r = client.post("/accounts/login/", {"username": "village", "password": PASSWORD})
    assert r.status_code == 429
    html = r.content.decode()
    assert "登录失败次数过多" in html and "30 分钟" in html and "系统管理员" in html
    assert "_auth_user_id" not in client.session
    # another account (same address) is not locked
    r = client.post("/accounts/login/", {"username": "township", "password": PASSWORD})
    assert r.status_code == 302


@pytest.mark.django_db
def test_passwords_are_argon2_hashes(users):
    assert users["village"].password.startswith("argon2$")


@pytest.mark.django_db
def test_logout_is_a_post(users, login):
    c = login(users["village"])
    html = c.get("/").content.decode()
    assert f'method="post" action="{reverse("logout")}"' in html
    assert c.get(reverse("logout")).status_code == 405
    assert c.post(reverse("logout")).status_code == 302
    assert c.get("/").status_code == 302


@pytest.mark.django_db
def test_profile_shows_role_region_permissions_and_token(users, login):
    c = login(users["viewer"])
    r = c.get(reverse("accounts:profile"))
    html = r.content.decode()
    assert "只读" in html and "龙州县" in html and "451423" in html
    rows = dict(r.context["permission_rows"])
    assert rows["贫困户"] == [True, False, False, False]
    assert "尚未生成 API 令牌" in html
    assert c.post(reverse("accounts:token")).status_code == 302
    token = Token.objects.get(user=users["viewer"])
    assert token.key in c.get(reverse("accounts:profile")).content.decode()
    c.post(reverse("accounts:token"))
    new = Token.objects.get(user=users["viewer"])
    assert new.key != token.key
    assert c.get(reverse("accounts:token")).status_code == 405


@pytest.mark.django_db
def test_header_shows_user_role_and_region_and_nav(users, login):
    html = login(users["township"]).get("/").content.decode()
    assert "乡镇" in html and "下冻镇" in html
    for url in ("/regions/", "/registry/households/", "/api/docs/"):
        assert f'href="{url}"' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


@pytest.mark.django_db
def test_language_switch_renders_english(users, login):
    c = login(users["village"])
    assert '<html lang="zh-CN">' in c.get("/").content.decode()
    r = c.post(reverse("set_language"), {"language": "en", "next": "/registry/households/"})
    assert r.status_code == 302 and r["Location"] == "/registry/households/"
    r = c.get("/registry/households/")
    html = r.content.decode()
    assert '<html lang="en">' in html
    assert 'value="en" aria-pressed="true"' in html
    assert r.wsgi_request.LANGUAGE_CODE == "en"
