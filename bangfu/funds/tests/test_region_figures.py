"""Figures from records on region pages (village, county) and the project page: every
registered app's section for the subject and the period, each figure equal to the records
behind it and linking to a list that shows exactly those records; bounded queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bangfu.assistance import testing as assistance_testing
from bangfu.commitments import testing as commitment_testing
from bangfu.commitments.services import commitments as commitment_services
from bangfu.consumption import testing as consumption_testing
from bangfu.cooperatives import testing as coop_testing
from bangfu.cooperatives.services import cooperatives
from bangfu.core.figures import Period, project_figures, region_figures
from bangfu.credit import testing as credit_testing
from bangfu.employment import testing as job_testing
from bangfu.employment.choices import JobKind
from bangfu.funds import testing
from bangfu.funds.choices import AllocationKind, ProjectKind, ProjectStatus
from bangfu.funds.services import allocations, projects

pytestmark = pytest.mark.django_db
D = datetime.date
XINLIAN, LUOHUI, COUNTY = testing.XINLIAN, testing.LUOHUI, "451423"


def labels(sections) -> dict:
    return {(s.key, f.label): f for s in sections for f in s.figures}


@pytest.fixture
def records(household, other_household):
    """Money and what it built in 新联村 (household) and 罗回村 (other_household)."""
    hall = assistance_testing.make_unit("自治区公安厅")
    source = testing.make_source("100000.00", unit=hall)
    testing.make_source("40000.00", region=LUOHUI)
    testing.make_donation("3000.00")
    road = testing.make_project(
        status=ProjectStatus.UNDERWAY, start_date=D(2020, 4, 1), kind=ProjectKind.INFRASTRUCTURE
    )
    projects.add_output(road, "硬化道路", Decimal("2.5"), "公里")
    projects.add_output(road, "路灯", Decimal("40"), "盏")
    far_road = testing.make_project(village=LUOHUI, start_date=D(2020, 5, 1))
    projects.add_output(far_road, "硬化道路", Decimal("1"), "公里")
    allocations.allocate(
        amount=Decimal("20000"), date=D(2020, 4, 2), purpose="修路", source=source, project=road
    )
    allocations.allocate(
        amount=Decimal("1200"),
        date=D(2020, 6, 1),
        purpose="产业奖补",
        source=source,
        household=household,
        kind=AllocationKind.AWARD,
    )
    coop = coop_testing.make_cooperative()
    member = coop_testing.make_member(coop, household)
    coop_testing.make_member(coop, None, name="韦大山")
    cooperatives.pay_dividend(coop, 2020, Decimal("500"), membership=member)
    coop_testing.make_cooperative(village=LUOHUI)
    product = credit_testing.make_product()
    credit_testing.make_loan(household, product, date=D(2020, 3, 1))
    credit_testing.make_loan(other_household, product, date=D(2020, 3, 1))
    person = household.members.order_by("pk").first()
    job_testing.make_job(person, kind=JobKind.PUBLIC_WELFARE, employer="村委", year=2020)
    job_testing.make_job(
        other_household.members.order_by("pk").first(), kind=JobKind.NEARBY, year=2020
    )
    consumption_testing.make_purchase(hall, amount=Decimal("8000"), date=D(2020, 10, 1))
    promise = commitment_testing.make_commitment(household, start=D(2020, 1, 5))
    commitment_services.record_payment(promise, D(2020, 1, 5), Decimal("1000"))
    commitment_services.record_payment(promise, D(2020, 2, 5), Decimal("1000"))
    return {"road": road, "hall": hall}


def test_village_figures_count_the_village_records_only(records, users, login):
    figures = labels(region_figures(XINLIAN, users["county"], Period()))
    assert figures[("funds", "财政专项资金")].value == Decimal("100000.00")
    assert figures[("funds", "社会捐赠金额")].value == Decimal("3000.00")
    assert figures[("funds", "拨付合计")].value == Decimal("21200.00")
    assert figures[("funds", "拨付 · 奖补")].value == Decimal("1200.00")
    assert figures[("funds", "基础设施 · 在建")].value == 1
    assert figures[("funds", "产出 · 公里")].value == Decimal("2.50")
    assert figures[("cooperatives", "建档立卡户社员")].value == 1
    assert figures[("cooperatives", "其他社员")].value == 1
    assert figures[("cooperatives", "2020年分红")].value == Decimal("500.00")
    assert figures[("credit", "贷款笔数")].value == 1
    assert figures[("employment", "公益性岗位")].value == 1
    assert ("employment", "就近务工") not in figures  # 罗回村's job
    assert figures[("consumption", "采购金额")].value == Decimal("8000.00")
    assert figures[("commitments", "承诺")].value == 1
    # each link lists exactly the records counted
    client = login(users["county"])
    for key, count in [
        (("funds", "财政专项资金"), 1),
        (("funds", "拨付 · 奖补"), 1),
        (("funds", "基础设施 · 在建"), 1),
        (("funds", "产出 · 公里"), 1),
        (("credit", "贷款笔数"), 1),
        (("employment", "公益性岗位"), 1),
        (("cooperatives", "合作社"), 1),
    ]:
        response = client.get(figures[key].url)
        assert response.status_code == 200, key
        assert response.context["paginator"].count == count, key


def _listed(client, url):
    """The records of the list page a figure links to: (count, sum of their amounts)."""
    response = client.get(url)
    assert response.status_code == 200, url
    rows = response.context["paginator"].object_list
    total = sum((getattr(row, "amount", 0) for row in rows), Decimal(0))
    return response.context["paginator"].count, total


@pytest.mark.parametrize("code", [XINLIAN, COUNTY])
@pytest.mark.parametrize("period", [Period(), Period(D(2020, 2, 1), D(2020, 12, 31))])
def test_member_dividend_and_payment_figures_equal_their_lists(
    records, users, login, household, code, period
):
    """建档立卡户社员 / 其他社员 link to the members, N年分红 to the year's dividends, 期内已发放
    to the period's payments — each list holds exactly what its figure counts."""
    coop = coop_testing.make_cooperative(village=LUOHUI, name="罗回村合作社")
    coop_testing.make_member(coop, None, name="黄二妹")
    figures = labels(region_figures(code, users["county"], period))
    client = login(users["county"])
    poor = figures[("cooperatives", "建档立卡户社员")]
    other = figures[("cooperatives", "其他社员")]
    assert _listed(client, poor.url)[0] == poor.value == 1
    assert _listed(client, other.url)[0] == other.value == (1 if code == XINLIAN else 2)
    dividend = figures[("cooperatives", "2020年分红")]
    assert _listed(client, dividend.url) == (1, dividend.value) == (1, Decimal("500.00"))
    paid = figures[("commitments", "期内已发放")]
    n = 2 if period.start is None else 1  # the January payment is before the period
    assert _listed(client, paid.url) == (n, paid.value) == (n, Decimal("1000.00") * n)
    # the village user sees 新联村's records only, figures and lists alike
    village = labels(region_figures(COUNTY, users["village"], period))
    village_client = login(users["village"])
    assert _listed(village_client, village[("cooperatives", "其他社员")].url)[0] == 1


def test_county_figures_add_up_the_villages(records, users):
    county = labels(region_figures(COUNTY, users["county"], Period()))
    assert county[("funds", "财政专项资金")].value == Decimal("140000.00")
    assert county[("funds", "产出 · 公里")].value == Decimal("3.50")
    assert county[("credit", "贷款笔数")].value == 2
    assert county[("cooperatives", "合作社")].value == 2
    assert county[("employment", "就近务工")].value == 1
    # the village user sees only their village even when asking for the county
    village = labels(region_figures(COUNTY, users["village"], Period()))
    assert village[("funds", "财政专项资金")].value == Decimal("100000.00")
    assert village[("credit", "贷款笔数")].value == 1


def test_period_narrows_the_figures_and_the_links(records, users, login):
    period = Period(D(2020, 5, 1), D(2020, 12, 31))
    figures = labels(region_figures(XINLIAN, users["county"], period))
    assert figures[("funds", "拨付合计")].value == Decimal("1200.00")  # the road money was April
    assert ("funds", "财政专项资金") not in figures  # the source came in March
    assert ("credit", "贷款笔数") not in figures
    url = figures[("funds", "拨付合计")].url
    assert "start=2020-05-01" in url and "region=451423100201" in url
    assert login(users["county"]).get(url).context["paginator"].count == 1


def test_region_page_loads_the_figures_card(records, users, login, django_assert_max_num_queries):
    client = login(users["county"])
    page = client.get(reverse("regions:region", kwargs={"code": XINLIAN}) + "?start=2020-05-01")
    fragment_url = reverse("funds:region_figures", kwargs={"code": XINLIAN})
    assert fragment_url + "?start=2020-05-01" in page.text
    with django_assert_max_num_queries(30):
        html = client.get(fragment_url, {"start": "2020-05-01"}).text
    assert "拨付合计" in html and "1200.00" in html and "公益性岗位" in html
    assert client.get(reverse("funds:region_figures", kwargs={"code": "451123"})).status_code == 404
    bad = client.get(fragment_url, {"start": "2020-05-01", "end": "2020-01-01"}).text
    assert "截止日期不能早于起始日期" in bad


def test_query_count_does_not_grow_with_the_records(
    records, users, login, django_assert_max_num_queries
):
    client = login(users["admin"])
    url = reverse("funds:region_figures", kwargs={"code": COUNTY})
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for i in range(5):
        p = testing.make_project(village=LUOHUI, kind=ProjectKind.HEALTH, name=f"卫生室{i}")
        projects.add_output(p, "卫生室", Decimal("1"), f"间{i}")
        testing.make_source("10.00", region=LUOHUI)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_project_page_figures(records, users, login, django_assert_max_num_queries):
    road = records["road"]
    figures = labels(project_figures(road, users["county"], Period()))
    assert figures[("funds", "拨付合计")].value == Decimal("20000.00")
    assert figures[("funds", "产出 · 盏")].value == Decimal("40.00")
    assert ("funds", "财政专项资金") not in figures  # money in belongs to regions and units
    assert ("credit", "贷款笔数") not in figures
    client = login(users["county"])
    assert client.get(figures[("funds", "拨付合计")].url).context["paginator"].count == 1
    with django_assert_max_num_queries(30):
        html = client.get(reverse("funds:project", kwargs={"pk": road.pk})).text
    assert 'data-figure="拨付合计"' in html
    late = client.get(reverse("funds:project", kwargs={"pk": road.pk}), {"start": "2021-01-01"})
    assert 'data-figure="拨付合计"' in late.text and ">0.00<" in late.text
