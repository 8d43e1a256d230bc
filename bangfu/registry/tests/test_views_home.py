"""The home page: counts in the user's area and the chart data by survey year."""

import datetime

import pytest

from bangfu.core import testing
from bangfu.core.views import status_by_survey_year
from bangfu.registry.models import StatusChange


@pytest.mark.django_db
def test_home_counts_in_scope(
    users, household, other_household, far_household, login, django_assert_max_num_queries
):
    c = login(users["village"])
    with django_assert_max_num_queries(10):
        r = c.get("/")
    assert r.context["household_total"] == 1
    assert r.context["member_total"] == 3
    assert r.context["village_total"] == 1
    html = r.content.decode()
    assert "vendor/echarts.min.js" in html and 'id="status-chart-data"' in html
    r = login(users["county"]).get("/")
    assert r.context["household_total"] == 2 and r.context["village_total"] == 3


@pytest.mark.django_db
def test_echarts_only_on_home(users, household, login):
    html = login(users["county"]).get("/registry/households/").content.decode()
    assert "echarts" not in html


@pytest.mark.django_db
def test_chart_counts_status_at_the_end_of_each_year(users, regions):
    h = testing.make_household("451423100201", year=2019)
    testing.make_survey(h, 2020, farmland_mu=1, wage_income=30000, household_size=3)
    StatusChange.objects.create(
        household=h, date=datetime.date(2020, 12, 1), status="exited", previous_status="not_exited"
    )
    h.status, h.exit_year = "exited", 2020
    h.save()
    testing.make_household("451122100201", year=2019)  # out of scope
    chart = status_by_survey_year(users["county"])
    assert chart["years"] == [2019, 2020]
    series = {s["code"]: s["data"] for s in chart["series"]}
    assert series == {"not_exited": [1, 0], "exited": [0, 1]}
