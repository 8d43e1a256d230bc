"""The payments import writes set-based (`PAYMENTS.bulk_writer` →
`commitments.save_new_payments`): the same payments, audit entries and refusals (with the same
messages, row by row) as the row-by-row path, one payment per period across batches and against
the database, a query count that does not grow with the rows, and the overdue check reading the
imported payments."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bangfu.commitments import testing
from bangfu.commitments.checks import overdue_commitments
from bangfu.commitments.models import CommitmentPayment
from bangfu.commitments.services import commitments
from bangfu.commitments.services.layouts import PAYMENTS
from bangfu.core.models import AuditEntry
from bangfu.credit.services.rules import add_months
from bangfu.funds.services import sheets

pytestmark = pytest.mark.django_db

START = datetime.date(2019, 9, 1)
HEADER = "承诺编号,所属期,发放日期,发放金额,备注\n"
ROW_BY_ROW = dataclasses.replace(PAYMENTS, bulk_writer=None)


def period(k: int) -> str:
    return add_months(START, k).isoformat()


def rows(commitment, ks, amount: str = "1000") -> str:
    return "".join(f"{commitment.pk},{period(k)},2020-01-05,{amount},第{k}期\n" for k in ks)


def write(tmp_path, text: str, name: str = "p.csv"):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def errors(result):
    """By row: the set-based path reports a batch's refusals when it writes the batch."""
    return sorted((e.row, e.column, e.value, e.reason) for e in result.errors)


def imported(path, layout, partial=False):
    """Import, then what it wrote: the payments' values (no ids) and the audit entries' `after`
    values (ids left out), in order."""
    mark = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = sheets.import_sheet(path, layout, partial=partial)
    payments = list(
        CommitmentPayment.objects.order_by("pk").values(
            "commitment_id", "period_start", "date", "amount", "note"
        )
    )
    audit = [
        (e.action, e.object_type, e.object_repr, e.subject_type, e.subject_id, e.after)
        for e in AuditEntry.objects.filter(
            pk__gt=mark, object_type="commitments.commitmentpayment"
        ).order_by("pk")
    ]
    return result, payments, audit


def _not_row_by_row(obj):
    raise AssertionError("the set-based path fell back to row by row")


def both_ways(path, partial=False):
    """The same file through the set-based path (which must not fall back to writing row by
    row, as it would if the database refused a batch) and, from the same state, row by row."""
    with transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(commitments, "save", _not_row_by_row)
        bulk = imported(path, PAYMENTS, partial)
        transaction.set_rollback(True)
    one_by_one = imported(path, ROW_BY_ROW, partial)
    return bulk, one_by_one


@pytest.fixture
def promise(household):
    return testing.make_commitment(household, start=START)  # 1,000 yuan monthly


def test_set_based_and_row_by_row_write_the_same(tmp_path, promise, monkeypatch):
    monkeypatch.setattr(sheets, "BATCH", 4)
    path = write(tmp_path, rows(promise, range(10)))
    bulk, one_by_one = both_ways(path)
    assert bulk[0].created == one_by_one[0].created == 10 and bulk[0].ok
    assert bulk[1] == one_by_one[1] and len(bulk[1]) == 10
    assert bulk[2] == one_by_one[2] and len(bulk[2]) == 10
    action, _type, _repr, subject_type, subject_id, after = bulk[2][0]
    assert (action, subject_type, subject_id) == (
        "create",
        "registry.household",
        str(promise.household_id),
    )
    assert after["amount"] == "1000" and after["period_start"] == "2019-09-01"


def bad_file(tmp_path, promise):
    commitments.record_payment(promise, START, Decimal("1000"), date=datetime.date(2019, 9, 2))
    text = (
        rows(promise, [1])  # 2: good
        + f"{promise.pk},2019-10-15,2020-01-05,1000,\n"  # 3: not a due date
        + rows(promise, [2], "-5")  # 4: negative amount
        + f"{promise.pk},{period(3)},2099-01-01,1000,\n"  # 5: paid in the future
        + rows(promise, [1])  # 6: the period of row 2 again
        + f"{promise.pk},{START},2019-09-02,1000,\n"  # 7: equal to the payment of the database
        + f"{promise.pk},{START},2019-09-02,1000,\n"  # 8: … twice: a second payment of it
        + f"999999,{period(4)},2020-01-05,1000,\n"  # 9: no such commitment
        + f"12.5,{period(4)},2020-01-05,1000,\n"  # 10: not a number
        + rows(promise, [5])  # 11: good
    )
    return write(tmp_path, text)


def test_each_rule_is_reported_on_its_row_and_column(tmp_path, promise):
    path = bad_file(tmp_path, promise)
    bulk, one_by_one = both_ways(path)
    assert errors(bulk[0]) == errors(one_by_one[0])  # the same refusals, the same messages
    found = {(row, column): reason for row, column, _v, reason in errors(bulk[0])}
    assert sorted(found) == [
        (3, "所属期"),
        (4, "发放金额"),
        (5, "发放日期"),
        (6, "发放金额"),
        (8, "发放金额"),
        (9, "承诺编号"),
        (10, "承诺编号"),
    ]
    assert "不是该承诺的应发日期" in found[(3, "所属期")]
    assert "负数" in found[(4, "发放金额")]
    assert "不能晚于今天" in found[(5, "发放日期")]
    assert "已经存在" in found[(6, "发放金额")] or "exists" in found[(6, "发放金额")]
    assert found[(8, "发放金额")] == found[(6, "发放金额")]
    assert "找不到" in found[(9, "承诺编号")] and "整数" in found[(10, "承诺编号")]
    # all or nothing: only the payment made before the import
    assert bulk[1] == one_by_one[1] and len(bulk[1]) == 1
    assert bulk[2] == [] and bulk[0].created == 0


def test_partial_keeps_the_good_rows(tmp_path, promise):
    path = bad_file(tmp_path, promise)
    bulk, one_by_one = both_ways(path, partial=True)
    assert errors(bulk[0]) == errors(one_by_one[0])
    assert bulk[0].created == one_by_one[0].created == 2
    assert bulk[0].unchanged == 1  # row 7
    assert bulk[1] == one_by_one[1]
    assert [p["period_start"].isoformat() for p in bulk[1]] == [str(START), period(1), period(5)]
    assert bulk[2] == one_by_one[2] and len(bulk[2]) == 2


def test_one_payment_per_period_across_batches(tmp_path, promise, monkeypatch):
    """Batches of 3: the repeated periods in the second and third batches are refused because
    the first batch wrote them."""
    monkeypatch.setattr(sheets, "BATCH", 3)
    monkeypatch.setattr(commitments, "save", _not_row_by_row)
    path = write(tmp_path, rows(promise, [0, 1, 2, 3, 0, 4, 5, 1]))
    result = sheets.import_sheet(path, PAYMENTS, partial=True)
    assert [(e.row, e.column) for e in result.errors] == [(6, "发放金额"), (9, "发放金额")]
    assert result.created == 6
    assert CommitmentPayment.objects.filter(commitment=promise).count() == 6


def test_query_count_grows_far_slower_than_the_rows(tmp_path, household):
    def queries(n: int) -> int:
        promise = testing.make_commitment(household, start=START, purpose=f"资助{n}")
        path = write(tmp_path, rows(promise, range(n)), name=f"{n}.csv")
        with CaptureQueriesContext(connection) as ctx:
            result = sheets.import_sheet(path, PAYMENTS)
        assert result.created == n, result.errors
        return len(ctx.captured_queries)

    few, many = queries(10), queries(200)
    assert many - few < 190 / 10


def test_by_household_purpose_and_start_without_a_query_per_row(tmp_path, household):
    """A file exported elsewhere names the commitment by 户编号 + 用途 + 首期日期: read once."""
    promise = testing.make_commitment(household, start=START)
    header = "户编号,用途,首期日期,所属期,发放日期,发放金额\n"

    def run(n: int, name: str):
        body = "".join(
            f"{household.household_no},{promise.purpose},{START},{period(k)},2020-01-05,1000\n"
            for k in range(n)
        )
        path = tmp_path / name
        path.write_text(header + body, encoding="utf-8")
        with CaptureQueriesContext(connection) as ctx, transaction.atomic():
            result = sheets.import_sheet(path, PAYMENTS)
            transaction.set_rollback(True)
        assert result.created == n, result.errors
        return len(ctx.captured_queries)

    assert run(100, "b.csv") - run(10, "a.csv") < 90 / 10


def test_overdue_check_counts_the_imported_payments(tmp_path, household, users, monkeypatch):
    """Every period due so far paid by the import: the commitment is not overdue any more."""
    monkeypatch.setattr(sheets, "BATCH", 7)
    promise = testing.make_commitment(
        household, start=START, end_date=datetime.date(2020, 8, 31)
    )  # 12 periods
    assert list(overdue_commitments(users["admin"], {})) == [promise]
    result = sheets.import_sheet(write(tmp_path, rows(promise, range(11))), PAYMENTS)
    assert result.created == 11
    assert list(overdue_commitments(users["admin"], {})) == [promise]  # one period left
    result = sheets.import_sheet(write(tmp_path, rows(promise, [11]), "last.csv"), PAYMENTS)
    assert result.created == 1
    assert list(overdue_commitments(users["admin"], {})) == []
