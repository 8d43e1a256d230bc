"""Who sees which plans and measures: region users their subtree, unit staff their unit's,
cadres their paired households' and their own; everyone else gets a 404 for the page."""

import datetime

from bangfu.assistance import testing as at
from bangfu.plans import testing
from bangfu.plans.models import Measure, Plan

D = datetime.date


def _plans(user):
    return set(Plan.objects.for_user(user))


def test_region_users_see_their_subtree(users, household, other_household, far_household):
    mine = testing.make_plan(household)
    other = testing.make_plan(other_household)
    far = testing.make_plan(far_household)
    village = testing.make_plan(village="451423100201")
    assert _plans(users["village"]) == {mine, village}
    assert _plans(users["township"]) == {mine, other, village}
    assert _plans(users["other_county"]) == {far}
    testing.make_measure(other)
    assert not Measure.objects.for_user(users["village"]).exists()


def test_unit_user_sees_plans_of_unit_subtree_and_its_cadres(
    world, household, other_household, far_household
):
    by_unit = testing.make_plan(household, unit=world.city)
    by_cadre = testing.make_plan(other_household, author=world.secretary)
    elsewhere = testing.make_plan(far_household, unit=world.other)
    owned = testing.make_measure(elsewhere, owner=world.officer)
    testing.make_measure(elsewhere)
    hall_user = at.make_unit_user("hall", world.hall)
    city_user = at.make_unit_user("city", world.city)
    other_user = at.make_unit_user("other", world.other)
    assert _plans(hall_user) == {by_unit, by_cadre}  # secretary is in the county backing unit
    assert _plans(city_user) == {by_unit, by_cadre}
    assert _plans(other_user) == {elsewhere}
    assert set(Measure.objects.for_user(city_user)) == {owned}


def test_cadre_user_sees_paired_households_plans_and_own_measures(
    world, users, household, other_household, far_household
):
    from bangfu.accounts.choices import Role

    cadre_user = at.make_unit_user("officer", world.officer.unit, role=Role.CADRE)
    world.officer.user = cadre_user
    world.officer.save()
    at.make_pairing(world.officer, household, D(2016, 1, 1))
    paired = testing.make_plan(household)
    ended = testing.make_plan(other_household)
    at.make_pairing(world.officer, other_household, D(2016, 1, 1), end_date=D(2017, 1, 1))
    written = testing.make_plan(far_household, author=world.officer)
    stranger = testing.make_plan(village="451423100202")
    owned = testing.make_measure(stranger, owner=world.officer)
    testing.make_measure(stranger)
    assert _plans(cadre_user) == {paired, written}
    assert ended not in _plans(cadre_user)
    assert set(Measure.objects.for_user(cadre_user)) == {owned}
    # the count is one query with subqueries, not a list of ids
    assert "IN (SELECT" in str(Plan.objects.for_user(cadre_user).query).upper()


def test_pages_404_outside_scope(users, household, other_household, login):
    inside = testing.make_plan(household)
    outside = testing.make_plan(other_household)
    m = testing.make_measure(outside)
    c = login(users["village"])
    assert c.get(f"/plans/{inside.pk}/").status_code == 200
    assert c.get(f"/plans/{outside.pk}/").status_code == 404
    assert c.get(f"/plans/measures/{m.pk}/").status_code == 404
    assert c.get(f"/plans/measures/{m.pk}/complete/").status_code == 404
    assert c.get(f"/api/plans/plans/{outside.pk}/").status_code == 404


def test_viewer_reads_but_cannot_write(users, household, login):
    plan = testing.make_plan(household)
    c = login(users["viewer"])
    assert c.get(f"/plans/{plan.pk}/").status_code == 200
    assert c.get(f"/plans/{plan.pk}/edit/").status_code == 403
    assert c.get(f"/plans/{plan.pk}/measures/add/").status_code == 403
    r = c.post("/api/plans/measures/", {"plan": plan.pk}, content_type="application/json")
    assert r.status_code == 403


def _cadre_login(world, login):
    from bangfu.accounts.choices import Role

    user = at.make_unit_user("officer", world.officer.unit, role=Role.CADRE)
    world.officer.user = user
    world.officer.save()
    return user, login(user)


def test_cadre_reaches_no_other_plan_by_any_path(world, household, other_household, login):
    user, c = _cadre_login(world, login)
    at.make_pairing(world.officer, household, D(2016, 1, 1))
    mine = testing.make_plan(household)
    mine_measure = testing.make_measure(mine, description="我的措施")
    theirs = testing.make_plan(other_household, unit=world.county)
    theirs_measure = testing.make_measure(theirs, owner=world.secretary, description="别人的措施")
    assert c.get(f"/plans/{mine.pk}/").status_code == 200
    assert c.get(f"/plans/measures/{mine_measure.pk}/").status_code == 200
    for path in (
        f"/plans/{theirs.pk}/",
        f"/plans/{theirs.pk}/edit/",
        f"/plans/{theirs.pk}/measures/add/",
        f"/plans/measures/{theirs_measure.pk}/",
        f"/plans/measures/{theirs_measure.pk}/edit/",
        f"/plans/measures/{theirs_measure.pk}/complete/",
        f"/api/plans/plans/{theirs.pk}/",
        f"/api/plans/measures/{theirs_measure.pk}/",
    ):
        assert c.get(path).status_code == 404, path
    assert c.get("/api/plans/plans/").json()["count"] == 1
    assert c.get("/api/plans/measures/").json()["count"] == 1
    html = c.get("/plans/measures/?overdue=1").content.decode()
    assert "我的措施" in html and "别人的措施" not in html
    # writing a plan for a household not paired with them: refused by field, nothing written
    r = c.post(
        "/api/plans/plans/",
        {
            "title": "x",
            "household": other_household.pk,
            "start_date": "2019-01-01",
            "end_date": "2020-01-01",
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "household" in r.json()
    assert Plan.objects.count() == 2


def test_unit_user_reaches_no_other_units_plans(world, household, far_household, login):
    ours = testing.make_plan(household, unit=world.city)
    theirs = testing.make_plan(far_household, unit=world.other)
    m = testing.make_measure(theirs)
    c = login(at.make_unit_user("hall", world.hall))
    assert c.get(f"/plans/{ours.pk}/").status_code == 200
    for path in (
        f"/plans/{theirs.pk}/",
        f"/plans/measures/{m.pk}/",
        f"/api/plans/plans/{theirs.pk}/",
    ):
        assert c.get(path).status_code == 404, path
    assert [p["id"] for p in c.get("/api/plans/plans/").json()["results"]] == [ours.pk]
