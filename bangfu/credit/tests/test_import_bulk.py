"""The loans import writes set-based (`LOANS.bulk_writer` → `loans.save_new_loans`): new rows are
checked by the rules of a page (`check_loan` through `full_clean`) and written in a few
statements per batch — the same loans, region copies and audit entries as the row-by-row path,
row-numbered errors naming the column, all or nothing unless partial, and a query count that
does not grow with the rows."""

import dataclasses
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bangfu.core.models import AuditEntry
from bangfu.credit import testing
from bangfu.credit.models import Loan
from bangfu.credit.services.layouts import LOANS, import_loans
from bangfu.funds.services import sheets
from bangfu.funds.services.reconcile import reconcile
from bangfu.registry import copies

pytestmark = pytest.mark.django_db

HEADER = "户编号,贷款产品,贷款金额,放款日期,期限(月),用途,还款状态,还清日期\n"


def write(tmp_path, text: str, name: str = "loans.csv"):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    return path


@pytest.fixture
def households(household, other_household, far_household):
    """Households in two villages of 龙州 (451423) and one of 钟山 (451122)."""
    testing.make_product("451423", name="半夏贷")  # 50,000 yuan, 36 months
    testing.make_product("45", name="广西贷", max_amount=Decimal("100000"), term_months=60)
    return [household, other_household, far_household]


def rows(households, n: int, year: int = 2019) -> str:
    """`n` good rows: the 钟山 household borrows 广西贷, the others 半夏贷 or 广西贷; some
    repaid (with their date), some overdue."""
    out = []
    for i in range(n):
        h = households[i % len(households)]
        product = "广西贷" if h.region_id.startswith("451122") or i % 4 == 1 else "半夏贷"
        status, repaid = [("未到期", ""), ("逾期", ""), ("已还清", f"{year + 1}-06-30")][i % 3]
        out.append(
            f"{h.household_no},{product},{10000 + i * 13}.{i % 100:02d},"
            f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d},{12 + i % 25},用途{i},{status},{repaid}\n"
        )
    return "".join(out)


class _Rollback(Exception):
    pass


def state() -> dict:
    """What an import leaves, without ids: the loans (file order), the audit entries of loans,
    the region copies out of step."""
    return {
        "loans": [
            {k: v for k, v in row.items() if k != "id"}
            for row in Loan.objects.order_by("pk").values()
        ],
        "audit": [
            (e.action, e.source, e.object_repr, e.subject_type, e.subject_id, e.after)
            for e in AuditEntry.objects.filter(object_type="credit.loan").order_by("pk")
        ],
        "copies": copies.check_household_copies()["credit.loan.region"],
    }


def imported(path, layout) -> tuple[sheets.SheetResult, dict]:
    """Import `path` through `layout` and return what it left, then roll it all back."""
    out = {}
    with pytest.raises(_Rollback), transaction.atomic():
        out["result"] = sheets.import_sheet(path, layout)
        out["state"] = state()
        raise _Rollback
    return out["result"], out["state"]


def test_set_based_and_row_by_row_leave_the_same_loans_copies_and_audit(
    tmp_path, households, monkeypatch
):
    monkeypatch.setattr(sheets, "BATCH", 4)  # 23 rows: six batches, the last one short
    path = write(tmp_path, rows(households, 23))
    bulk_result, bulk = imported(path, LOANS)
    slow_result, slow = imported(path, dataclasses.replace(LOANS, bulk_writer=None))
    assert bulk_result.ok and slow_result.ok, bulk_result.errors + slow_result.errors
    assert bulk_result.created == slow_result.created == 23
    assert len(bulk["loans"]) == 23 and bulk["loans"] == slow["loans"]
    assert {h.region_id for h in households} == {r["region_id"] for r in bulk["loans"]}
    assert {r["repayment"] for r in bulk["loans"]} == {"current", "overdue", "repaid"}
    assert len(bulk["audit"]) == 23 and bulk["audit"] == slow["audit"]
    assert bulk["audit"][0][1] == "import" and "region_id" not in bulk["audit"][0][5]
    assert bulk["copies"] == slow["copies"] == 0


def test_bad_rows_are_named_all_or_nothing_then_partial_keeps_the_good_ones(
    tmp_path, households, household, far_household
):
    h, far = household.household_no, far_household.household_no
    text = (
        rows(households, 2)  # rows 2-3 good
        + f"{h},半夏贷,60000,2019-04-01,12,种植,,\n"  # 4: above the product's maximum
        + f"{h},半夏贷,1000,2019-04-01,48,种植,,\n"  # 5: longer than the product's term
        + f"{far},半夏贷,1000,2019-04-01,12,种植,,\n"  # 6: product not for 钟山
        + f"{h},半夏贷,1000,2999-04-01,12,种植,,\n"  # 7: lent in the future
        + f"{h},半夏贷,1000,2019-04-01,12,种植,已还清,\n"  # 8: repaid without a date
        + f"{h},半夏贷,1000,2019-04-01,12,种植,已还清,2019-03-01\n"  # 9: repaid before lent
        + f"{h},半夏贷,1000,2019-04-01,12,种植,未到期,2019-05-01\n"  # 10: date but not repaid
        + f"{h},半夏贷,0,2019-04-01,12,种植,,\n"  # 11: nothing lent
        + f"{h},半夏贷,1000,2019-04-01,0,种植,,\n"  # 12: no term
        + "不存在的户,半夏贷,1000,2019-04-01,12,种植,,\n"  # 13: unknown household
        + rows(households, 1)  # 14 good
    )
    path = write(tmp_path, text)
    expected = {
        (4, "贷款金额"): "最高额度",
        (5, "期限(月)"): "最长期限",
        (6, "贷款产品"): "不适用于该户所在地区",
        (7, "放款日期"): "不能晚于今天",
        (8, "还清日期"): "请填写还清日期",
        (9, "还清日期"): "不能早于放款日期",
        (10, "还清日期"): "只有已还清",
        (11, "贷款金额"): "必须大于 0",
        (12, "期限(月)"): "至少 1 个月",
        (13, "户编号"): "找不到",
    }
    result = import_loans(path)
    assert not result.ok and Loan.objects.count() == 0
    got = {(e.row, e.column): e.reason for e in result.errors}
    assert set(got) == set(expected), got
    for key, words in expected.items():
        assert words in got[key], (key, got[key])

    result = import_loans(path, partial=True)
    assert result.created == 3 and {e.row for e in result.errors} == set(range(4, 14))
    assert Loan.objects.count() == 3
    assert AuditEntry.objects.filter(object_type="credit.loan").count() == 3


def test_query_count_grows_far_slower_than_the_rows(tmp_path, households):
    """Row by row a loan took about eight queries; set-based, 190 more rows cost no more than a
    few statements."""

    def queries(n: int, year: int) -> int:
        path = write(tmp_path, rows(households, n, year), name=f"{n}.csv")
        with CaptureQueriesContext(connection) as ctx:
            result = import_loans(path)
        assert result.created == n, result.errors
        return len(ctx.captured_queries)

    few, many = queries(10, 2017), queries(200, 2018)
    assert many - few < 190 / 10


def test_copies_reconcile_after_a_bulk_import_and_reimport_changes_nothing(tmp_path, households):
    path = write(tmp_path, rows(households, 40))
    result = import_loans(path)
    assert result.ok and result.created == 40, result.errors
    assert copies.check_household_copies()["credit.loan.region"] == 0
    assert [d for d in reconcile() if d.kind == "household_copies"] == []
    by_household = dict(Loan.objects.values_list("household__household_no", "region_id"))
    assert by_household == {h.household_no: h.region_id for h in households}
    again = import_loans(path)  # every row matches its loan: nothing written
    assert (again.created, again.unchanged) == (0, 40) and Loan.objects.count() == 40
