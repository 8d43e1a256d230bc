"""Assistance pages: lists, details, adding through the services, validation shown, refusals."""

import datetime

import pytest

from bangfu.assistance import testing
from bangfu.assistance.models import Assignment, Cadre, Pairing, Posting, Unit
from bangfu.core.models import AuditEntry

D = datetime.date


def test_lists_show_records_in_scope(world, users, household, login):
    testing.make_posting(world.secretary, testing.XINLIAN)
    testing.make_pairing(world.officer, household)
    c = login(users["county"])
    for url, text in [
        ("/assistance/", "广西壮族自治区公安厅"),
        ("/assistance/assignments/", "新联村"),
        ("/assistance/cadres/", "黄书记"),
        ("/assistance/postings/", "第一书记"),
        ("/assistance/pairings/", household.household_no),
    ]:
        html = c.get(url).content.decode()
        assert text in html, url
    assert "钟山县委组织部" not in c.get("/assistance/").content.decode()


def test_nav_item_only_with_permission(users, login, regions):
    c = login(users["county"])
    assert 'href="/assistance/"' in c.get("/").content.decode()


def test_unit_page_counts(world, users, household, login):
    testing.make_posting(world.secretary, testing.XINLIAN)
    testing.make_pairing(world.officer, household)
    c = login(users["county"])
    html = c.get(f"/assistance/units/{world.hall.pk}/").content.decode()
    assert "崇左市公安局" in html  # backing unit
    assert f'href="/assistance/pairings/?unit={world.hall.pk}" data-figure="结对帮扶">1</a>' in html
    assert (
        f'href="/assistance/postings/?unit={world.hall.pk}&amp;role=first_secretary" '
        'data-figure="第一书记">1</a>'
    ) in html
    assert (
        f'href="/assistance/assignments/?unit={world.hall.pk}" data-figure="帮扶村">2</a>' in html
    )


def test_add_unit_through_the_form(users, login, regions):
    c = login(users["county"])
    r = c.post("/assistance/units/add/", {"name": "龙州县委组织部", "kind": "government"})
    unit = Unit.objects.get(name="龙州县委组织部")
    assert r.status_code == 302 and r["Location"] == f"/assistance/units/{unit.pk}/"
    assert AuditEntry.objects.filter(object_type="assistance.unit", object_id=str(unit.pk)).exists()


def test_add_pairing_and_end_it(world, users, household, login):
    c = login(users["county"])
    r = c.post(
        "/assistance/pairings/add/",
        {"cadre": world.officer.pk, "household": household.pk, "start_date": "2016-01-01"},
    )
    assert r.status_code == 302, r.content.decode()
    pairing = Pairing.objects.get(household=household)
    r = c.post(f"/assistance/pairings/{pairing.pk}/end/", {"end_date": "2017-06-30"})
    assert r.status_code == 302
    pairing.refresh_from_db()
    assert pairing.end_date == D(2017, 6, 30)


def test_repairing_from_the_page_keeps_history(world, users, household, login):
    first = testing.make_pairing(world.officer, household, D(2016, 1, 1))
    c = login(users["county"])
    r = c.post(
        "/assistance/pairings/add/",
        {"cadre": world.secretary.pk, "household": household.pk, "start_date": "2018-01-01"},
    )
    assert r.status_code == 302, r.content.decode()
    first.refresh_from_db()
    assert first.end_date == D(2017, 12, 31)
    assert Pairing.objects.filter(household=household).count() == 2


def test_end_before_start_is_shown_and_nothing_written(world, users, household, login):
    c = login(users["county"])
    r = c.post(
        "/assistance/postings/add/",
        {
            "cadre": world.secretary.pk,
            "village": testing.XINLIAN,
            "role": "first_secretary",
            "full_time": "on",
            "start_date": "2016-01-02",
            "end_date": "2016-01-01",
        },
    )
    assert r.status_code == 200
    assert "结束日期不能早于开始日期" in r.content.decode()
    assert not Posting.objects.exists()


def test_overlapping_first_secretaries_refused(world, users, login):
    testing.make_posting(world.secretary, testing.XINLIAN, start=D(2016, 1, 1))
    c = login(users["county"])
    r = c.post(
        "/assistance/postings/add/",
        {
            "cadre": world.officer.pk,
            "village": testing.XINLIAN,
            "role": "first_secretary",
            "start_date": "2017-01-01",
        },
    )
    assert r.status_code == 200
    assert Posting.objects.count() == 1
    assert "一个村同时只能有一名第一书记" in r.content.decode()


def test_add_assignment_and_cadre(world, users, login):
    c = login(users["county"])
    r = c.post(
        "/assistance/assignments/add/",
        {"unit": world.hall.pk, "village": testing.XIAGANG, "start_date": "2016-01-01"},
    )
    assert r.status_code == 302, r.content.decode()
    assert Assignment.objects.filter(village_id=testing.XIAGANG).exists()
    r = c.post(
        "/assistance/cadres/add/",
        {"unit": world.county.pk, "name": "赵民警", "active": "on"},
    )
    assert r.status_code == 302, r.content.decode()
    cadre = Cadre.objects.get(name="赵民警")
    r = c.post(f"/assistance/cadres/{cadre.pk}/edit/", {"unit": world.county.pk, "name": "赵警官"})
    assert r.status_code == 302
    cadre.refresh_from_db()
    assert cadre.name == "赵警官" and cadre.active is False


def test_deleting_a_cadre_with_history_is_refused(world, users, household, login):
    testing.make_pairing(world.officer, household)
    c = login(users["county"])
    r = c.post(f"/assistance/cadres/{world.officer.pk}/delete/", follow=True)
    assert "不能删除" in r.content.decode()
    assert Cadre.objects.filter(pk=world.officer.pk).exists()
    r = c.post(f"/assistance/cadres/{world.city_officer.pk}/delete/")
    assert r.status_code == 302
    assert not Cadre.objects.filter(pk=world.city_officer.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/assistance/units/add/",
        "/assistance/assignments/add/",
        "/assistance/cadres/add/",
        "/assistance/postings/add/",
        "/assistance/pairings/add/",
    ],
)
def test_viewer_cannot_add(world, users, login, url):
    c = login(users["viewer"])
    assert c.get(url).status_code == 403
    assert c.post(url, {}).status_code == 403


def test_viewer_cannot_end_or_delete(world, users, household, login):
    pairing = testing.make_pairing(world.officer, household)
    c = login(users["viewer"])
    assert (
        c.post(f"/assistance/pairings/{pairing.pk}/end/", {"end_date": "2020-01-01"}).status_code
        == 403
    )
    assert c.post(f"/assistance/cadres/{world.officer.pk}/delete/").status_code == 403
    pairing.refresh_from_db()
    assert pairing.end_date is None


def test_coverage_page(world, users, household, login):
    from bangfu.core.testing import make_household

    paired = make_household(testing.XINLIAN)
    testing.make_pairing(world.officer, paired)
    c = login(users["county"])
    html = c.get("/assistance/coverage/").content.decode()
    # other apps' checks (e.g. households not visited) list households too: look at this one's
    section = html.split('id="check-households"')[1].split("</section>")[0]
    assert f"/registry/households/{household.pk}/" in section
    assert f"/registry/households/{paired.pk}/" not in section
    # 新联村 and 罗回村 are assigned, with no first secretary
    assert "?village=451423100201" in html and "?village=451423100202" in html
    # the other county's village is not in the county user's scope
    assert "451122100201" not in html


def test_coverage_page_is_scoped_for_the_village_user(world, users, other_household, login):
    c = login(users["village"])
    html = c.get("/assistance/coverage/").content.decode()
    assert "?village=451423100201" in html
    assert "?village=451423100202" not in html
    assert f"/registry/households/{other_household.pk}/" not in html


def test_unit_staff_post_and_pair_in_their_villages_only(world, users, household, login):
    staff = testing.make_unit_user("unitstaff", world.county)
    c = login(staff)
    r = c.post(
        "/assistance/postings/add/",
        {
            "cadre": world.secretary.pk,
            "village": testing.XINLIAN,
            "role": "first_secretary",
            "full_time": "on",
            "start_date": "2016-01-01",
        },
    )
    assert r.status_code == 302, r.content.decode()
    r = c.post(
        "/assistance/pairings/add/",
        {"cadre": world.officer.pk, "household": household.pk, "start_date": "2016-01-01"},
    )
    assert r.status_code == 302, r.content.decode()
    # 罗回村 is backed by 崇左市公安局, not by 龙州县公安局: not offered to this unit's staff
    r = c.post(
        "/assistance/postings/add/",
        {
            "cadre": world.officer.pk,
            "village": testing.LUOHUI,
            "role": "team_member",
            "start_date": "2016-01-01",
        },
    )
    assert r.status_code == 200
    assert Posting.objects.count() == 1
    # a cadre of another unit is not theirs to pair
    r = c.post(
        "/assistance/pairings/add/",
        {"cadre": world.city_officer.pk, "household": household.pk, "start_date": "2018-01-01"},
    )
    assert r.status_code == 200
    assert Pairing.objects.count() == 1


def test_coverage_export(world, users, household, other_household, login):
    c = login(users["village"])
    r = c.get("/assistance/coverage/?export=households")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    body = r.content.decode("utf-8-sig")
    assert household.household_no in body and other_household.household_no not in body
    body = c.get("/assistance/coverage/?export=villages").content.decode("utf-8-sig")
    assert "451423100201" in body and "451423100202" not in body
    assert c.get("/assistance/coverage/?export=cadres").status_code == 200
    assert c.get("/assistance/coverage/?export=nothing").status_code == 404


def test_coverage_load_limit_from_the_page(world, users, login):
    """The household load is set on the page (?limit=) and the export follows it."""
    from bangfu.core.testing import make_household

    for _ in range(3):
        testing.make_pairing(world.officer, make_household(testing.XINLIAN))
    c = login(users["county"])

    def section(query):
        html = c.get("/assistance/coverage/" + query).content.decode()
        return html.split('id="check-cadres"')[1].split("</section>")[0]

    assert world.officer.name not in section("")  # 3 households, default limit 5
    assert world.officer.name in section("?limit=2")
    assert "上限 2 户" in section("?limit=2")
    assert world.officer.name not in section("?limit=abc")  # bad input: the default
    export = c.get("/assistance/coverage/?export=cadres&limit=2").content.decode("utf-8-sig")
    assert world.officer.name in export
