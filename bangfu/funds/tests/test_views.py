"""Pages and API of funds: where each yuan went, refusals shown next to the field with nothing
written, scope, the household page section, bounded query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from bangfu.funds import testing
from bangfu.funds.choices import AllocationKind
from bangfu.funds.models import Allocation, Donation, FundSource
from bangfu.funds.services import allocations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def imports_at_once(settings):
    """The upload pages import in a background thread; here at once, in the test's
    transaction."""
    settings.BANGFU_IMPORT_SYNC = True


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def flow(household):
    source = testing.make_source("5000.00", name="2020年危房改造专项")
    pool = testing.make_pool(name="危房改造资金池")
    allocations.put_into_pool(pool, source, Decimal("3000.00"), testing.DAY)
    allocation = allocations.allocate(
        amount=Decimal("1200.00"),
        date=testing.DAY,
        purpose="危房改造补助",
        kind=AllocationKind.AID,
        pool=pool,
        household=household,
    )
    return source, pool, allocation


def test_source_page_shows_where_the_money_went(flow, users, login):
    source, pool, allocation = flow
    html = login(users["village"]).get(reverse("funds:source", kwargs={"pk": source.pk})).text
    assert "危房改造资金池" in html and reverse("funds:pool", kwargs={"pk": pool.pk}) in html
    assert "2000.00" in html  # what is left: 5000 − 3000 into the pool
    html = login(users["village"]).get(reverse("funds:pool", kwargs={"pk": pool.pk})).text
    assert "1800.00" in html  # balance
    assert reverse("funds:allocation", kwargs={"pk": allocation.pk}) in html


def test_household_page_lists_what_it_received(flow, users, login, household, other_household):
    client = login(users["village"])
    fragment = reverse("funds:household_funds", kwargs={"pk": household.pk})
    page = client.get(reverse("registry:household", kwargs={"pk": household.pk})).text
    assert "享受的资金" in page and f'hx-get="{fragment}"' in page
    text = client.get(fragment).text
    assert "共 1 笔，1200.00 元" in text and "危房改造补助" in text
    # out of scope: a 404, as everywhere
    assert (
        client.get(reverse("funds:household_funds", kwargs={"pk": other_household.pk})).status_code
        == 404
    )


def test_overspending_from_the_page_is_refused_with_both_amounts(flow, users, login, household):
    _, pool, _ = flow
    response = login(users["village"]).post(
        reverse("funds:allocation_add"),
        {
            "pool": pool.pk,
            "kind": AllocationKind.SUBSIDY,
            "household": household.household_no,
            "amount": "1800.01",
            "date": "2020-04-01",
            "purpose": "产业补贴",
        },
    )
    assert response.status_code == 200
    assert "1,800.00元" in response.text and "1,800.01元" in response.text
    assert Allocation.objects.count() == 1


def test_donation_from_the_page_is_one_source(users, login, regions):
    response = login(users["village"]).post(
        reverse("funds:donation_add"),
        {
            "donor_name": "广西某药业公司",
            "donor_kind": "company",
            "amount": "300000",
            "date": "2020-05-01",
            "purpose": "危房改造",
            "region": testing.XINLIAN,
        },
    )
    donation = Donation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("funds:source", kwargs={"pk": donation.source_id})
    assert FundSource.objects.get().amount == Decimal("300000.00")


def test_out_of_scope_region_refused_on_the_form(users, login, regions):
    response = login(users["village"]).post(
        reverse("funds:source_add"),
        {
            "kind": "fiscal",
            "name": "x",
            "year": 2020,
            "amount": "1",
            "region": testing.LUOHUI,
            "date": "2020-01-01",
        },
    )
    assert "不在您的管理范围内" in response.text and not FundSource.objects.exists()


def test_lists_have_bounded_queries(users, login, household):
    client = login(users["county"])

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    urls = [reverse(f"funds:{n}") for n in ("source_list", "allocation_list", "project_list")]
    allocations.allocate(
        amount=Decimal("1"),
        date=testing.DAY,
        purpose="p",
        source=testing.make_source("10.00"),
        project=testing.make_project(),
    )
    before = [count(u) for u in urls]
    for _ in range(5):
        source = testing.make_source("10.00")
        project = testing.make_project()
        allocations.allocate(
            amount=Decimal("1"), date=testing.DAY, purpose="p", source=source, project=project
        )
    assert [count(u) for u in urls] == before


def test_api_scope_and_refusal(flow, users, other_household):
    source, pool, _ = flow
    testing.make_source("1.00", region=testing.LUOHUI)
    body = api(users["village"]).get("/api/funds/sources/").json()
    assert [row["id"] for row in body["results"]] == [source.pk]
    response = api(users["county"]).post(
        "/api/funds/allocations/",
        {
            "pool": pool.pk,
            "kind": "subsidy",
            "household": other_household.pk,
            "amount": "1800.01",
            "date": "2020-04-01",
            "purpose": "产业补贴",
        },
    )
    assert response.status_code == 400 and "1,800.00元" in response.json()["amount"][0]
    response = api(users["county"]).post(
        "/api/funds/allocations/",
        {
            "pool": pool.pk,
            "kind": "subsidy",
            "household": other_household.pk,
            "amount": "1800.00",
            "date": "2020-04-01",
            "purpose": "产业补贴",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["region"] == other_household.region_id
    pool.refresh_from_db()
    assert pool.balance == 0


def test_api_project_received(users, regions):
    project = testing.make_project(budget="100")
    source = testing.make_source("100")
    allocations.allocate(
        amount=Decimal("40"), date=testing.DAY, purpose="p", source=source, project=project
    )
    row = api(users["county"]).get(f"/api/funds/projects/{project.pk}/").json()
    assert row["received"] == "40.00" and row["status_label"] == "计划"


def test_a_donations_source_changes_only_with_the_donation(users, regions):
    donation = testing.make_donation("100.00")
    response = api(users["county"]).patch(
        f"/api/funds/sources/{donation.source_id}/", {"amount": "1.00"}, format="json"
    )
    assert response.status_code == 400 and "捐赠记录中修改" in response.json()["amount"][0]
    response = api(users["county"]).patch(
        f"/api/funds/donations/{donation.pk}/", {"amount": "150.00"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert FundSource.objects.get(pk=donation.source_id).amount == Decimal("150.00")


def test_import_page(users, login, regions):
    """The upload goes to its batch page: the outcome, the first errors, the report; the form
    lists the user's recent imports."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bangfu.core.models import AuditEntry, ImportBatch

    bad = (
        "资金来源类型,资金名称,金额（万元）,区划代码,到位日期\n"
        "财政专项资金,道路,52.5,451423100201,2020-03-01\n"
        "财政专项资金,外村,1,451423100202,2020-03-01\n"
    ).encode()
    client = login(users["village"])
    response = client.post(
        reverse("funds:import"),
        {"kind": "sources", "file": SimpleUploadedFile("资金.csv", bad, "text/csv")},
        follow=True,
    )
    batch = ImportBatch.objects.get()
    assert response.redirect_chain == [(reverse("imports-batch", args=[batch.pk]), 302)]
    assert batch.kind == "funds:sources" and batch.status == "rejected"
    page = response.text
    assert 'data-written="0"' in page and 'data-row="3"' in page and "管辖范围" in page
    assert reverse("imports-errors", args=[batch.pk]) in page  # the full report
    assert client.get(reverse("imports-errors", args=[batch.pk])).status_code == 200
    assert not FundSource.objects.exists()
    good = bad.rsplit(b"\n", 2)[0] + b"\n"
    response = client.post(
        reverse("funds:import"),
        {"kind": "sources", "file": SimpleUploadedFile("资金.csv", good, "text/csv")},
        follow=True,
    )
    assert 'data-written="1"' in response.text and "新增 1" in response.text
    assert FundSource.objects.get().amount == Decimal("525000.00")
    done = ImportBatch.objects.get(status="done")
    assert AuditEntry.objects.filter(import_batch_id=done.pk, object_type="funds.fundsource")
    form = client.get(reverse("funds:import")).text
    assert reverse("imports-batch", args=[done.pk]) in form and "资金.csv" in form
    # another user cannot open the batch
    assert login(users["other_village"]).get(response.request["PATH_INFO"]).status_code == 404


def test_api_donation_and_pool_inflow(users, regions):
    client = api(users["village"])
    response = client.post(
        "/api/funds/donations/",
        {
            "donor_name": "某爱心企业",
            "donor_kind": "company",
            "amount": "50000.00",
            "date": "2020-05-01",
            "purpose": "助学",
            "region": testing.XINLIAN,
        },
    )
    assert response.status_code == 201, response.json()
    source_id = response.json()["source"]
    response = client.post("/api/funds/pools/", {"name": "助学资金池", "region": testing.XINLIAN})
    assert response.status_code == 201, response.json()
    pool_id = response.json()["id"]
    entry = {"pool": pool_id, "source": source_id, "date": "2020-05-02"}
    response = client.post("/api/funds/pool-entries/", {**entry, "amount": "50000.01"})
    assert response.status_code == 400 and "50,000.00元" in response.json()["amount"][0]
    response = client.post("/api/funds/pool-entries/", {**entry, "amount": "50000.00"})
    assert response.status_code == 201, response.json()
    assert client.get(f"/api/funds/pools/{pool_id}/").json()["balance"] == "50000.00"
    # a pool in another village cannot be chosen
    response = client.post("/api/funds/pools/", {"name": "x", "region": testing.LUOHUI})
    assert response.status_code == 400 and "region" in response.json()


def test_api_project_outputs(users, regions):
    project = testing.make_project()
    client = api(users["village"])
    data = {"project": project.pk, "name": "太阳能路灯", "measure": "盏"}
    response = client.post("/api/funds/project-outputs/", {**data, "quantity": "0"})
    assert response.status_code == 400 and "quantity" in response.json()
    response = client.post("/api/funds/project-outputs/", {**data, "quantity": "86"})
    assert response.status_code == 201, response.json()
    rows = client.get("/api/funds/project-outputs/", {"project": project.pk}).json()["results"]
    assert [(r["name"], r["quantity"]) for r in rows] == [("太阳能路灯", "86.00")]


def test_donation_edit_page_changes_its_source(users, login, regions):
    donation = testing.make_donation("100.00")
    client = login(users["village"])
    page = client.get(reverse("funds:source", kwargs={"pk": donation.source_id})).text
    edit = reverse("funds:donation_edit", kwargs={"pk": donation.pk})
    assert edit in page
    response = client.post(
        edit,
        {
            "donor_name": donation.donor_name,
            "donor_kind": "company",
            "amount": "120.00",
            "date": "2020-03-01",
            "purpose": "危房改造",
            "region": testing.XINLIAN,
        },
    )
    assert response.status_code == 302
    assert FundSource.objects.get(pk=donation.source_id).amount == Decimal("120.00")


def test_import_page_takes_projects_and_their_outputs(users, login, regions):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bangfu.funds.models import ProjectOutput

    client = login(users["county"])
    projects_csv = (
        "项目类型,项目名称,村代码,预算（万元）,项目状态,开工日期\n"
        "基础设施,新联村道路硬化,451423100201,52.5,在建,2020-03-01\n"
    ).encode()
    response = client.post(
        reverse("funds:import"),
        {"kind": "projects", "file": SimpleUploadedFile("项目.csv", projects_csv, "text/csv")},
        follow=True,
    )
    assert 'data-written="1"' in response.text
    outputs_csv = "项目名称,产出名称,数量,计量单位\n新联村道路硬化,硬化道路,2.5,公里\n".encode()
    response = client.post(
        reverse("funds:import"),
        {"kind": "project_outputs", "file": SimpleUploadedFile("产出.csv", outputs_csv)},
        follow=True,
    )
    assert 'data-written="1"' in response.text
    output = ProjectOutput.objects.get()
    assert output.project.budget == Decimal("525000.00") and output.quantity == Decimal("2.5")


def test_import_page_takes_project_beneficiaries(users, login, household, far_household):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bangfu.funds import testing as funds_testing

    road = funds_testing.make_project(name="新联村道路硬化")
    client = login(users["county"])
    good = f"项目名称,户编号\n新联村道路硬化,{household.household_no}\n".encode()
    bad = good + f"新联村道路硬化,{far_household.household_no}\n".encode()
    response = client.post(
        reverse("funds:import"),
        {"kind": "project_beneficiaries", "file": SimpleUploadedFile("受益户.csv", bad)},
        follow=True,
    )
    assert "管辖范围" in response.text  # row 3: a household of another county
    assert not road.beneficiaries.exists()
    response = client.post(
        reverse("funds:import"),
        {"kind": "project_beneficiaries", "file": SimpleUploadedFile("受益户.csv", good)},
        follow=True,
    )
    assert 'data-written="1"' in response.text
    assert list(road.beneficiaries.all()) == [household]
