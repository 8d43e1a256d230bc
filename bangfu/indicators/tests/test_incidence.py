"""Poverty incidence: numerator from the dated status history, denominator from village facts
(or the registry), sums upwards, villages without facts, page, chart data and API."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from bangfu.core import testing
from bangfu.indicators.services.incidence import (
    REGISTRY_POPULATION,
    Incidence,
    incidence_by_prefix,
    village_figures,
)
from bangfu.regions.testing import make_village_year
from bangfu.registry.models import StatusChange

XINLIAN, LUOHUI, XIAGANG = "451423100201", "451423100202", "451423101201"


def exit_on(household, day: datetime.date):
    StatusChange.objects.create(
        household=household, date=day, status="exited", previous_status="not_exited"
    )


@pytest.mark.django_db
def test_numerator_is_status_at_end_of_year(regions):
    make_village_year(XINLIAN, 2019, rural_population=200)
    make_village_year(XINLIAN, 2020, rural_population=200)
    a = testing.make_household(XINLIAN, members=3)  # poor throughout
    b = testing.make_household(XINLIAN, members=2, status="exited")
    exit_on(b, datetime.date(2020, 12, 31))  # exits on the last day of 2020
    c = testing.make_household(XINLIAN, members=4, status="exited")
    exit_on(c, datetime.date(2019, 6, 1))
    assert a and c
    y2019 = village_figures(2019)[XINLIAN]
    assert (y2019.poor, y2019.exited, y2019.population) == (5, 4, 200)
    assert y2019.rate == Decimal("2.50")
    y2020 = village_figures(2020)[XINLIAN]
    assert (y2020.poor, y2020.exited) == (3, 2)
    assert y2020.rate == Decimal("1.50")


@pytest.mark.django_db
def test_household_without_history_counts_with_its_status_once_registered(regions):
    make_village_year(XINLIAN, 2014, rural_population=100)
    make_village_year(XINLIAN, 2020, rural_population=100)
    h = testing.make_household(XINLIAN, members=2)
    h.status_changes.all().delete()  # registered 2015, no history
    assert village_figures(2014)[XINLIAN].poor == 0
    assert village_figures(2020)[XINLIAN].poor == 2


@pytest.mark.django_db
def test_missing_facts_shown_and_left_out_of_sums_never_divided_by_zero(regions):
    make_village_year(XINLIAN, rural_population=1000)
    make_village_year(XIAGANG, rural_population=0)
    testing.make_household(XINLIAN, members=10)
    testing.make_household(LUOHUI, members=7)  # 罗回村 has no facts
    total, children = incidence_by_prefix(2020, "451423", 9)
    assert total.poor == 10 and total.population == 1000 and total.rate == Decimal("1.00")
    assert total.villages_without_facts == [LUOHUI] and total.poor_without_facts == 7
    assert children["451423100"].rate == Decimal("1.00")
    assert children["451423101"].rate is None  # population 0: no rate, no error
    village_total, _ = incidence_by_prefix(2020, LUOHUI, None)
    assert village_total.population is None and village_total.rate is None


@pytest.mark.django_db
def test_registry_population_as_denominator(regions):
    testing.make_household(XINLIAN, members=3)
    exited = testing.make_household(XINLIAN, members=5, status="exited")
    exit_on(exited, datetime.date(2018, 1, 1))
    item = village_figures(2020, denominator=REGISTRY_POPULATION)[XINLIAN]
    assert (item.poor, item.population, item.rate) == (3, 8, Decimal("37.50"))


@pytest.mark.django_db
def test_one_query_for_all_villages_of_a_county(regions, django_assert_num_queries):
    for code in (XINLIAN, LUOHUI, XIAGANG):
        make_village_year(code)
        testing.make_household(code, members=2)
    with django_assert_num_queries(2):  # the registry GROUP BY and the village facts
        figures = village_figures(2020, "451423")
    assert set(figures) == {XINLIAN, LUOHUI, XIAGANG}


@given(
    poor=st.lists(st.integers(0, 500), min_size=1, max_size=6),
    population=st.lists(st.integers(1, 10000), min_size=6, max_size=6),
)
@settings(max_examples=50, deadline=None)
def test_sum_upwards_is_the_ratio_of_sums(poor, population):
    total = Incidence("45")
    for i, n in enumerate(poor):
        total.add(Incidence(f"4514231002{i:02d}", poor=n, population=population[i], villages=1))
    assert total.poor == sum(poor) and total.population == sum(population[: len(poor)])
    assert total.exact_rate == Decimal(sum(poor)) * 100 / sum(population[: len(poor)])


@pytest.mark.django_db
def test_page_table_links_and_chart(users, login):
    make_village_year(XINLIAN, rural_population=400)
    testing.make_household(XINLIAN, members=2)
    testing.make_household(LUOHUI, members=1)
    r = login(users["county"]).get(reverse("indicators:incidence") + "?region=451423100&year=2020")
    assert r.status_code == 200
    rows = {row["code"]: row for row in r.context["rows"]}
    assert rows[XINLIAN]["item"].rate == Decimal("0.50")
    assert rows[LUOHUI]["item"].rate is None
    html = r.content.decode()
    assert "0.50%" in html and "无村情数据" in html
    assert f"/indicators/incidence/households/?region={XINLIAN}&amp;year=2020&amp;kind=poor" in html
    assert r.context["chart"] == {"names": ["新联村"], "rates": [0.5]}
    assert "vendor/echarts.min.js" in html


@pytest.mark.django_db
def test_page_scope(users, login):
    c = login(users["village"])
    assert c.get(reverse("indicators:incidence") + "?region=451423").status_code == 404
    r = c.get(reverse("indicators:incidence"))
    assert r.status_code == 200 and r.context["region"].code == XINLIAN


@pytest.mark.django_db
def test_api(users, client):
    make_village_year(XINLIAN, rural_population=400)
    testing.make_household(XINLIAN, members=2)
    client.force_login(users["county"])
    body = client.get("/api/indicators/incidence/?region=451423&year=2020").json()
    assert body["indicator"] == "poverty_incidence"
    assert body["total"]["incidence"] == "0.50" and body["total"]["poor"] == 2
    assert body["children"][0]["code"] == "451423100"
    body = client.get(
        "/api/indicators/incidence/?region=451423&year=2020&denominator=registry_population"
    ).json()
    assert body["total"]["population"] == 2 and body["total"]["incidence"] == "100.00"
    client.force_login(users["other_county"])
    assert client.get("/api/indicators/incidence/?region=451423").status_code == 404


@pytest.mark.django_db
def test_unit_user_sees_only_the_villages_of_their_unit(regions, client):
    """A unit user is bound to no region: the page starts from everything, but households and
    village facts come only from the villages assigned to the unit."""
    from bangfu.assistance import testing as assistance_testing

    unit = assistance_testing.make_unit("新联村帮扶单位")
    assistance_testing.make_assignment(unit, XINLIAN)
    user = assistance_testing.make_unit_user("unit_user", unit)
    make_village_year(XINLIAN, rural_population=500)
    make_village_year(LUOHUI, rural_population=700)
    testing.make_household(XINLIAN, members=2)
    testing.make_household(LUOHUI, members=3)
    client.force_login(user)
    body = client.get("/api/indicators/incidence/?year=2020").json()
    assert body["total"]["population"] == 500 and body["total"]["poor"] == 2


@pytest.mark.django_db
def test_households_behind_the_figures(users, login):
    poor = testing.make_household(XINLIAN, members=2)
    late = testing.make_household(XINLIAN, members=1, status="exited")
    exit_on(late, datetime.date(2021, 2, 1))  # still poor at the end of 2020
    early = testing.make_household(XINLIAN, members=3, status="exited")
    exit_on(early, datetime.date(2020, 5, 1))
    testing.make_household(LUOHUI, members=4)  # out of the village user's scope
    c = login(users["village"])
    url = reverse("indicators:incidence_households")
    r = c.get(url + "?year=2020&kind=poor")
    assert {h.pk for h in r.context["households"]} == {poor.pk, late.pk}
    assert sum(h.n_members for h in r.context["households"]) == 3  # the page's numerator
    r = c.get(url + "?year=2020&kind=exited")
    assert [h.pk for h in r.context["households"]] == [early.pk]
    assert c.get(url + "?region=451423100202&year=2020").status_code == 404
