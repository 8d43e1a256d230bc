"""The unit page: period form, the figure sections of every app, their links, bounded queries."""

import datetime

from bangfu.activities import testing as activity_testing
from bangfu.activities.choices import ActivityKind
from bangfu.assistance import testing
from bangfu.assistance.choices import PostingRole
from bangfu.core.testing import make_household

D = datetime.date


def _figures(html: str) -> dict[str, str]:
    import re

    return dict(
        (label, value)
        for value, label in [
            (m.group(2), m.group(1)) for m in re.finditer(r'data-figure="([^"]+)">(\d+)</a>', html)
        ]
    )


def _links(html: str) -> dict[str, str]:
    import re

    return {
        m.group(2): m.group(1).replace("&amp;", "&")
        for m in re.finditer(r'<a href="([^"]+)" data-figure="([^"]+)">', html)
    }


def test_figures_in_a_period_and_their_links(world, users, household, other_household, login):
    testing.make_posting(world.secretary, testing.XINLIAN, start=D(2016, 1, 1))
    testing.make_posting(
        world.officer,
        testing.XINLIAN,
        PostingRole.TEAM_MEMBER,
        start=D(2016, 1, 1),
        end_date=D(2016, 12, 31),
    )
    testing.make_pairing(world.officer, household, start=D(2016, 3, 1))
    testing.make_pairing(world.city_officer, other_household, start=D(2019, 1, 1))
    activity_testing.make_activity(
        world.county, testing.XINLIAN, date=D(2017, 5, 1), participants=40
    )
    c = login(users["county"])
    url = f"/assistance/units/{world.hall.pk}/"
    all_time = _figures(c.get(url).content.decode())
    assert all_time["帮扶村"] == "2"
    assert all_time["帮扶干部"] == "3"
    assert all_time["结对帮扶户"] == "2"
    assert all_time["结对帮扶户人口"] == str(
        household.members.count() + other_household.members.count()
    )
    assert all_time["培训参加人次"] == "40"
    html = c.get(url, {"start": "2017-01-01", "end": "2018-12-31"}).content.decode()
    period = _figures(html)
    assert period["第一书记"] == "1" and period["驻村工作队队员"] == "0"
    assert period["结对帮扶户"] == "1"
    assert period["培训"] == "1"
    links = _links(html)
    for label in ("结对帮扶户", "第一书记", "培训", "帮扶村"):
        listing = c.get(links[label]).content.decode()
        body = listing.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        assert body.count("<tr") == int(period[label]), label


def test_bad_period_says_why_and_shows_all_time(world, users, login):
    c = login(users["county"])
    url = f"/assistance/units/{world.hall.pk}/"
    html = c.get(url, {"start": "2019-13-01"}).content.decode()
    assert "起始日期" in html and "日期有误" in html
    html = c.get(url, {"start": "2019-05-01", "end": "2019-01-01"}).content.decode()
    assert "截止日期不能早于起始日期" in html
    assert _figures(html)["帮扶村"] == "2"


def test_village_user_sees_figures_of_their_village_only(
    world, users, household, other_household, login
):
    testing.make_pairing(world.officer, household)
    testing.make_pairing(world.city_officer, other_household)
    html = login(users["village"]).get(f"/assistance/units/{world.hall.pk}/").content.decode()
    assert _figures(html)["结对帮扶户"] == "1"


def _unit_page_queries(world, users, login, size) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(size):
        unit = testing.make_unit(parent=world.county)
        cadre = testing.make_cadre(unit)
        h = make_household(testing.XINLIAN)
        testing.make_pairing(cadre, h, start=D(2015, 2, 1) + datetime.timedelta(days=i))
        activity_testing.make_activity(
            unit, testing.XINLIAN, kind=list(ActivityKind)[i % 7], date=D(2018, 1, 1)
        )
    c = login(users["county"])
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(f"/assistance/units/{world.hall.pk}/", {"start": "2015-01-01"})
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_unit(world, users, login):
    """Every figure provider (assistance, activities, visits, plans …) answers with aggregate
    queries: six more backing units, cadres, pairings and activities cost no extra query."""
    small = _unit_page_queries(world, users, login, 1)
    large = _unit_page_queries(world, users, login, 6)
    assert large == small
    # object, user, backing units, assignments, then a few aggregates per provider.
    assert small <= 45  # eight figure providers today, a few aggregates each
