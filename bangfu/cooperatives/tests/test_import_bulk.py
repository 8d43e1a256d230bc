"""The memberships and dividends imports write set-based (`Layout.bulk_writer` →
`services.cooperatives.save_new_memberships` / `save_new_dividends`): batches of new rows
checked by the same rules as a row written alone, then written in a few statements — the same
records, `poor` copies, dividend totals and audit entries as the row-by-row path, the same
row-numbered errors, a query count that does not grow with the rows, all or nothing unless
partial."""

import dataclasses
import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from bangfu.cooperatives import testing
from bangfu.cooperatives.models import Dividend, DividendTotal, Membership
from bangfu.cooperatives.services import cooperatives, layouts
from bangfu.core.models import AuditEntry
from bangfu.core.testing import make_household
from bangfu.funds.services import sheets
from bangfu.funds.services.layouts import households
from bangfu.funds.services.reconcile import reconcile
from bangfu.registry.choices import Category
from bangfu.registry.copies import check_household_copies
from bangfu.registry.models import Household

pytestmark = pytest.mark.django_db
D = datetime.date

# The row-by-row path as it was: each row through `cooperatives.save` (`full_clean()`, the
# audited save), and for dividends the membership looked up with a query per row.
MEMBERSHIPS_ROW_BY_ROW = dataclasses.replace(layouts.MEMBERSHIPS, bulk_writer=None)
DIVIDENDS_ROW_BY_ROW = dataclasses.replace(
    layouts.DIVIDENDS,
    bulk_writer=None,
    resolvers={**layouts.COOP_RESOLVERS, "household": households},
)

MEMBERSHIP_FIELDS = ("cooperative_id", "household_id", "name", "shares", "joined", "left", "poor")
DIVIDEND_FIELDS = ("cooperative_id", "membership_id", "year", "amount", "paid_on")


def write(tmp_path, text: str, name: str = "a.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(result) -> list[tuple]:
    """(row, column) of each error, in file order."""
    return sorted((e.row, e.column) for e in result.errors)


def totals() -> dict:
    return {
        (t.county, t.year): (t.count, t.amount_cents)
        for t in DividendTotal.objects.all()
        if t.count or t.amount_cents
    }


def nothing_to_reconcile() -> None:
    assert set(check_household_copies().values()) == {0}
    assert [d for d in reconcile() if d.kind == "year_totals"] == []


class _Undo(Exception):
    pass


def imported(path, layout, fields, **kwargs) -> dict:
    """Import `path` with `layout`, note everything it wrote — the records' values (without
    ids), the errors, its audit entries, the dividend totals, the copies' check — and undo it
    all, so that the other path starts from the same state."""
    model = layout.model
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    seen: dict = {}
    try:
        with transaction.atomic():
            result = sheets.import_sheet(path, layout, **kwargs)
            seen["result"] = (result.created, result.updated, result.unchanged)
            # (sorted: a batch's refusals are reported when it is written, after the refusals
            # of the references of later rows)
            seen["errors"] = sorted((e.row, e.column, e.value, e.reason) for e in result.errors)
            seen["records"] = list(model.objects.order_by("pk").values_list(*fields))
            entries = AuditEntry.objects.filter(pk__gt=last).order_by("pk")
            seen["audit"] = [
                (e.action, e.object_type, e.object_repr, e.subject_type, e.subject_id, e.after)
                for e in entries
            ]
            seen["totals"] = totals()
            nothing_to_reconcile()
            raise _Undo
    except _Undo:
        pass
    return seen


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 3 rows, so a test's few rows cross batch boundaries."""
    monkeypatch.setattr(sheets, "BATCH", 3)


@pytest.fixture
def coops(regions):
    """Two cooperatives of 龙州 and one of 钟山."""
    return {
        "甲": testing.make_cooperative("451423100201", name="甲合作社"),
        "乙": testing.make_cooperative("451423100202", name="乙合作社"),
        "丙": testing.make_cooperative("451122100201", name="丙合作社"),
    }


@pytest.fixture
def homes(regions):
    """Households of 龙州 — two registered poor, one 一般农户 — and one of 钟山."""
    made = {
        "poor": make_household("451423100201"),
        "dibao": make_household("451423100202"),
        "farmer": make_household("451423100201"),
        "far": make_household("451122100201"),
    }
    Household.objects.filter(pk=made["dibao"].pk).update(category=Category.DIBAO)
    Household.objects.filter(pk=made["farmer"].pk).update(category=Category.NON_POOR)
    for h in made.values():
        h.refresh_from_db()
    return made


MEMBERSHIP_HEADER = "合作社名称,户编号,社员姓名,入股金额,入社日期,退社日期\n"


def membership_rows(homes) -> str:
    """Good rows (poor, dibao and non-poor households, people by name, two equal rows) and
    refused ones (rows 8–13), in both counties."""
    p, d, f, far = (homes[k].household_no for k in ("poor", "dibao", "farmer", "far"))
    return MEMBERSHIP_HEADER + (
        f"甲合作社,{p},,1000,2018-03-01,\n"  # 2
        f"甲合作社,{f},,500.50,2018-03-01,2020-12-31\n"  # 3
        f"乙合作社,{d},,0,2019-01-01,\n"  # 4
        "甲合作社,,韦大山,5000,2017-06-01,\n"  # 5
        "甲合作社,,韦大山,5000,2017-06-01,\n"  # 6: a second, equal membership
        f"丙合作社,{far},,800,2018-01-01,\n"  # 7
        "甲合作社,,,100,2018-01-01,\n"  # 8: neither household nor name
        "甲合作社,,李四,-5,2018-01-01,\n"  # 9: negative shares
        "甲合作社,,王五,100,2019-05-01,2019-01-01\n"  # 10: left before joining
        f"甲合作社,{far},,100,2018-01-01,\n"  # 11: a household of another county
        f"甲合作社,,{'长' * 51},100,2018-01-01,\n"  # 12: a name too long
        "甲合作社,,赵六,1000000000,2018-01-01,\n"  # 13: absurd shares
        f"乙合作社,{p},,300,2019-02-01,\n"  # 14
    )


def test_memberships_set_based_equal_row_by_row(tmp_path, coops, homes, small_batches):
    """The same file (good and bad rows, several batches) through both paths: the same
    memberships with the same `poor` copies, the same errors, the same audit entries."""
    path = write(tmp_path, membership_rows(homes))
    fast = imported(path, layouts.MEMBERSHIPS, MEMBERSHIP_FIELDS, partial=True)
    slow = imported(path, MEMBERSHIPS_ROW_BY_ROW, MEMBERSHIP_FIELDS, partial=True)
    assert fast == slow
    assert fast["result"] == (7, 0, 0)
    assert [r[-1] for r in fast["records"]] == [True, False, True, False, False, True, True]
    assert len(fast["audit"]) == 7
    assert {e[1] for e in fast["audit"]} == {"cooperatives.membership"}
    assert "poor" not in fast["audit"][0][-1]  # a copy: not audited
    assert [e[0] for e in fast["errors"]] == [8, 9, 10, 11, 12, 13]


def test_memberships_refusals_name_row_and_column(tmp_path, coops, homes):
    path = write(tmp_path, membership_rows(homes))
    result = sheets.import_sheet(path, layouts.MEMBERSHIPS)
    assert errors(result) == [
        (8, "户编号"),
        (9, "入股金额"),
        (10, "退社日期"),
        (11, "户编号"),
        (12, "社员姓名"),
        (13, "入股金额"),
    ]
    reasons = [e.reason for e in sorted(result.errors, key=lambda e: e.row)]
    assert "请选择建档立卡户，或为非建档立卡社员填写姓名" in reasons[0]
    assert "金额不能为负数" in reasons[1]
    assert "早于开始日期" in reasons[2]
    assert "该户不在合作社所在县" in reasons[3]
    assert "50" in reasons[4]
    assert "超出合理范围" in reasons[5]
    assert not Membership.objects.exists() and result.created == 0  # all or nothing
    assert not AuditEntry.objects.filter(object_type="cooperatives.membership").exists()

    result = sheets.import_sheet(path, layouts.MEMBERSHIPS, partial=True)
    assert result.created == 7 and len(result.errors) == 6
    assert Membership.objects.filter(poor=True).count() == 4
    nothing_to_reconcile()
    # the same file again: every good row matches its membership, nothing is written
    again = sheets.import_sheet(path, layouts.MEMBERSHIPS, partial=True)
    assert (again.created, again.unchanged) == (0, 7)


@pytest.fixture
def members(coops, homes):
    """Memberships the dividends are paid to: the poor household in 甲 from 2018 and in 乙 from
    2019, the non-poor one in 甲 2018–2019, 韦大山 in 甲 twice (2015–2016, then from 2019) and
    the 钟山 household and 黄七 in 丙."""
    a, b, c = coops["甲"], coops["乙"], coops["丙"]
    return [
        testing.make_member(a, homes["poor"], joined=D(2018, 3, 1)),
        testing.make_member(b, homes["poor"], joined=D(2019, 2, 1)),
        testing.make_member(a, homes["farmer"], joined=D(2018, 3, 1), left=D(2019, 12, 31)),
        testing.make_member(a, None, name="韦大山", joined=D(2015, 1, 1), left=D(2016, 6, 30)),
        testing.make_member(a, None, name="韦大山", joined=D(2019, 1, 1)),
        testing.make_member(c, homes["far"], joined=D(2018, 1, 1)),
        testing.make_member(c, None, name="黄七", joined=D(2018, 1, 1)),
        # a second membership of the poor household in 甲, running too from 2019: a dividend
        # goes to the first one (by id), as the row-by-row lookup chose
        testing.make_member(a, homes["poor"], joined=D(2019, 6, 1)),
    ]


DIVIDEND_HEADER = "合作社名称,户编号,社员姓名,分红年度,分红金额,发放日期\n"


def dividend_rows(homes) -> str:
    p, f, far = (homes[k].household_no for k in ("poor", "farmer", "far"))
    return DIVIDEND_HEADER + (
        f"甲合作社,{p},,2019,480.00,2020-01-15\n"  # 2
        f"甲合作社,{p},,2020,500.25,\n"  # 3
        f"乙合作社,{p},,2019,100,2020-01-20\n"  # 4
        f"甲合作社,{f},,2019,300,\n"  # 5
        "甲合作社,,韦大山,2016,50,\n"  # 6: his first membership
        "甲合作社,,韦大山,2020,2400,\n"  # 7: his second
        f"丙合作社,{far},,2019,700,\n"  # 8: 钟山
        "丙合作社,,黄七,2019,70.10,\n"  # 9
        f"甲合作社,{f},,2020,300,\n"  # 10: left in 2019
        f"乙合作社,{p},,2018,100,\n"  # 11: joined 乙 in 2019
        "甲合作社,,韦大山,2017,50,\n"  # 12: not a member between his two memberships
        f"乙合作社,{far},,2019,100,\n"  # 13: never a member of 乙
        "甲合作社,,张三,2019,100,\n"  # 14: no such member
        f"甲合作社,{p},,2019,0,\n"  # 15: nothing paid
        f"甲合作社,{p},,2019,-1,\n"  # 16: negative
        "甲合作社,,,2019,100,\n"  # 17: neither household nor name
        f"甲合作社,{p},,2019,480.00,2020-01-15\n"  # 18: a second, equal dividend
    )


def test_dividends_set_based_equal_row_by_row(tmp_path, members, homes, small_batches):
    """The same file through both paths (the row-by-row one as it was, a membership query per
    row): the same dividends to the same memberships, the same errors, the same totals per
    county and year, the same audit entries."""
    path = write(tmp_path, dividend_rows(homes))
    fast = imported(path, layouts.DIVIDENDS, DIVIDEND_FIELDS, partial=True)
    slow = imported(path, DIVIDENDS_ROW_BY_ROW, DIVIDEND_FIELDS, partial=True)
    assert fast == slow
    assert fast["result"] == (9, 0, 0)
    paid_to = [r[1] for r in fast["records"]]
    m = [x.pk for x in members]
    assert paid_to == [m[0], m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[0]]
    assert fast["totals"] == {
        ("451423", 2016): (1, 5000),
        ("451423", 2019): (4, 48000 + 10000 + 30000 + 48000),
        ("451423", 2020): (2, 50025 + 240000),
        ("451122", 2019): (2, 70000 + 7010),
    }
    assert [e[1] for e in fast["audit"]] == ["cooperatives.dividend"] * 9
    assert fast["audit"][0][2:5] == (
        f"{homes['poor'].household_no} · 2019 · 480.00",
        "cooperatives.cooperative",
        str(members[0].cooperative_id),
    )
    assert [e[0] for e in fast["errors"]] == list(range(10, 18))


def test_dividend_refusals_name_row_and_column(tmp_path, members, homes):
    path = write(tmp_path, dividend_rows(homes))
    result = sheets.import_sheet(path, layouts.DIVIDENDS)
    assert errors(result) == [
        (10, "户编号"),
        (11, "户编号"),
        (12, "社员姓名"),
        (13, "户编号"),
        (14, "社员姓名"),
        (15, "分红金额"),
        (16, "分红金额"),
        (17, "户编号"),
    ]
    reasons = [e.reason for e in sorted(result.errors, key=lambda e: e.row)]
    assert f"{homes['farmer'].household_no}在2020年不是甲合作社的社员，不能分红" == reasons[0]
    assert "在2018年不是乙合作社的社员" in reasons[1]
    assert "韦大山在2017年不是甲合作社的社员" in reasons[2]
    assert "张三在2019年不是甲合作社的社员" in reasons[4]
    assert "金额必须大于 0" in reasons[5] and "金额不能为负数" in reasons[6]
    assert "请填写户编号，或非建档立卡社员的姓名" in reasons[7]
    assert not Dividend.objects.exists() and totals() == {}  # all or nothing
    assert not AuditEntry.objects.filter(object_type="cooperatives.dividend").exists()

    result = sheets.import_sheet(path, layouts.DIVIDENDS, partial=True)
    assert result.created == 9 and len(result.errors) == 8
    assert Dividend.objects.count() == 9
    assert totals()[("451122", 2019)] == (2, 77010)
    nothing_to_reconcile()


def test_dividends_across_batches_keep_the_rules_totals_and_matches(
    tmp_path, members, homes, small_batches
):
    """Neither layout has a rule on the earlier rows of the same file; with batches of 3 the
    member rule holds in every batch, the errors keep file order, each batch adds to the totals,
    and a second import matches the dividends of every batch, writing only its new rows."""
    p = homes["poor"].household_no
    text = DIVIDEND_HEADER + "".join(f"甲合作社,{p},,{2018 + i % 3},{10 + i},\n" for i in range(8))
    text += f"甲合作社,{p},,2017,5,\n"  # row 10: joined in 2018
    path = write(tmp_path, text)
    result = sheets.import_sheet(path, layouts.DIVIDENDS, partial=True)
    assert result.created == 8 and errors(result) == [(10, "户编号")]
    assert totals() == {
        ("451423", 2018): (3, (10 + 13 + 16) * 100),
        ("451423", 2019): (3, (11 + 14 + 17) * 100),
        ("451423", 2020): (2, (12 + 15) * 100),
    }
    more = text + f"甲合作社,{p},,2019,99,\n甲合作社,{p},,2018,10,\n"  # new, and a second 10
    again = sheets.import_sheet(write(tmp_path, more, "b.csv"), layouts.DIVIDENDS, partial=True)
    assert (again.created, again.unchanged, errors(again)) == (2, 8, [(10, "户编号")])
    assert totals()[("451423", 2018)] == (4, (10 + 13 + 16 + 10) * 100)
    assert totals()[("451423", 2019)] == (4, (11 + 14 + 17 + 99) * 100)
    nothing_to_reconcile()


def test_query_count_grows_far_slower_than_the_rows(tmp_path, coops):
    """Row by row a membership or a dividend took about ten queries (a savepoint, the foreign
    keys, the copy, the audit entry, the totals, the membership lookup); set-based, 190 more
    rows cost a few more statements, not one each."""

    def queries(layout, text: str, n: int, name: str) -> int:
        path = write(tmp_path, text, name)
        with CaptureQueriesContext(connection) as ctx:
            result = sheets.import_sheet(path, layout)
        assert result.created == n, result.errors
        return len(ctx.captured_queries)

    def people(n: int, tag: str) -> str:
        rows = "".join(f"甲合作社,,{tag}{i},100,2018-01-01,\n" for i in range(n))
        return MEMBERSHIP_HEADER + rows

    few = queries(layouts.MEMBERSHIPS, people(10, "甲"), 10, "m10.csv")
    many = queries(layouts.MEMBERSHIPS, people(200, "乙"), 200, "m200.csv")
    assert many - few < 190 / 10

    def paid(n: int, year: int) -> str:
        rows = "".join(f"甲合作社,,乙{i},{year},{100 + i},\n" for i in range(n))
        return DIVIDEND_HEADER + rows

    few = queries(layouts.DIVIDENDS, paid(10, 2019), 10, "d10.csv")
    many = queries(layouts.DIVIDENDS, paid(200, 2020), 200, "d200.csv")
    assert many - few < 190 / 10
    assert Dividend.objects.filter(cooperative=coops["甲"]).count() == 210
    nothing_to_reconcile()


def test_a_dividend_batch_the_database_refuses_is_written_row_by_row(
    tmp_path, members, homes, monkeypatch
):
    """Should the set-based write hit a constraint the rules did not foresee, the batch goes
    back to its savepoint — its totals and audit entries with it — and is written row by row:
    each dividend once, the totals counted once."""
    calls = []

    def refusing(objs):
        calls.append(len(objs))
        cooperatives.save_new_dividends(objs)  # writes, then the database "refuses"
        raise IntegrityError("simulated")

    monkeypatch.setattr(layouts.DIVIDENDS, "bulk_writer", refusing)
    p = homes["poor"].household_no
    path = write(tmp_path, DIVIDEND_HEADER + f"甲合作社,{p},,2019,10,\n甲合作社,{p},,2019,20,\n")
    result = sheets.import_sheet(path, layouts.DIVIDENDS)
    assert calls == [2] and result.created == 2 and result.ok, result.errors
    assert totals() == {("451423", 2019): (2, 3000)}
    assert AuditEntry.objects.filter(object_type="cooperatives.dividend").count() == 2
    nothing_to_reconcile()
