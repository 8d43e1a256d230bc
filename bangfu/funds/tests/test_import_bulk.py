"""The allocations import writes set-based (`Layout.bulk_writer` →
`allocations.save_new_allocations`): batches of new rows checked in file order with the same
spending rules as `allocate()`, then written in a few statements — the same records, totals,
pool entries, balances and audit entries as the row-by-row path, a query count that does not
grow with the rows, row-numbered errors, and all or nothing unless partial."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from bangfu.core.models import AuditEntry
from bangfu.funds import testing
from bangfu.funds.models import Allocation, FundPool, PoolEntry
from bangfu.funds.services import allocations, layouts, sheets
from bangfu.funds.services.importer import import_funds
from bangfu.funds.services.reconcile import reconcile

pytestmark = pytest.mark.django_db

HEADER = "资金来源,资金池,拨付类型,户编号,金额,拨付日期,用途\n"


def rows(household, n: int, amount: str = "100", origin: str = "source") -> str:
    source, pool = ("产业补贴资金", "") if origin == "source" else ("", "危房改造资金池")
    return "".join(
        f"{source},{pool},补贴,{household.household_no},{amount},2020-05-{1 + i % 28:02d},"
        f"产业补贴{i}\n"
        for i in range(n)
    )


def write(tmp_path, text: str, name: str = "a.csv"):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    return path


@pytest.fixture
def source(regions):
    return testing.make_source("1000.00", name="产业补贴资金")


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 3 rows, so a test's few rows cross batch boundaries."""
    monkeypatch.setattr(sheets, "BATCH", 3)


def test_rows_after_the_source_runs_out_are_refused_across_batches(
    tmp_path, household, source, small_batches
):
    """Ten rows of 100 then 1 yuan against a source of 1,000: the 10 first fit, the 11th (row 12)
    does not; rows of later batches see the spending of earlier ones."""
    path = write(tmp_path, rows(household, 10) + rows(household, 1, "1"))
    result = import_funds(path, "allocations")
    assert [(e.row, e.column) for e in result.errors] == [(12, "金额")]
    assert "只剩0.00元" in result.errors[0].reason
    assert not Allocation.objects.exists()  # all or nothing
    result = import_funds(path, "allocations", partial=True)
    assert result.created == 10 and [e.row for e in result.errors] == [12]
    assert allocations.source_remaining(source) == Decimal("0.00")
    assert [d for d in reconcile() if d.kind in ("allocation_totals", "source_overspent")] == []


def test_pool_rows_write_their_outflows_balance_and_audit(tmp_path, household, small_batches):
    pool = testing.make_pool(name="危房改造资金池")
    testing.fill_pool(pool, "1000.00")
    audited = AuditEntry.objects.count()
    result = import_funds(write(tmp_path, rows(household, 7, "100", "pool")), "allocations")
    assert result.exit_code == 0 and result.created == 7, result.errors
    pool.refresh_from_db()
    assert pool.balance == Decimal("300.00")
    outflows = PoolEntry.objects.filter(pool=pool, direction="out")
    assert outflows.count() == 7
    assert set(outflows.values_list("allocation__amount", flat=True)) == {Decimal("100.00")}
    new = AuditEntry.objects.order_by("pk")[audited:]
    assert [e.object_type for e in new].count("funds.allocation") == 7
    assert [e.object_type for e in new].count("funds.poolentry") == 7
    entry = next(e for e in new if e.object_type == "funds.allocation")
    assert entry.source == "import" and entry.object_id == str(
        Allocation.objects.order_by("pk").first().pk
    )
    assert entry.after["amount"] == "100" and entry.after["region_id"] == household.region_id
    assert [d for d in reconcile() if d.kind in ("pool_balance", "pool_entry")] == []
    # the same file again: every row matches its allocation, nothing is written
    again = import_funds(write(tmp_path, rows(household, 7, "100", "pool")), "allocations")
    assert (again.created, again.unchanged) == (0, 7)


def test_bad_rows_are_named_and_the_good_ones_kept_with_partial(tmp_path, household, source):
    text = (
        rows(household, 2)
        + f"产业补贴资金,,补贴,{household.household_no},-5,2020-05-01,负数\n"
        + f"产业补贴资金,,项目资金,{household.household_no},10,2020-05-01,项目资金无项目\n"
        + rows(household, 1, "0.001")
    )
    result = import_funds(write(tmp_path, text), "allocations", partial=True)
    errors = {(e.row, e.column) for e in result.errors}
    assert (4, "金额") in errors and (6, "金额") in errors
    assert any(e.row == 5 and "项目" in e.reason for e in result.errors)
    assert result.created == 2 and Allocation.objects.count() == 2
    # in file order, although row 6 was refused when read and rows 4–5 when their batch was
    # written
    rows_named = [e.row for e in result.errors]
    assert rows_named == sorted(rows_named) and rows_named[-1] == 6


def test_query_count_grows_far_slower_than_the_rows(tmp_path, household, regions):
    """Row by row, an allocation took about twelve queries; set-based, 190 more rows cost a
    few more INSERT statements (SQLite's parameter limit splits them), not one query each."""
    testing.make_source("1000000.00", name="产业补贴资金")

    def queries(n: int, tag: str) -> int:
        path = write(tmp_path, rows(household, n, tag), name=f"{n}.csv")
        with CaptureQueriesContext(connection) as ctx:
            result = import_funds(path, "allocations")
        assert result.created == n, result.errors
        return len(ctx.captured_queries)

    few, many = queries(10, "2"), queries(200, "3")
    assert many - few < 190 / 10


def test_a_batch_the_database_refuses_is_written_row_by_row(
    tmp_path, household, source, monkeypatch
):
    """Should the set-based write hit a constraint the rules did not foresee, the batch is
    rolled back to its savepoint and written row by row: the rows are still written (or
    refused one by one), nothing twice."""
    calls = []

    def refusing(objs):
        calls.append(len(objs))
        allocations.save_new_allocations(objs)  # writes, then the database "refuses"
        raise IntegrityError("simulated")

    monkeypatch.setattr(layouts.ALLOCATIONS, "bulk_writer", refusing)
    result = import_funds(write(tmp_path, rows(household, 4)), "allocations")
    assert calls == [4]
    assert result.exit_code == 0 and result.created == 4, result.errors
    assert Allocation.objects.count() == 4
    assert allocations.source_remaining(source) == Decimal("600.00")
    assert [d for d in reconcile() if d.kind == "allocation_totals"] == []
    assert FundPool.objects.count() == 0
