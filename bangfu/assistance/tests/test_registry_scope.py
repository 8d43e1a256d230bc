"""Registry scope of unit and cadre users (issue 3, item 11), through the one mechanism
`Model.objects.for_user()`: a unit user sees the villages assigned today to their unit subtree
(as unit or responsible backing unit); a cadre user the households paired with them today.
Pages and API give 404 for anything else; masking applies; region users are untouched."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bangfu.accounts.choices import Role
from bangfu.assistance import testing
from bangfu.assistance.services import pairings, units
from bangfu.core.privacy import mask_id_number
from bangfu.core.testing import make_household, make_user
from bangfu.regions.models import Region
from bangfu.registry.models import Household, Member, MemberSurvey, StatusChange, Survey

REGISTRY_MODELS = (Household, Member, Survey, MemberSurvey, StatusChange)


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def household_ids(user) -> set[int]:
    return set(Household.objects.for_user(user).values_list("pk", flat=True))


def assert_registry_is(user, households) -> None:
    """Every registry model shows exactly the rows of `households` to `user`."""
    pks = {h.pk for h in households}
    assert household_ids(user) == pks
    assert set(Member.objects.for_user(user).values_list("household", flat=True)) == pks
    assert set(Survey.objects.for_user(user).values_list("household", flat=True)) == pks
    assert (
        set(MemberSurvey.objects.for_user(user).values_list("survey__household", flat=True)) == pks
    )
    assert set(StatusChange.objects.for_user(user).values_list("household", flat=True)) == pks
    assert Member.objects.for_user(user).count() == Member.objects.filter(household__in=pks).count()


@pytest.fixture
def everyone(world, household, other_household, far_household):
    return {"xinlian": household, "luohui": other_household, "daqiao": far_household}


@pytest.fixture
def cadre_user(world):
    user = make_user("officer", Role.CADRE, None)
    world.officer.user = user
    world.officer.save()
    return user


# ---- unit staff --------------------------------------------------------------------------------


def test_unit_users_see_the_households_of_their_assigned_villages(world, everyone):
    hall = testing.make_unit_user("hall", world.hall)
    other = testing.make_unit_user("other", world.other)
    assert_registry_is(hall, [everyone["xinlian"], everyone["luohui"]])
    assert_registry_is(other, [everyone["daqiao"]])
    assert set(Region.objects.for_user(hall).values_list("pk", flat=True)) == {
        testing.XINLIAN,
        testing.LUOHUI,
    }


def test_backing_units_see_the_villages_they_are_responsible_for(world, everyone):
    # county backs 新联村 only; city backs 罗回村 and, through its backing unit county, 新联村
    county = testing.make_unit_user("countyunit", world.county)
    city = testing.make_unit_user("city", world.city)
    assert_registry_is(county, [everyone["xinlian"]])
    assert_registry_is(city, [everyone["xinlian"], everyone["luohui"]])
    assert set(Region.objects.for_user(county).values_list("pk", flat=True)) == {testing.XINLIAN}


def test_an_ended_or_future_assignment_gives_nothing(world, everyone):
    hall = testing.make_unit_user("hall", world.hall)
    units.end_assignment(world.assignments[testing.LUOHUI], yesterday())
    assert_registry_is(hall, [everyone["xinlian"]])
    city = testing.make_unit_user("city", world.city)
    assert_registry_is(city, [everyone["xinlian"]])  # its backing of 罗回村 ended with it
    # a new assignment starting tomorrow does not open 峡岗村 today
    xiagang = make_household(testing.XIAGANG)
    testing.make_assignment(
        world.hall, testing.XIAGANG, start=timezone.localdate() + datetime.timedelta(days=1)
    )
    assert xiagang.pk not in household_ids(hall)
    # ... and one running today does
    testing.make_assignment(world.other, testing.XIAGANG, start=timezone.localdate())
    other = testing.make_unit_user("other", world.other)
    assert household_ids(other) == {everyone["daqiao"].pk, xiagang.pk}


def test_a_unit_user_without_unit_sees_nothing(world, everyone):
    nobody = make_user("nobody", Role.UNIT, None)
    for model in (*REGISTRY_MODELS, Region):
        assert model.objects.for_user(nobody).count() == 0, model


# ---- cadres ------------------------------------------------------------------------------------


def test_a_cadre_sees_exactly_their_paired_households(world, everyone, cadre_user):
    second = make_household(testing.XINLIAN)
    first = testing.make_pairing(world.officer, everyone["xinlian"])
    testing.make_pairing(world.secretary, make_household(testing.XINLIAN))  # someone else's
    testing.make_pairing(world.officer, second)
    assert_registry_is(cadre_user, [everyone["xinlian"], second])
    assert set(Region.objects.for_user(cadre_user).values_list("pk", flat=True)) == {
        testing.XINLIAN
    }
    pairings.end_pairing(first, yesterday())
    assert_registry_is(cadre_user, [second])


def test_a_cadre_sees_nothing_without_a_running_pairing(world, everyone, cadre_user):
    assert_registry_is(cadre_user, [])
    assert Region.objects.for_user(cadre_user).count() == 0
    unlinked = make_user("unlinked", Role.CADRE, None)
    testing.make_pairing(world.officer, everyone["xinlian"])
    assert_registry_is(unlinked, [])


# ---- pages and API -----------------------------------------------------------------------------


def check_pages_and_api(client, user, inside, outside):
    for h in inside:
        page = client.get(f"/registry/households/{h.pk}/")
        assert page.status_code == 200
        assert client.get(f"/api/households/{h.pk}/").status_code == 200
        html = page.content.decode()
        for m in h.members.all():
            assert m.id_number not in html  # masked for these roles
            assert mask_id_number(m.id_number) in html
    for h in outside:
        assert client.get(f"/registry/households/{h.pk}/").status_code == 404
        assert client.get(f"/api/households/{h.pk}/").status_code == 404
    body = client.get("/api/households/").json()
    assert body["count"] == len(inside) == Household.objects.for_user(user).count()
    assert {row["id"] for row in body["results"]} == {h.pk for h in inside}
    assert client.get("/api/members/").json()["count"] == Member.objects.for_user(user).count()
    assert client.get("/registry/households/").status_code == 200


def test_unit_user_pages_and_api(world, everyone, login):
    user = testing.make_unit_user("countyunit", world.county)
    check_pages_and_api(
        login(user), user, [everyone["xinlian"]], [everyone["luohui"], everyone["daqiao"]]
    )


def test_cadre_user_pages_and_api(world, everyone, cadre_user, login):
    testing.make_pairing(world.officer, everyone["xinlian"])
    check_pages_and_api(
        login(cadre_user),
        cadre_user,
        [everyone["xinlian"]],
        [everyone["luohui"], everyone["daqiao"]],
    )


def test_unit_and_cadre_users_cannot_edit_the_registry(world, everyone, cadre_user, login):
    testing.make_pairing(world.officer, everyone["xinlian"])
    for user in (testing.make_unit_user("hall", world.hall), cadre_user):
        client = login(user)
        assert client.get(f"/registry/households/{everyone['xinlian'].pk}/edit/").status_code == 403
        response = client.patch(
            f"/api/households/{everyone['xinlian'].pk}/",
            {"phone": "13800000000"},
            content_type="application/json",
        )
        assert response.status_code == 403


# ---- one query, region users untouched ---------------------------------------------------------


def test_scope_is_one_query_with_subqueries(world, everyone, cadre_user):
    testing.make_pairing(world.officer, everyone["xinlian"])
    hall = testing.make_unit_user("hall", world.hall)
    for user in (hall, cadre_user):
        user = type(user).objects.select_related("unit").get(pk=user.pk)
        for model in (*REGISTRY_MODELS, Region):
            with CaptureQueriesContext(connection) as ctx:
                list(model.objects.for_user(user))
            assert len(ctx.captured_queries) == 1, (model, ctx.captured_queries)


def test_region_users_do_not_touch_assistance_tables(world, users, everyone):
    for role in ("village", "county", "admin"):
        for model in (*REGISTRY_MODELS, Region):
            sql = str(model.objects.for_user(users[role]).query)
            assert "assistance_" not in sql, (role, model, sql)
    assert household_ids(users["village"]) == {everyone["xinlian"].pk}
