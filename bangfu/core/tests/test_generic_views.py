"""Every object page built on core.generic: anonymous → login, out of scope → 404, in scope → 200.

Object views are discovered from the URL patterns: a view class with a `queryset` and a URL
kwarg `pk` (int) or `code` (region)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bangfu.core.generic import ObjectListView
from bangfu.regions.models import Region
from bangfu.registry.models import Household, Member, StatusChange, Survey


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _patterns(p, ns)
        elif isinstance(p, URLPattern):
            view_class = getattr(p.callback, "view_class", None)
            if view_class is not None and getattr(view_class, "queryset", None) is not None:
                if p.name and p.callback.__module__.startswith("bangfu."):
                    yield f"{namespace}{p.name}", p, view_class


def _object_for(model, household):
    if model is Household:
        return household
    if model is Member:
        return household.members.first()
    if model is Survey:
        return household.surveys.first()
    if model is StatusChange:
        return household.status_changes.first()
    if model is Region:
        return household.region
    raise AssertionError(f"no test object for {model}")


def _kwargs(pattern, view_class, household):
    keys = set(pattern.pattern.converters)
    if not keys:
        return {}
    obj = _object_for(view_class.queryset.model, household)
    if "code" in keys:
        return {"code": obj.pk}
    return {"pk": obj.pk}


MODELS_HERE = (Household, Member, Survey, StatusChange, Region)


def _discovered():
    # Other apps' object views are checked by test_access_generic.py (their ACCESS_OBJECTS).
    return [
        (name, p, vc)
        for name, p, vc in _patterns()
        if not name.startswith("api") and vc.queryset.model in MODELS_HERE
    ]


def test_object_views_are_discovered():
    names = {name for name, _p, _vc in _discovered()}
    assert {"registry:household", "registry:household_edit", "regions:region"} <= names


@pytest.mark.django_db
def test_every_object_view_is_scoped(client, users, household, far_household, login):
    checked = 0
    for name, pattern, view_class in _discovered():
        kwargs = _kwargs(pattern, view_class, household)
        if not kwargs:
            continue
        url = reverse(name, kwargs=kwargs)
        client.logout()
        assert client.get(url).status_code == 302, url
        far_url = reverse(name, kwargs=_kwargs(pattern, view_class, far_household))
        c = login(users["county"])  # 龙州县: far_household (钟山县) is out of scope
        assert c.get(far_url).status_code == 404, far_url
        if hasattr(view_class, "post"):
            assert c.post(far_url, {}).status_code == 404, far_url
        assert c.get(url).status_code == 200, url
        checked += 1
    assert checked >= 8


@pytest.mark.django_db
def test_list_pages_answer_without_kwargs(users, household, login):
    c = login(users["village"])
    for name, pattern, view_class in _discovered():
        if not pattern.pattern.converters and issubclass(view_class, ObjectListView):
            assert c.get(reverse(name)).status_code == 200, name


@pytest.mark.django_db
def test_out_of_scope_is_404_even_without_permission(users, far_household, login):
    """A viewer may not change anything, but an object outside their area must not be
    confirmed by a 403."""
    c = login(users["viewer"])
    assert (
        c.get(reverse("registry:household_edit", kwargs={"pk": far_household.pk})).status_code
        == 404
    )
    assert (
        c.post(reverse("registry:household_edit", kwargs={"pk": far_household.pk})).status_code
        == 404
    )


@pytest.mark.django_db
def test_in_scope_without_permission_is_403(users, household, login):
    c = login(users["viewer"])
    url = reverse("registry:household_edit", kwargs={"pk": household.pk})
    assert c.get(url).status_code == 403
    assert c.post(url, {"household_no": "x"}).status_code == 403
    member = household.members.first()
    assert c.post(reverse("registry:member_delete", kwargs={"pk": member.pk})).status_code == 403
    assert Member.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_list_view_paginates_and_keeps_filters(users, regions, login):
    from bangfu.core import testing

    for _ in range(30):
        testing.make_household("451423100201", members=1)
    c = login(users["county"])
    r = c.get(reverse("registry:household_list"), {"status": "not_exited", "page": 2})
    assert r.status_code == 200
    assert r.context["page_obj"].number == 2
    assert len(r.context["page_obj"].object_list) == 5
    assert "status=not_exited&amp;page=1" in r.content.decode()
    # a page past the end shows the last page rather than an error
    assert c.get(reverse("registry:household_list"), {"page": 99}).context["page_obj"].number == 2
