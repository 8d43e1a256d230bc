"""Import of loans and jobs: 万元 only when the header says so, row-numbered errors naming the
column, all or nothing, scope, idempotence, the command's exit codes."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from bangfu.core.models import AuditEntry
from bangfu.credit import testing
from bangfu.credit.models import Loan
from bangfu.credit.services.layouts import import_loans
from bangfu.employment import testing as employment_testing
from bangfu.employment.models import Job
from bangfu.employment.services.layouts import import_jobs

HEADER = ["户编号", "贷款产品", "贷款金额（元）", "放款日期", "期限（月）", "用途", "还款状态"]


def _xlsx(tmp_path, header, rows, title=True):
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append(["龙州县扶贫小额信贷台账"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    path = tmp_path / "loans.xlsx"
    wb.save(path)
    return path


@pytest.fixture
def product(regions):
    return testing.make_product()


def test_loans_in_yuan_are_imported_and_audited_as_an_import(tmp_path, product, household):
    path = _xlsx(
        tmp_path,
        HEADER,
        [[household.household_no, "半夏贷", 30000, "2019-04-01", 36, "种植半夏", "未到期"]],
    )
    result = import_loans(path)
    assert result.ok and result.created == 1
    loan = Loan.objects.get()
    assert loan.amount == Decimal("30000.00") and loan.date == datetime.date(2019, 4, 1)
    entry = AuditEntry.objects.get(object_type="credit.loan")
    assert entry.source == "import"
    again = import_loans(path)
    assert again.ok and (again.created, again.unchanged) == (0, 1)
    assert Loan.objects.count() == 1


def test_amounts_in_wan_are_converted_only_when_the_header_says_so(tmp_path, product, household):
    header = [h if "金额" not in h else "贷款金额（万元）" for h in HEADER]
    path = _xlsx(
        tmp_path, header, [[household.household_no, "半夏贷", 3.5, "2019-04-01", 36, "养牛", ""]]
    )
    assert import_loans(path).ok
    assert Loan.objects.get().amount == Decimal("35000.00")
    # Without 万元 in the header, 3.5 is 3.5 yuan.
    header = [h if "金额" not in h else "贷款金额" for h in HEADER]
    path = _xlsx(
        tmp_path, header, [[household.household_no, "半夏贷", 3.5, "2019-05-01", 12, "养牛", ""]]
    )
    assert import_loans(path).ok
    assert Loan.objects.get(date=datetime.date(2019, 5, 1)).amount == Decimal("3.50")


def test_a_bad_row_rejects_the_whole_file_with_row_numbered_reasons(
    tmp_path, product, household, other_household
):
    path = _xlsx(
        tmp_path,
        HEADER,
        [
            [household.household_no, "半夏贷", 30000, "2019-04-01", 36, "种植", ""],
            [household.household_no, "半夏贷", -5, "2019-04-02", 36, "种植", ""],
            [household.household_no, "半夏贷", 90000, "2019-04-03", 36, "种植", ""],
            ["不存在的户", "半夏贷", 1000, "2019-04-04", 36, "种植", ""],
            [household.household_no, "半夏贷", 1000, "2019-13-01", 36, "种植", "欠着"],
        ],
    )
    result = import_loans(path)
    assert not result.ok and Loan.objects.count() == 0
    by_row = {}
    for e in result.errors:
        by_row.setdefault(e.row, []).append(e)
    assert set(by_row) == {4, 5, 6, 7}  # the title row is row 1, the header row 2
    assert by_row[4][0].column == "贷款金额(元)" and "负数" in by_row[4][0].reason
    assert "最高额度" in by_row[5][0].reason
    assert by_row[6][0].column == "户编号" and "找不到" in by_row[6][0].reason
    assert {e.column for e in by_row[7]} == {"放款日期", "还款状态"}


def test_households_outside_the_users_scope_are_not_found(
    tmp_path, product, household, other_household, users
):
    path = _xlsx(
        tmp_path,
        HEADER,
        [[other_household.household_no, "半夏贷", 1000, "2019-04-01", 12, "种植", ""]],
    )
    result = import_loans(path, user=users["village"])
    assert not result.ok and "找不到" in result.errors[0].reason
    assert import_loans(path, user=users["county"]).ok


def test_missing_column_is_a_file_error(tmp_path, product):
    path = _xlsx(tmp_path, ["户编号", "贷款产品", "放款日期"], [["x", "半夏贷", "2019-01-01"]])
    result = import_loans(path)
    assert {e.column for e in result.errors} >= {"贷款金额", "用途"}
    assert all(e.row is None for e in result.errors)


def test_jobs_import_with_income_in_wan(tmp_path, household):
    member = household.members.order_by("pk").first()
    employment_testing.make_agreement("451423", company="广东某电子厂")
    path = _xlsx(
        tmp_path,
        [
            "证件号码",
            "就业方式",
            "用工单位",
            "年度",
            "务工月数",
            "务工收入（万元）",
            "开始日期",
            "劳务输出协议",
        ],
        [
            [
                member.id_number,
                "劳务输出",
                "广东某电子厂",
                2019,
                10,
                3.6,
                "2019-03-01",
                "广东某电子厂",
            ]
        ],
        title=False,
    )
    result = import_jobs(path)
    assert result.ok, [str(e) for e in result.errors]
    job = Job.objects.get()
    assert job.income == Decimal("36000.00") and job.agreement.company == "广东某电子厂"


def test_command_exit_codes(tmp_path, product, household, users):
    good = _xlsx(
        tmp_path, HEADER, [[household.household_no, "半夏贷", 100, "2019-04-01", 12, "种植", ""]]
    )
    call_command("import_economy", "loans", str(good), user="county")
    assert Loan.objects.count() == 1
    bad = _xlsx(
        tmp_path, HEADER, [[household.household_no, "半夏贷", -1, "2019-04-09", 12, "x", ""]]
    )
    report = tmp_path / "errors.csv"
    with pytest.raises(SystemExit) as exc:
        call_command("import_economy", "loans", str(bad), errors=str(report))
    assert exc.value.code == 1 and "负数" in report.read_text(encoding="utf-8-sig")
    with pytest.raises(CommandError) as exc:
        call_command("import_economy", "loans", str(good), user="viewer")
    assert exc.value.returncode == 2 and "没有导入权限" in str(exc.value)
