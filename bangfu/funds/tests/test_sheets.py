"""The one sheet mechanism of issue 4 (`funds.services.sheets`): for every kind, the export is
in the layout of the import — importing it back changes nothing, and into emptied tables it
reproduces the records —; bad rows are refused per rule with row, column and reason."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from bangfu.assistance import testing as assistance_testing
from bangfu.commitments import testing as commitment_testing
from bangfu.commitments.models import Commitment, CommitmentPayment
from bangfu.commitments.services import commitments
from bangfu.consumption import testing as consumption_testing
from bangfu.consumption.models import Purchase
from bangfu.cooperatives import testing as coop_testing
from bangfu.cooperatives.models import (
    Cooperative,
    CooperativeYear,
    Dividend,
    Membership,
    PurchaseContract,
)
from bangfu.cooperatives.services import cooperatives
from bangfu.core.models import AuditEntry
from bangfu.credit import testing as credit_testing
from bangfu.credit.models import Loan, LoanProduct
from bangfu.employment import testing as job_testing
from bangfu.employment.models import Job, LabourAgreement
from bangfu.funds import testing
from bangfu.funds.choices import AllocationKind, ProjectStatus
from bangfu.funds.models import (
    Allocation,
    Donation,
    FundPool,
    FundSource,
    PoolEntry,
    Project,
    ProjectOutput,
)
from bangfu.funds.services import allocations, projects
from bangfu.funds.services.sheets import all_layouts, import_sheet

pytestmark = pytest.mark.django_db
D = datetime.date

# Everything a kind's records hold, deleted child first to empty the tables.
MODELS = [
    CommitmentPayment,
    Commitment,
    Purchase,
    Job,
    LabourAgreement,
    Loan,
    LoanProduct,
    Dividend,
    CooperativeYear,
    PurchaseContract,
    Membership,
    Cooperative,
    PoolEntry,
    Allocation,
    ProjectOutput,
    Project,
    FundPool,
    Donation,
    FundSource,
]


@pytest.fixture
def books(household, other_household):
    hall = assistance_testing.make_unit("自治区公安厅")
    source = testing.make_source("100000.00", unit=hall, name="新联村道路资金")
    donation = testing.make_donation("30000.00", donor="广西某药业公司")
    pool = testing.make_pool(name="危房改造资金池")
    allocations.put_into_pool(pool, donation.source, Decimal("24000.00"), D(2020, 4, 1))
    road = testing.make_project(
        name="新联村道路硬化", status=ProjectStatus.UNDERWAY, start_date=D(2020, 4, 1), unit=hall
    )
    projects.add_output(road, "硬化道路", Decimal("2.5"), "公里")
    projects.set_beneficiaries(road, [household])
    allocations.allocate(
        amount=Decimal("20000.50"), date=D(2020, 4, 2), purpose="修路", source=source, project=road
    )
    for _ in range(2):  # two equal allocations are two records
        allocations.allocate(
            amount=Decimal("12000"),
            date=D(2020, 6, 1),
            purpose="危房改造补助",
            pool=pool,
            household=household,
            kind=AllocationKind.AID,
        )
    coop = coop_testing.make_cooperative(name="新联村百香果合作社", unit=hall)
    member = coop_testing.make_member(coop, household)
    coop_testing.make_member(coop, None, name="韦大山", shares=Decimal("5000"))
    cooperatives.add_contract(coop, buyer="某果业公司", product="百香果", start_date=D(2019, 1, 1))
    cooperatives.record_year(coop, 2019, profit=Decimal("160000"), jobs=15, poor_jobs=12)
    cooperatives.pay_dividend(coop, 2019, Decimal("480.00"), membership=member)
    other = Membership.objects.get(cooperative=coop, name="韦大山")
    cooperatives.pay_dividend(coop, 2019, Decimal("2400.00"), membership=other)
    product = credit_testing.make_product()
    credit_testing.make_loan(household, product, amount=Decimal("48000"))
    agreement = job_testing.make_agreement(unit=hall)
    person = household.members.order_by("pk").first()
    job_testing.make_job(person, agreement=agreement)
    consumption_testing.make_purchase(hall, cooperative=coop, village=None)
    promise = commitment_testing.make_commitment(household, start=D(2020, 1, 10), member=person)
    commitments.record_payment(promise, D(2020, 1, 10), Decimal("1000"))
    commitments.record_payment(promise, D(2020, 2, 10), Decimal("1000"))
    return {"pool": pool, "source": source}


def sheets_of(path) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def without_numbers(rows):
    """A sheet without its 编号 columns (record numbers differ after re-import)."""
    header = rows[0]
    keep = [i for i, h in enumerate(header) if "编号" not in h]
    return [[row[i] for i in keep] for row in rows]


def test_every_kind_exports_and_imports_back_unchanged(books, tmp_path):
    path = tmp_path / "all.xlsx"
    call_command("export_economy", str(path))
    sheets = sheets_of(path)
    layouts = all_layouts()
    assert set(sheets) == {layout.title for layout in layouts.values()}
    for kind, layout in layouts.items():
        rows = sheets[layout.title]
        assert rows[0] == layout.headers(), kind
        assert len(rows) > 1, f"{kind}: nothing exported"
        result = import_sheet(path, layout)
        assert result.ok, (kind, result.errors)
        assert (result.created, result.updated) == (0, 0), kind
        assert result.unchanged == len(rows) - 1, kind


def test_import_of_the_export_reproduces_the_records(books, tmp_path):
    path = tmp_path / "all.xlsx"
    call_command("export_economy", str(path))
    before = sheets_of(path)
    for model in MODELS:
        model.objects.all().delete()
    for kind, layout in all_layouts().items():
        result = import_sheet(path, layout)
        assert result.ok, (kind, result.errors)
        assert result.created == len(before[layout.title]) - 1, kind
    again = tmp_path / "again.xlsx"
    call_command("export_economy", str(again))
    after = sheets_of(again)
    for title, rows in before.items():
        assert without_numbers(after[title]) == without_numbers(rows), title
    pool = FundPool.objects.get()
    assert pool.balance == Decimal("0.00")  # 24,000 in, two 12,000 out: the services ran
    call_command("reconcile_funds")


def test_csv_export_of_one_kind_round_trips(books, tmp_path):
    path = tmp_path / "loans.csv"
    call_command("export_economy", str(path), "loans")
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("户编号,产品编号,贷款产品,贷款金额")
    assert "48000.00" in text
    Loan.objects.all().delete()
    result = import_sheet(path, all_layouts()["loans"])
    assert result.ok and result.created == 1
    assert Loan.objects.get().amount == Decimal("48000.00")


def test_export_is_scoped_and_masks_id_numbers(books, tmp_path, users, other_household):
    far = other_household.members.order_by("pk").first()
    job_testing.make_job(far, kind="nearby", employer="罗回村基地")
    path = tmp_path / "jobs.csv"
    call_command("export_economy", str(path), "jobs", "--user", users["village"].username)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2  # the village user's job only
    person = books and Job.objects.exclude(member=far).get().member
    assert person.id_number not in lines[1] and person.id_number[:4] + "*" in lines[1]
    call_command("export_economy", str(path), "jobs", "--user", users["admin"].username)
    assert person.id_number in path.read_text(encoding="utf-8-sig")


def _csv(tmp_path, text, name="f.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(result):
    return [(e.row, e.column, e.reason) for e in result.errors]


def test_project_rules_row_by_row(tmp_path, regions):
    text = (
        "项目类型,项目名称,村代码,预算（万元）,项目状态,开工日期,完工日期\n"
        "基础设施,道路,451423100201,52.5,已完工,2020-03-01,2020-09-01\n"
        "基础设施,倒着修,451423100201,10,已完工,2020-09-01,2020-03-01\n"
        "某类型,类型错,451423100201,10,计划,,\n"
        "产业,负预算,451423100201,-1,计划,,\n"
        "产业,在外县,451122100201,1,计划,,\n"
        "产业,零点零零零零零一,451423100201,0.0000001,计划,,\n"
    )
    layout = all_layouts()["projects"]
    from bangfu.core.testing import make_user

    clerk = make_user("c", "county", "451423")
    result = import_sheet(_csv(tmp_path, text), layout, clerk)
    by_row = {row: (column, reason) for row, column, reason in errors(result)}
    assert sorted(by_row) == [3, 4, 5, 6, 7]
    assert by_row[3][0] == "完工日期"
    assert by_row[4][0] == "项目类型" and "基础设施" in by_row[4][1]
    assert by_row[5][0] == "预算(万元)"
    assert by_row[6][0] == "村代码" and "管辖范围" in by_row[6][1]
    assert by_row[7][0] == "预算(万元)" and "分" in by_row[7][1]
    assert not Project.objects.exists()  # all or nothing
    result = import_sheet(_csv(tmp_path, text), layout, clerk, partial=True)
    assert Project.objects.get().budget == Decimal("525000.00")  # 52.5 万元, exactly


def test_both_yuan_and_wan_columns_refused(tmp_path, regions):
    text = "项目类型,项目名称,村代码,预算,预算（万元）\n产业,x,451423100201,1,1\n"
    result = import_sheet(_csv(tmp_path, text), all_layouts()["projects"])
    assert result.errors[0].row is None and "只能有一列" in result.errors[0].reason
    assert not Project.objects.exists()


def test_pool_inflow_beyond_the_source_is_refused(tmp_path, regions):
    source = testing.make_source("1000.00", name="小额资金")
    testing.make_pool(name="助学资金池")
    text = (
        "资金池,资金来源,金额,注入日期\n"
        "助学资金池,小额资金,800,2020-05-01\n"
        "助学资金池,小额资金,300,2020-05-02\n"
    )
    result = import_sheet(_csv(tmp_path, text), all_layouts()["pool_inflows"])
    assert [(r, c) for r, c, _ in errors(result)] == [(3, "金额")]
    assert "200.00" in result.errors[0].reason
    assert not PoolEntry.objects.exists() and source.pool_entries.count() == 0


def test_dividend_to_a_household_that_is_not_a_member(tmp_path, household, other_household):
    coop = coop_testing.make_cooperative(name="甲合作社")
    coop_testing.make_member(coop, household)
    text = (
        "合作社名称,户编号,分红年度,分红金额\n"
        f"甲合作社,{household.household_no},2019,100\n"
        f"甲合作社,{other_household.household_no},2019,100\n"
        f"甲合作社,{household.household_no},2017,100\n"
    )
    result = import_sheet(_csv(tmp_path, text), all_layouts()["dividends"])
    assert [(r, c) for r, c, _ in errors(result)] == [(3, "户编号"), (4, "户编号")]
    assert "不是甲合作社的社员" in result.errors[0].reason
    assert not Dividend.objects.exists()


def test_ambiguous_names_need_the_number(tmp_path, regions):
    testing.make_source("100.00", name="同名资金", region=testing.XINLIAN)
    second = testing.make_source("100.00", name="同名资金", region=testing.LUOHUI)
    testing.make_pool(name="甲池")
    text = "资金池,资金来源,金额,注入日期\n甲池,同名资金,50,2020-05-01\n"
    result = import_sheet(_csv(tmp_path, text), all_layouts()["pool_inflows"])
    assert "请改填编号" in result.errors[0].reason and result.errors[0].column == "资金来源"
    text = f"资金池,资金来源编号,资金来源,金额,注入日期\n甲池,{second.pk},同名资金,50,2020-05-01\n"
    assert import_sheet(_csv(tmp_path, text), all_layouts()["pool_inflows"]).ok
    assert PoolEntry.objects.get().source == second


def test_appended_records_are_not_changed_by_an_import(tmp_path, books, household):
    path = tmp_path / "allocations.csv"
    call_command("export_economy", str(path), "allocations")
    text = path.read_text(encoding="utf-8-sig")
    assert import_sheet(path, all_layouts()["allocations"]).unchanged == 3
    # a third equal pool allocation is a new record, refused: the pool is empty
    extra = text.splitlines()[-1]
    path.write_text(text + extra + "\n", encoding="utf-8")
    result = import_sheet(path, all_layouts()["allocations"])
    assert [(r, c) for r, c, _ in errors(result)] == [(5, "金额")]
    assert Allocation.objects.count() == 3


def test_commands_import_and_export_every_kind(tmp_path, books, capsys):
    path = tmp_path / "coops.xlsx"
    call_command("export_economy", str(path), "cooperatives", "memberships", "--region", "451423")
    assert set(sheets_of(path)) == {"合作社", "合作社社员"}
    call_command("import_economy", "memberships", str(path))
    assert "未变 2" in capsys.readouterr().out
    bad = _csv(tmp_path, "合作社名称,社员姓名,入社日期\n没有这个社,张三,2019-01-01\n")
    with pytest.raises(SystemExit) as exc:
        call_command("import_economy", "memberships", str(bad))
    assert exc.value.code == 1 and "第 2 行" in capsys.readouterr().err


@pytest.mark.parametrize(
    "url_name,kind",
    [
        ("funds:source_list", "sources"),
        ("funds:donation_list", "donations"),
        ("funds:pool_list", "pools"),
        ("funds:allocation_list", "allocations"),
        ("funds:project_list", "projects"),
        ("cooperatives:cooperative_list", "cooperatives"),
        ("credit:product_list", "loan_products"),
        ("credit:loan_list", "loans"),
        ("employment:agreement_list", "labour_agreements"),
        ("employment:job_list", "jobs"),
        ("consumption:purchase_list", "purchases"),
        ("commitments:commitment_list", "commitments"),
    ],
)
def test_list_pages_export_their_filtered_list(books, users, login, url_name, kind):
    from django.urls import reverse

    client = login(users["county"])
    page = client.get(reverse(url_name))
    assert "export=xlsx" in page.text
    response = client.get(reverse(url_name), {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == all_layouts()[kind].headers()
    assert len(lines) > 1
    # a filter that matches nothing exports the header only
    empty = client.get(reverse(url_name), {"export": "csv", "region": "451122"})
    assert len(empty.content.decode("utf-8-sig").splitlines()) == 1
    xlsx = client.get(reverse(url_name), {"export": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_list_export_follows_the_filters_and_scope(books, users, login, other_household):
    from django.urls import reverse

    testing.make_source("500.00", region=testing.LUOHUI, name="罗回村资金")
    url = reverse("funds:source_list")
    county = login(users["county"]).get(url, {"export": "csv"}).content.decode("utf-8-sig")
    assert "罗回村资金" in county and "新联村道路资金" in county
    only = login(users["county"]).get(url, {"export": "csv", "q": "罗回"})
    assert "新联村道路资金" not in only.content.decode("utf-8-sig")
    village = login(users["village"]).get(url, {"export": "csv"}).content.decode("utf-8-sig")
    assert "罗回村资金" not in village and "新联村道路资金" in village


def test_project_beneficiaries_round_trip_and_refusals(tmp_path, household, far_household, users):
    road = testing.make_project(name="新联村道路硬化")
    testing.make_project(name="另一个项目")
    layout = all_layouts()["project_beneficiaries"]
    text = (
        "项目名称,户编号\n"
        f"新联村道路硬化,{household.household_no}\n"
        f"不存在的项目,{household.household_no}\n"
        "新联村道路硬化,999999999999\n"
        f"新联村道路硬化,{far_household.household_no}\n"
        f",{household.household_no}\n"
    )
    result = import_sheet(_csv(tmp_path, text), layout, users["county"])
    by_row = {row: (column, reason) for row, column, reason in errors(result)}
    assert sorted(by_row) == [3, 4, 5, 6]
    assert by_row[3][0] == "项目名称" and "不存在的项目" in by_row[3][1]
    assert by_row[4][0] == "户编号" and "管辖范围" in by_row[4][1]
    # a household of another county is outside the county user's scope: "not found"
    assert by_row[5][0] == "户编号" and "管辖范围" in by_row[5][1]
    assert by_row[6][0] == "项目名称" and "项目" in by_row[6][1]
    assert not road.beneficiaries.exists()  # all or nothing
    result = import_sheet(_csv(tmp_path, text), layout, users["county"], partial=True)
    assert result.created == 1
    assert list(road.beneficiaries.all()) == [household]
    assert (
        AuditEntry.objects.filter(
            subject_type="funds.project", subject_id=str(road.pk), action="create"
        )
        .filter(object_type="funds.project_beneficiaries")
        .exists()
    )
    # export → import: nothing changes; into an emptied table: the same households again
    path = tmp_path / "b.csv"
    call_command("export_economy", str(path), "project_beneficiaries")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines == [
        "项目编号,项目名称,户编号",
        f"{road.pk},新联村道路硬化,{household.household_no}",
    ]
    again = import_sheet(path, layout)
    assert (again.created, again.unchanged) == (0, 1)
    road.beneficiaries.clear()
    again = import_sheet(path, layout)
    assert again.ok and again.created == 1
    assert list(road.beneficiaries.all()) == [household]


def test_beneficiary_outside_the_project_county_is_refused(tmp_path, household, far_household):
    testing.make_project(name="新联村道路硬化")
    text = f"项目名称,户编号\n新联村道路硬化,{far_household.household_no}\n"
    result = import_sheet(_csv(tmp_path, text), all_layouts()["project_beneficiaries"])
    assert [(r, c) for r, c, _ in errors(result)] == [(2, "户编号")]
    assert "不在项目所在村或县" in result.errors[0].reason
    assert not Project.beneficiaries.through.objects.exists()
