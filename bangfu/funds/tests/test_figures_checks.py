"""The funds section of the unit page equals the records behind each figure; the coverage
checks list overspent sources and over-budget projects in the user's scope."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bangfu.assistance import testing as assistance_testing
from bangfu.assistance.models import Unit
from bangfu.core.checks import get_check
from bangfu.core.figures import Period, unit_figures
from bangfu.funds import testing
from bangfu.funds.choices import ProjectStatus, SourceKind
from bangfu.funds.models import FundSource
from bangfu.funds.services import allocations

pytestmark = pytest.mark.django_db


def section(unit, user, period):
    sections = unit_figures(Unit.objects.subtree(unit).values("pk"), user, period)
    return {f.label: f for s in sections if s.key == "funds" for f in s.figures}


def test_figures_equal_the_records(users, login, household):
    hall = assistance_testing.make_unit("自治区公安厅")
    county = assistance_testing.make_unit("龙州县公安局", parent=hall)
    testing.make_source("1000.00", unit=hall)
    testing.make_source("500.00", unit=county)
    testing.make_source("70.00", unit=county, kind=SourceKind.UNIT)
    testing.make_source("9.00", date=datetime.date(2018, 1, 1), unit=hall)  # before the period
    testing.make_donation("300.00", unit=county)
    testing.make_project(
        unit=county, status=ProjectStatus.UNDERWAY, start_date=datetime.date(2020, 4, 1)
    )
    period = Period(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    figures = section(hall, users["county"], period)
    assert figures["财政专项资金"].value == Decimal("1500.00")
    assert figures["帮扶单位自筹"].value == Decimal("70.00")
    assert figures["社会捐赠"].value == Decimal("300.00")
    assert figures["社会捐赠笔数"].value == 1
    assert figures["基础设施 · 在建"].value == 1
    client = login(users["county"])
    assert client.get(figures["财政专项资金"].url).context["paginator"].count == 2
    assert client.get(figures["基础设施 · 在建"].url).context["paginator"].count == 1
    # 罗回村's money counts for the county user, not for the 新联村 village user
    testing.make_source("20000.00", region=testing.LUOHUI, unit=hall)
    assert section(hall, users["county"], Period())["财政专项资金"].value == Decimal("21509.00")
    assert section(hall, users["village"], Period())["财政专项资金"].value == Decimal("1509.00")


def test_checks_list_overspent_and_over_budget(users, login, household, other_household):
    source = testing.make_source("100.00")
    far = testing.make_source("100.00", region=testing.LUOHUI)
    project = testing.make_project(budget="50.00")
    allocations.allocate(
        amount=Decimal("60"), date=testing.DAY, purpose="p", source=source, project=project
    )
    allocations.allocate(
        amount=Decimal("100"),
        date=testing.DAY,
        purpose="p",
        source=far,
        household=other_household,
        kind="aid",
    )
    FundSource.objects.filter(pk__in=[source.pk, far.pk]).update(amount=Decimal("10.00"))
    village = users["village"]
    overspent = get_check("funds_overspent_sources").rows(village, {})
    assert [s.pk for s in overspent] == [source.pk]  # 罗回村's is out of scope
    assert [p.pk for p in get_check("funds_over_budget_projects").rows(village, {})] == [project.pk]
    html = login(users["county"]).get(reverse("assistance:coverage")).text
    assert "拨出超过金额的资金来源" in html and source.name in html and far.name in html
