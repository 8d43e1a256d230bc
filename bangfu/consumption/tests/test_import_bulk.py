"""The purchases import writes set-based (`PURCHASES.bulk_writer` →
`purchases.save_new_purchases`): the same purchases (a cooperative's purchase takes the
cooperative's village), audit entries and refusals, with the same messages, as the row-by-row
path; a query count that does not grow with the rows; the imported purchases in the village
users' scope."""

import dataclasses

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bangfu.assistance import testing as assistance_testing
from bangfu.consumption.models import Purchase
from bangfu.consumption.services import purchases
from bangfu.consumption.services.layouts import PURCHASES
from bangfu.cooperatives import testing as coop_testing
from bangfu.core.models import AuditEntry
from bangfu.funds.services import sheets

pytestmark = pytest.mark.django_db

HEADER = "采购单位,销售村代码,销售合作社,产品,数量,金额,采购日期\n"
ROW_BY_ROW = dataclasses.replace(PURCHASES, bulk_writer=None)
FIELDS = ("unit_id", "village_id", "cooperative_id", "product", "quantity", "amount", "date")


@pytest.fixture
def sellers(regions):
    unit = assistance_testing.make_unit("自治区公安厅")
    coop = coop_testing.make_cooperative("451423100202", name="罗回村百香果合作社")
    return unit, coop


def rows(n: int, village="451423100201", coop="", amount="1200", product="百香果") -> str:
    return "".join(
        f"自治区公安厅,{village},{coop},{product}{i},{i}斤,{amount},2019-10-{1 + i % 28:02d}\n"
        for i in range(n)
    )


def write(tmp_path, text: str, name: str = "p.csv"):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def errors(result):
    """By row: the set-based path reports a batch's refusals when it writes the batch."""
    return sorted((e.row, e.column, e.value, e.reason) for e in result.errors)


def _not_row_by_row(obj):
    raise AssertionError("the set-based path fell back to row by row")


def imported(path, layout, partial=False):
    mark = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = sheets.import_sheet(path, layout, partial=partial)
    records = list(Purchase.objects.order_by("pk").values(*FIELDS))
    audit = [
        (e.action, e.object_repr, e.subject_type, e.after)
        for e in AuditEntry.objects.filter(
            pk__gt=mark, object_type="consumption.purchase"
        ).order_by("pk")
    ]
    return result, records, audit


def both_ways(path, partial=False):
    """The same file set-based (never falling back to row by row) and, from the same state,
    row by row."""
    with transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(purchases, "save", _not_row_by_row)
        bulk = imported(path, PURCHASES, partial)
        transaction.set_rollback(True)
    return bulk, imported(path, ROW_BY_ROW, partial)


def test_set_based_and_row_by_row_write_the_same(tmp_path, sellers, monkeypatch):
    monkeypatch.setattr(sheets, "BATCH", 4)
    _unit, coop = sellers
    path = write(tmp_path, rows(5) + rows(4, village="", coop=coop.name))
    bulk, one_by_one = both_ways(path)
    assert bulk[0].ok and bulk[0].created == one_by_one[0].created == 9
    assert bulk[1] == one_by_one[1] and len(bulk[1]) == 9
    # the cooperative's purchases take its village
    assert [r["village_id"] for r in bulk[1]] == ["451423100201"] * 5 + ["451423100202"] * 4
    assert bulk[2] == one_by_one[2] and len(bulk[2]) == 9
    assert bulk[2][5][3]["village_id"] == "451423100202" and bulk[2][0][3]["amount"] == "1200"


def bad_file(tmp_path, coop) -> str:
    text = (
        rows(1)  # 2: good
        + rows(1, amount="0")  # 3: zero
        + "自治区公安厅,451423100201,,百香果,,100,2099-01-01\n"  # 4: in the future
        + f"自治区公安厅,451423100201,{coop.name},百香果,,100,2019-10-01\n"  # 5: not its village
        + "自治区公安厅,,,百香果,,100,2019-10-01\n"  # 6: no seller
        + "自治区公安厅,451423100,,百香果,,100,2019-10-01\n"  # 7: a township, not a village
        + "不存在的单位,451423100201,,百香果,,100,2019-10-01\n"  # 8: no such unit
        + rows(1, village="", coop=coop.name)  # 9: good
    )
    return write(tmp_path, text)


def test_each_rule_is_reported_on_its_row_and_column(tmp_path, sellers):
    _unit, coop = sellers
    bulk, one_by_one = both_ways(bad_file(tmp_path, coop))
    assert errors(bulk[0]) == errors(one_by_one[0])  # the same refusals, the same messages
    found = {(row, column): reason for row, column, _v, reason in errors(bulk[0])}
    assert sorted(found) == [
        (3, "金额"),
        (4, "采购日期"),
        (5, "销售村代码"),
        (6, "销售村代码"),
        (7, "销售村代码"),
        (8, "采购单位"),
    ]
    assert "大于 0" in found[(3, "金额")] and "不能晚于今天" in found[(4, "采购日期")]
    assert "不一致" in found[(5, "销售村代码")] and "请选择销售村" in found[(6, "销售村代码")]
    assert "村级" in found[(7, "销售村代码")] and "找不到" in found[(8, "采购单位")]
    assert bulk[1] == one_by_one[1] == []  # all or nothing
    assert bulk[2] == one_by_one[2] == []


def test_partial_keeps_the_good_rows(tmp_path, sellers):
    _unit, coop = sellers
    bulk, one_by_one = both_ways(bad_file(tmp_path, coop), partial=True)
    assert errors(bulk[0]) == errors(one_by_one[0]) and len(bulk[0].errors) == 6
    assert bulk[0].created == one_by_one[0].created == 2
    assert bulk[1] == one_by_one[1]
    assert [r["village_id"] for r in bulk[1]] == ["451423100201", "451423100202"]
    assert bulk[2] == one_by_one[2] and len(bulk[2]) == 2


def test_query_count_grows_far_slower_than_the_rows(tmp_path, sellers):
    _unit, coop = sellers

    def queries(n: int) -> int:
        text = rows(n // 2, product=f"甲{n}-") + rows(
            n - n // 2, village="", coop=coop.name, product=f"乙{n}-"
        )
        with CaptureQueriesContext(connection) as ctx:
            result = sheets.import_sheet(write(tmp_path, text, f"{n}.csv"), PURCHASES)
        assert result.created == n, result.errors
        return len(ctx.captured_queries)

    few, many = queries(10), queries(200)
    assert many - few < 190 / 10


def test_imported_purchases_are_in_the_village_users_scope(tmp_path, sellers, users):
    """A village user sees the purchases from their village, the cooperative's ones included
    (their village set from the cooperative), and not the other village's."""
    _unit, coop = sellers
    other = coop_testing.make_cooperative("451423100201", name="新联村合作社")
    text = rows(3) + rows(2, village="", coop=other.name) + rows(4, village="", coop=coop.name)
    result = sheets.import_sheet(write(tmp_path, text), PURCHASES)
    assert result.created == 9, result.errors
    assert Purchase.objects.for_user(users["village"]).count() == 5
    assert Purchase.objects.for_user(users["county"]).count() == 9
