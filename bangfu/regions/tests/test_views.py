"""The region browser: scope, breadcrumb, children with households by status."""

import pytest
from django.urls import reverse

from bangfu.core import testing


def region_url(code):
    return reverse("regions:region", kwargs={"code": code})


@pytest.mark.django_db
def test_root_shows_the_users_region_or_the_provinces(users, household, login):
    r = login(users["township"]).get(reverse("regions:region_list"))
    assert r.status_code == 200
    assert r.context["object"].code == "451423100"
    r = login(users["admin"]).get(reverse("regions:region_list"))
    assert r.context["object"] is None
    assert [row["region"].code for row in r.context["table"].data] == ["45"]
    assert r.context["table"].data[0]["total"] == 1


@pytest.mark.django_db
def test_children_with_counts_by_status(users, regions, login, django_assert_max_num_queries):
    testing.make_household("451423100201")
    testing.make_household("451423100201", status="exited")
    testing.make_household("451423100202")
    testing.make_household("451423101201", status="exited")
    c = login(users["county"])
    with django_assert_max_num_queries(11):  # 10 + the latest village/county verdicts
        r = c.get(region_url("451423"))
    rows = {row["region"].code: row for row in r.context["table"].data}
    assert set(rows) == {"451423100", "451423101"}
    assert rows["451423100"]["counts"] == {"not_exited": 2, "exited": 1}
    assert rows["451423100"]["total"] == 3
    assert rows["451423101"]["counts"] == {"exited": 1}
    assert r.context["total"] == 4
    html = r.content.decode()
    assert region_url("451423100") in html and "下冻镇" in html
    assert "/registry/households/?region=451423" in html


@pytest.mark.django_db
def test_scope_and_breadcrumb(users, regions, login):
    c = login(users["village"])
    assert c.get(region_url("451423100201")).status_code == 200
    assert c.get(region_url("451423100202")).status_code == 404  # a sibling village
    assert c.get(region_url("451423100")).status_code == 404  # its own township
    assert c.get(region_url("451122")).status_code == 404
    assert c.get(region_url("nope")).status_code == 404
    r = c.get(region_url("451423100201"))
    crumbs = r.context["breadcrumb"]
    # ancestors are named but not linked for a user who cannot open them
    assert [x["name"] for x in crumbs[1:]] == [
        "广西壮族自治区",
        "崇左市",
        "龙州县",
        "下冻镇",
        "新联村",
    ]
    assert all(x["url"] is None for x in crumbs[1:])
    crumbs = login(users["county"]).get(region_url("451423100201")).context["breadcrumb"]
    assert crumbs[3]["url"] == region_url("451423") and crumbs[2]["url"] is None


@pytest.mark.django_db
def test_counts_only_from_the_users_scope(users, regions, login):
    testing.make_household("451122100201")
    r = login(users["admin"]).get(region_url("45"))
    rows = {row["region"].code: row["total"] for row in r.context["table"].data}
    assert rows == {"4514": 0, "4511": 1}
