"""Generic access test: every URL of the project, discovered at test time.

No list of URLs is kept here: the resolver is walked when the tests are collected (see
`bangfu/core/testing_access.py` for the conventions a new app must follow and the reasons for the
few whitelisted URLs). Each URL gets its own test ids.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import resolve

from bangfu.core import testing_access
from bangfu.core.middleware import PUBLIC_PREFIXES
from bangfu.core.testing_access import World

TESTS_WITH_ROUTES = {
    "test_anonymous": lambda r: True,
    "test_logged_in_without_kwargs": lambda r: not r.kwargs,
    "test_object_scope": lambda r: bool(r.kwargs),
    "test_out_of_scope_object_refused_for_unit_and_cadre_users": lambda r: bool(r.kwargs),
    "test_api_list_is_scoped": lambda r: r.is_list and not r.kwargs,
}


def pytest_generate_tests(metafunc):
    select = TESTS_WITH_ROUTES.get(metafunc.function.__name__)
    if select is None or "route" not in metafunc.fixturenames:
        return
    routes = [r for r in testing_access.collect_routes() if select(r)]
    metafunc.parametrize("route", routes, ids=[r.display for r in routes])


@pytest.fixture
def world(regions, users, household, other_household, far_household) -> World:
    return World(regions, users, household, other_household, far_household)


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def lacks_some_permission(user, model) -> bool:
    opts = model._meta
    return not all(
        user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("view", "add", "change", "delete")
    )


def describe(route, response) -> str:
    location = response.get("Location", "")
    return f"{route.display} (name {route.name!r}, view {route.view_class}) → {response.status_code} {location}"


def check_url_is_this_route(route, url):
    match = resolve(url)
    assert match.route == route.route or match.func is route.callback, (
        f"URL name {route.name!r} reverses to {url}, which is served by {match.route!r}, not by "
        f"{route.route!r}: give each URL pattern its own name."
    )


def route_kwargs(route, world: World, which: int) -> dict:
    """URL kwargs naming the in-scope (which=0) or out-of-scope (which=1) object of the route."""
    unknown = [k for k in route.kwargs if k not in testing_access.KWARG_VALUES]
    assert not unknown, (
        f"{route.display}: the access test cannot fill the URL kwargs {unknown}. Name the object "
        f"with `pk` (or `code` for regions), or teach bangfu/core/testing_access.py "
        f"(KWARG_VALUES) how to fill it."
    )
    model = route.model
    assert model is not None, (
        f"{route.display}: the access test cannot tell which model `{'/'.join(route.kwargs)}` "
        f"names. Set `queryset = Model.objects.all()` on {route.view_class}."
    )
    objects = testing_access.objects_for(model, world)
    assert objects is not None, (
        f"{route.display}: model {model._meta.label_lower} is not in the access test's map. Add "
        f"ACCESS_OBJECTS = {{'{model._meta.label_lower}': lambda world: (in_scope, out_of_scope)}} "
        f"to bangfu/{model._meta.app_label}/testing_access.py: one object the village user "
        f"(新联村 451423100201) can reach and one in 罗回村 (451423100202) they cannot."
    )
    obj = objects[which]
    assert obj is not None, f"{route.display}: the map gave no object for {model.__name__}"
    return {k: testing_access.KWARG_VALUES[k](obj) for k in route.kwargs}


def is_public(route) -> bool:
    if route.name in testing_access.merged("PUBLIC"):
        return True
    try:
        path = route.url() if not route.kwargs else None
    except Exception:
        path = None
    return bool(
        path
        and not route.is_api
        and path.startswith(tuple(p for p in PUBLIC_PREFIXES if p != "/api/"))
    )


def is_post_only(route) -> bool:
    return route.name in testing_access.merged("POST_ONLY")


def assert_anonymous_refused(route, response):
    if route.is_api:
        assert response.status_code in (401, 403), describe(route, response)
    else:
        login = resolve_url(settings.LOGIN_URL)
        assert response.status_code == 302, describe(route, response)
        assert response["Location"].startswith(login), describe(route, response)


def test_every_route_has_a_name():
    unnamed = [r.display for r in testing_access.collect_routes() if not r.name]
    assert not unnamed, f"URL patterns without a name (the access test reverses names): {unnamed}"


def test_routes_are_discovered():
    displays = {r.display for r in testing_access.collect_routes()}
    # A sanity check that the walk works, not a list to keep up to date.
    assert "api/households/" in displays
    assert "api/households/<pk>/" in displays
    assert not any(d.startswith(("admin/", "api/schema/", "api/docs/")) for d in displays)


def test_anonymous(route, world):
    kwargs = route_kwargs(route, world, 0) if route.kwargs else {}
    url = route.url(**kwargs)
    check_url_is_this_route(route, url)
    response = client_for(None).get(url)
    if is_public(route):
        assert response.status_code < 500 and response.status_code != 404, describe(route, response)
        if is_post_only(route):
            assert response.status_code == 405, describe(route, response)
        return
    assert_anonymous_refused(route, response)
    if route.is_api and not route.answers_get:
        response = client_for(None).post(url, {})
        assert_anonymous_refused(route, response)


@pytest.mark.parametrize("role", ["village", "admin"])
def test_logged_in_without_kwargs(route, role, world):
    user = world.users[role]
    response = client_for(user).get(route.url())
    if is_post_only(route):
        assert response.status_code == 405, describe(route, response)
        return
    assert response.status_code != 405, (
        f"{describe(route, response)}: if this URL answers POST only, add its name to POST_ONLY "
        f"(with the reason) in bangfu/<app>/testing_access.py"
    )
    assert response.status_code != 404, describe(route, response)
    assert response.status_code < 500, describe(route, response)
    if response.status_code == 302:
        assert not response["Location"].startswith(resolve_url(settings.LOGIN_URL)), describe(
            route, response
        )


def test_object_scope(route, world):
    village = testing_access.scope_user(route.model, world)  # the village user unless mapped
    in_url = route.url(**route_kwargs(route, world, 0))
    out_url = route.url(**route_kwargs(route, world, 1))
    check_url_is_this_route(route, in_url)
    perm_model = route.permission_model or route.model
    role_may_be_refused = lacks_some_permission(village, perm_model)

    if is_post_only(route) or not route.answers_get:
        # Only POST reaches the object: an out-of-scope POST must not get past the lookup.
        response = client_for(village).get(in_url)
        assert response.status_code == 405, describe(route, response)
        response = client_for(village).post(out_url, {})
        allowed = (404, 403) if role_may_be_refused else (404,)
        assert response.status_code in allowed, describe(route, response)
        response = client_for(world.users["other_county"]).post(in_url, {})
        assert response.status_code == 404, describe(route, response)
        return

    # In scope: 200 (or a redirect elsewhere than the login page, or 403 for a role that lacks
    # a permission on the model).
    response = client_for(village).get(in_url)
    allowed = {200, 302} | ({403} if role_may_be_refused else set())
    assert response.status_code in allowed, describe(route, response)
    if response.status_code == 302:
        assert not response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    in_scope_status = response.status_code

    # Out of scope: 404. A 403 is only acceptable when the same role got 403 in scope too
    # (refused by role before the lookup, so it confirms nothing).
    response = client_for(village).get(out_url)
    allowed = {404} | ({403} if in_scope_status == 403 else set())
    assert response.status_code in allowed, describe(route, response)

    # A county user of the other county (钟山县) does not see 龙州县's objects at all.
    response = client_for(world.users["other_county"]).get(in_url)
    assert response.status_code == 404, describe(route, response)


def _unit_and_cadre_users(world):
    """A unit user of the 新联村 unit (assigned to 新联村 only) and a cadre user who is that
    unit's cadre (paired with the 新联村 household): the assistance world's inside records."""
    if "unit_cadre_users" not in world.cache:
        from bangfu.accounts.choices import Role
        from bangfu.accounts.models import User
        from bangfu.assistance.testing_access import _world as assistance_world

        records = assistance_world(world)
        unit, cadre = records["unit"][0], records["cadre"][0]
        unit_user = User.objects.create(username="unit-staff", role=Role.UNIT, unit=unit)
        cadre_user = User.objects.create(username="cadre-user", role=Role.CADRE, unit=unit)
        cadre.user = cadre_user
        cadre.save()
        world.cache["unit_cadre_users"] = (unit_user, cadre_user)
    return world.cache["unit_cadre_users"]


def test_out_of_scope_object_refused_for_unit_and_cadre_users(route, world):
    """Unit staff and cadres are scoped by unit and pairing, not by region: the out-of-scope
    object of every URL (a 罗回村 or 钟山县 record) is still a 404 for them — or a 403 when
    their role may not see that kind of record at all."""
    for user in _unit_and_cadre_users(world):
        out_url = route.url(**route_kwargs(route, world, 1))
        if is_post_only(route) or not route.answers_get:
            response = client_for(user).post(out_url, {})
        else:
            response = client_for(user).get(out_url)
        assert response.status_code in (403, 404), f"{user.role}: " + describe(route, response)


def test_api_list_is_scoped(route, world):
    model = route.model
    assert model is not None, f"{route.display}: set `queryset` on {route.view_class}"
    assert hasattr(model.objects, "for_user"), (
        f"{route.display}: {model.__name__} is not scoped (no ScopedManager/scope_region_path); "
        f"every API list must start from Model.objects.for_user(request.user)."
    )
    assert testing_access.objects_for(model, world) is not None, (
        f"{route.display}: add {model._meta.label_lower} to ACCESS_OBJECTS "
        f"(bangfu/{model._meta.app_label}/testing_access.py)"
    )
    village = testing_access.scope_user(model, world)  # the village user unless mapped
    expected = model.objects.for_user(village)
    everywhere = model.objects.for_user(world.users["admin"])
    assert everywhere.count() > expected.count() > 0, (
        f"{route.display}: the fixture world must hold {model.__name__} rows both in and out of "
        f"the village user's scope for this test to mean anything"
    )
    response = client_for(village).get(route.url())
    assert response.status_code == 200, describe(route, response)
    body = response.json()
    assert body["count"] == expected.count(), (route.display, body["count"], expected.count())
    lookup = getattr(route.view_class, "lookup_field", "pk")
    key = "id" if lookup == "pk" else lookup
    assert all(key in row for row in body["results"]), (
        f"{route.display}: list rows must carry the lookup field {key!r}"
    )
    got = {str(row[key]) for row in body["results"]}
    assert got == {str(pk) for pk in expected.values_list(lookup, flat=True)}


# --- the test of the test: a leaky or unmapped view must make the checks above fail ------------


def _meta_urlconf():
    """A URLconf with views that break the rules, to prove the generic checks catch them."""
    import types

    from django.http import HttpResponse
    from django.urls import path
    from django.views import View

    from bangfu.core.models import AuditEntry
    from bangfu.registry.models import Household

    class LeakyHouseholdView(View):  # looks objects up without for_user()
        queryset = Household.objects.all()

        def get(self, request, pk):
            return HttpResponse(Household.objects.get(pk=pk).household_no)

    class UnmappedView(View):
        queryset = AuditEntry.objects.all()

        def get(self, request, pk):
            return HttpResponse("")

    class NoModelView(View):
        def get(self, request, pk):
            return HttpResponse("")

    class OddKwargView(View):
        queryset = Household.objects.all()

        def get(self, request, household_id):
            return HttpResponse("")

    module = types.ModuleType("bangfu_access_meta_urls")
    module.urlpatterns = [
        path("leaky/<int:pk>/", LeakyHouseholdView.as_view(), name="leaky"),
        path("unmapped/<int:pk>/", UnmappedView.as_view(), name="unmapped"),
        path("nomodel/<int:pk>/", NoModelView.as_view(), name="nomodel"),
        path("odd/<int:household_id>/", OddKwargView.as_view(), name="odd"),
    ]
    return module


@pytest.fixture
def meta_routes(settings):
    settings.ROOT_URLCONF = _meta_urlconf()
    return {r.name: r for r in testing_access.collect_routes()}


def test_the_checks_catch_a_view_that_ignores_scope(meta_routes, world):
    with pytest.raises(AssertionError, match="leaky"):
        test_object_scope(meta_routes["leaky"], world)


@pytest.mark.parametrize(
    "name, message",
    [
        ("unmapped", "not in the access test's map"),
        ("nomodel", "cannot tell which model"),
        ("odd", "cannot fill the URL kwargs"),
    ],
)
def test_unresolvable_routes_fail_loudly(meta_routes, world, name, message):
    with pytest.raises(AssertionError, match=message):
        test_object_scope(meta_routes[name], world)
