"""Maintained allocation totals (`AllocationTotal`, services/totals.py): they follow every write
of an allocation (create, edit, delete, bulk paths, import, API) in the same transaction, the
figures card of a county, city or province reads them and still shows exactly what the records
say, the reconciliation reports totals out of step and `--rebuild-totals` repairs them, and two
concurrent writers on PostgreSQL are both counted."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from bangfu.assistance import testing as assistance_testing
from bangfu.core.figures import Period, region_figures
from bangfu.core.testing import at_once, run_data_migration
from bangfu.funds import testing
from bangfu.funds.choices import AllocationKind
from bangfu.funds.figures import whole_months
from bangfu.funds.models import (
    Allocation,
    AllocationDayTotal,
    AllocationTotal,
    SourceDayTotal,
)
from bangfu.funds.services import allocations, totals
from bangfu.funds.services.importer import import_funds
from bangfu.funds.services.reconcile import reconcile

D = datetime.date
XINLIAN, LUOHUI, DAQIAO = testing.XINLIAN, testing.LUOHUI, "451122100201"


def stored(day: bool = False) -> dict:
    """The month totals (or with `day` the day totals) as {(county, month or day, kind):
    (count, yuan)}, zero rows left out."""
    if day:
        rows = AllocationDayTotal.objects.values_list(
            "county", "day", "kind", "count", "amount_cents"
        )
    else:
        rows = AllocationTotal.objects.values_list(
            "county", "month", "kind", "count", "amount_cents"
        )
    return {(c, d, k): (n, Decimal(cents).scaleb(-2)) for c, d, k, n, cents in rows if n or cents}


def from_records(day: bool = False) -> dict:
    """The same, computed in Python from the allocations (exact Decimal sums)."""
    out: dict = defaultdict(lambda: (0, Decimal("0.00")))
    for region, date, kind, amount in Allocation.objects.values_list(
        "region_id", "date", "kind", "amount"
    ):
        key = (region[:6], date if day else date.replace(day=1), kind)
        n, total = out[key]
        out[key] = (n + 1, total + amount)
    return dict(out)


def in_step() -> dict:
    """The month totals, after checking that both tables match the records."""
    now = stored()
    assert now == from_records()
    assert stored(day=True) == from_records(day=True)
    assert [d for d in reconcile() if d.kind == "allocation_totals"] == []
    return now


def to_household(household, amount, date=testing.DAY, kind=AllocationKind.SUBSIDY, **origin):
    return allocations.allocate(
        amount=Decimal(amount), date=date, purpose="产业补贴", kind=kind, household=household,
        **origin,
    )  # fmt: skip


# --- the totals follow every write ------------------------------------------------------------


@pytest.mark.django_db
def test_totals_follow_create_edit_and_delete(household, far_household):
    source = testing.make_source("100000.00")
    first = to_household(household, "1200.50", D(2020, 3, 31), source=source)
    project = testing.make_project()
    allocations.allocate(
        amount=Decimal("3000"), date=D(2020, 3, 2), purpose="修路", source=source, project=project
    )
    march = D(2020, 3, 1)
    assert in_step() == {
        ("451423", march, "subsidy"): (1, Decimal("1200.50")),
        ("451423", march, "project"): (1, Decimal("3000.00")),
    }
    first.amount = Decimal("1300.25")
    first.save()
    assert in_step()[("451423", march, "subsidy")] == (1, Decimal("1300.25"))
    first.date = D(2020, 4, 1)  # across months: March loses it, April gains it
    first.save()
    now = in_step()
    assert ("451423", march, "subsidy") not in now
    assert now[("451423", D(2020, 4, 1), "subsidy")] == (1, Decimal("1300.25"))
    first.household, first.region_id = far_household, far_household.region_id  # across counties
    first.save()
    now = in_step()
    assert ("451423", D(2020, 4, 1), "subsidy") not in now
    assert now[("451122", D(2020, 4, 1), "subsidy")] == (1, Decimal("1300.25"))
    first.kind = AllocationKind.AWARD
    first.save(update_fields=["kind"])
    assert set(in_step()) == {("451423", march, "project"), ("451122", D(2020, 4, 1), "award")}
    first.purpose = "改了用途"
    first.save(update_fields=["purpose"])  # not a total's field: the totals stay
    first.delete()
    assert in_step() == {("451423", march, "project"): (1, Decimal("3000.00"))}


@pytest.mark.django_db
def test_refused_or_rolled_back_writes_leave_the_totals(household):
    source = testing.make_source("1000.00")
    to_household(household, "600", source=source)
    before = in_step()
    with pytest.raises(Exception):  # noqa: B017 - refused: more than is left
        to_household(household, "400.01", source=source)
    with pytest.raises(RuntimeError), transaction.atomic():
        to_household(household, "100", source=source)
        raise RuntimeError("the page failed after the allocation")
    assert in_step() == before


@pytest.mark.django_db
def test_bulk_create_update_and_delete_move_the_totals(household, other_household, far_household):
    source = testing.make_source("100000.00")
    made = Allocation.objects.bulk_create(
        Allocation(
            source=source,
            kind=AllocationKind.AID,
            household=h,
            region_id=h.region_id,
            date=D(2020, m, 15),
            amount=Decimal(f"{m}00.01"),
            purpose="救助",
        )
        for h in (household, other_household, far_household)
        for m in (1, 2, 3)
    )
    assert len(made) == 9
    now = in_step()
    assert now[("451423", D(2020, 2, 1), "aid")] == (2, Decimal("400.02"))
    assert now[("451122", D(2020, 3, 1), "aid")] == (1, Decimal("300.01"))
    Allocation.objects.filter(date__month=1).update(date=D(2020, 5, 5))
    Allocation.objects.filter(household=far_household).update(kind=AllocationKind.SUBSIDY)
    Allocation.objects.filter(region_id=LUOHUI).update(amount=Decimal("1.00"))
    Allocation.objects.filter(region_id=XINLIAN).update(purpose="只改用途")
    now = in_step()
    assert ("451423", D(2020, 1, 1), "aid") not in now
    assert now[("451423", D(2020, 5, 1), "aid")] == (2, Decimal("101.01"))
    assert now[("451122", D(2020, 2, 1), "subsidy")] == (1, Decimal("200.01"))
    deleted, _ = Allocation.objects.filter(region_id=XINLIAN).delete()
    assert deleted == 3
    household.fund_allocations.all().delete()  # the related manager is the same queryset
    now = in_step()
    assert sum(n for n, _ in now.values()) == 6


@pytest.mark.django_db
def test_import_and_api_writes_move_the_totals(tmp_path, household, other_household, users):
    pool = testing.make_pool(name="危房改造资金池")
    testing.fill_pool(pool, "1000.00")
    path = tmp_path / "allocations.csv"
    path.write_text(
        "资金池,拨付类型,户编号,金额,拨付日期,用途\n"
        f"危房改造资金池,救助,{household.household_no},600,2020-05-01,危房改造\n"
        f"危房改造资金池,救助,{other_household.household_no},300.5,2020-06-30,危房改造\n",
        encoding="utf-8",
    )
    assert import_funds(path, "allocations").exit_code == 0
    assert in_step() == {
        ("451423", D(2020, 5, 1), "aid"): (1, Decimal("600.00")),
        ("451423", D(2020, 6, 1), "aid"): (1, Decimal("300.50")),
    }
    client = APIClient()
    client.force_authenticate(users["county"])
    response = client.post(
        "/api/funds/allocations/",
        {
            "pool": pool.pk,
            "kind": "subsidy",
            "household": other_household.pk,
            "amount": "99.50",
            "date": "2020-06-01",
            "purpose": "产业补贴",
        },
    )
    assert response.status_code == 201, response.json()
    assert in_step()[("451423", D(2020, 6, 1), "subsidy")] == (1, Decimal("99.50"))
    refused = client.post(
        "/api/funds/allocations/",
        {
            "pool": pool.pk,
            "kind": "subsidy",
            "household": other_household.pk,
            "amount": "0.01",
            "date": "2020-06-01",
            "purpose": "产业补贴",
        },
    )
    assert refused.status_code == 400  # the pool is empty: nothing written, totals unchanged
    assert sum(n for n, _ in in_step().values()) == 3


@pytest.mark.django_db
def test_migration_fills_the_totals_from_existing_allocations(household, far_household):
    source = testing.make_source("100000.00")
    to_household(household, "10.01", D(2020, 1, 31), source=source)
    to_household(far_household, "20.02", D(2020, 2, 1), source=source)
    to_household(far_household, "30.03", D(2020, 2, 29), source=source)
    expected = in_step()
    AllocationTotal.objects.all().delete()
    run_data_migration("bangfu.funds.migrations.0002_allocationtotal")
    assert (
        stored()
        == expected
        == {
            ("451423", D(2020, 1, 1), "subsidy"): (1, Decimal("10.01")),
            ("451122", D(2020, 2, 1), "subsidy"): (2, Decimal("50.05")),
        }
    )


@pytest.mark.django_db
def test_migration_fills_the_day_totals_from_existing_records(household, far_household):
    source = testing.make_source("100000.00")
    to_household(household, "10.01", D(2020, 1, 31), source=source)
    to_household(far_household, "20.02", D(2020, 2, 1), source=source)
    to_household(far_household, "30.03", D(2020, 2, 1), source=source)
    in_step()
    days, sources = stored(day=True), set(SourceDayTotal.objects.values_list("county", "day"))
    AllocationDayTotal.objects.all().delete()
    SourceDayTotal.objects.all().delete()
    run_data_migration("bangfu.funds.migrations.0004_daytotals")
    assert (
        stored(day=True)
        == days
        == {
            ("451423", D(2020, 1, 31), "subsidy"): (1, Decimal("10.01")),
            ("451122", D(2020, 2, 1), "subsidy"): (2, Decimal("50.05")),
        }
    )
    assert set(SourceDayTotal.objects.values_list("county", "day")) == sources != set()


# --- the figures card reads them --------------------------------------------------------------


def allocation_figures(code: str, user, period: Period) -> dict:
    """The card's allocation figures: {label: value}."""
    return {
        f.label: f.value
        for s in region_figures(code, user, period)
        if s.key == "funds"
        for f in s.figures
        if f.label.startswith("拨付")
    }


def expected_figures(prefix: str, period: Period) -> dict:
    """What the records say, straight from the rows in Python."""
    by_kind: dict = {}
    for region, date, kind, amount in Allocation.objects.values_list(
        "region_id", "date", "kind", "amount"
    ):
        if not region.startswith(prefix):
            continue
        if (period.start and date < period.start) or (period.end and date > period.end):
            continue
        by_kind[kind] = by_kind.get(kind, Decimal("0.00")) + amount
    out = {"拨付合计": sum(by_kind.values(), Decimal("0.00"))}
    for kind, total in by_kind.items():
        out[f"拨付 · {AllocationKind(kind).label}"] = total
    return out


@pytest.fixture
def spread(household, far_household):
    """Households in 龙州县 and 钟山县, a project and a source large enough for any example."""
    return household, far_household, testing.make_source("9000000000.00"), testing.make_project()


DAYS = st.dates(D(2019, 11, 1), D(2021, 2, 28))
EDGE_DAYS = st.sampled_from(
    [D(2020, 1, 1), D(2020, 1, 31), D(2020, 2, 1), D(2020, 2, 29), D(2020, 3, 1), D(2020, 12, 31)]
)
ALLOCATIONS = st.lists(
    st.tuples(
        st.sampled_from([XINLIAN, LUOHUI, DAQIAO, "451423", "4514", "45"]),  # some above county
        st.one_of(DAYS, EDGE_DAYS),
        st.sampled_from(AllocationKind.values),
        st.integers(min_value=1, max_value=10**9),  # cents
    ),
    max_size=25,
)
PERIODS = st.tuples(st.none() | DAYS | EDGE_DAYS, st.none() | DAYS | EDGE_DAYS)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ALLOCATIONS, periods=st.lists(PERIODS, min_size=1, max_size=4))
def test_card_from_totals_equals_the_records(spread, users, rows, periods):
    """Any allocations (some recorded above county level, as raw data can be), any period —
    open, cutting months or within one month: the card of the province, a city and a county
    shows exactly what a direct aggregate of the records shows, for the administrator and for
    a county user."""
    household, _, source, project = spread
    Allocation.objects.all().delete()
    Allocation.objects.bulk_create(
        Allocation(
            source=source,
            kind=kind,
            project=project if kind == AllocationKind.PROJECT else None,
            household=household if kind != AllocationKind.PROJECT else None,
            region_id=region,
            date=date,
            amount=Decimal(cents).scaleb(-2),
            purpose="测试",
        )
        for region, date, kind, cents in rows
    )
    for start, end in periods:
        if start and end and start > end:
            start, end = end, start
        period = Period(start, end)
        for code in ("45", "4514", "451423", "451122", XINLIAN):
            assert allocation_figures(code, users["admin"], period) == expected_figures(
                code, period
            ), (code, period)
        # a county user asking for the province sees their county's records only
        assert allocation_figures("45", users["county"], period) == expected_figures(
            "451423", period
        )
        assert allocation_figures("451122", users["county"], period) == {"拨付合计": 0}


def test_whole_months_of_a_period():
    assert whole_months(Period()) == (None, None)
    assert whole_months(Period(D(2020, 1, 1), D(2020, 3, 31))) == (D(2020, 1, 1), D(2020, 4, 1))
    assert whole_months(Period(D(2020, 1, 2), D(2020, 3, 30))) == (D(2020, 2, 1), D(2020, 3, 1))
    assert whole_months(Period(D(2020, 1, 2), D(2020, 2, 28))) is None  # no whole month
    assert whole_months(Period(D(2020, 1, 15), None)) == (D(2020, 2, 1), None)
    assert whole_months(Period(None, D(2020, 2, 29))) == (None, D(2020, 3, 1))
    assert whole_months(Period(D(2020, 12, 5), D(2021, 1, 31))) == (D(2021, 1, 1), D(2021, 2, 1))


def _allocation_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "funds_allocation" in q["sql"]]


@pytest.mark.django_db
def test_province_card_reads_the_totals_and_no_records(spread, users):
    """Open period: the allocations come from the month totals alone; a period cutting months
    reads its whole months from the month totals and its partial months from the day totals —
    never the allocations, whatever the period."""
    household, _, source, _ = spread
    for month in range(1, 13):
        to_household(household, "100", D(2020, month, 10), source=source)
    with CaptureQueriesContext(connection) as ctx:
        figures = allocation_figures("45", users["admin"], Period())
    assert figures["拨付合计"] == Decimal("1200.00")
    sql = _allocation_queries(ctx.captured_queries)
    assert len(sql) == 1 and "funds_allocationtotal" in sql[0]
    with CaptureQueriesContext(connection) as ctx:
        figures = allocation_figures("45", users["admin"], Period(D(2020, 1, 15), D(2020, 6, 5)))
    assert figures["拨付合计"] == Decimal("400.00")  # February to May; Jan 10, Jun 10 outside
    sql = _allocation_queries(ctx.captured_queries)
    # the whole months, then both partial months in one query of the day totals
    assert len(sql) == 2 and "funds_allocationtotal" in sql[0]
    assert "funds_allocationdaytotal" in sql[1]
    assert not any('"funds_allocation"' in q for q in sql)
    # a period inside one month: the day totals alone; the days at its edges count exactly
    for day, amount in ((14, "1.00"), (15, "2.00"), (20, "4.00"), (21, "8.00")):
        to_household(household, amount, D(2021, 3, day), source=source)
    with CaptureQueriesContext(connection) as ctx:
        figures = allocation_figures("45", users["admin"], Period(D(2021, 3, 15), D(2021, 3, 20)))
    assert figures["拨付合计"] == Decimal("6.00")
    sql = _allocation_queries(ctx.captured_queries)
    assert len(sql) == 1 and "funds_allocationdaytotal" in sql[0]
    # from a day to the open end: the rest of that month from the days, the months after
    figures = allocation_figures("45", users["admin"], Period(D(2021, 3, 20), None))
    assert figures["拨付合计"] == Decimal("12.00")
    figures = allocation_figures("45", users["admin"], Period(None, D(2020, 2, 9)))
    assert figures["拨付合计"] == Decimal("100.00")  # Jan 10 only: Feb 10 is after the end


@pytest.mark.django_db
def test_card_query_count_does_not_grow_with_the_months(spread, users, login):
    household, _, source, _ = spread
    to_household(household, "100", D(2020, 1, 10), source=source)
    client = login(users["admin"])
    url = reverse("funds:region_figures", kwargs={"code": "45"})
    for params in ({}, {"start": "2020-01-15", "end": "2022-06-05"}):
        client.get(url, params)
        with CaptureQueriesContext(connection) as before:
            client.get(url, params)
        for month in range(1, 13):
            to_household(household, "1", D(2021, month, 1), source=source)
        with CaptureQueriesContext(connection) as after:
            client.get(url, params)
        assert len(after.captured_queries) <= len(before.captured_queries), params


@pytest.mark.django_db
def test_unit_user_keeps_the_record_query(household, other_household, users):
    """A unit's staff see the allocations their unit handled (not a region prefix): their card
    counts the records, right even when the totals are damaged."""
    unit = assistance_testing.make_unit("自治区公安厅")
    staff = assistance_testing.make_unit_user("gxgat", unit)
    source = testing.make_source("10000.00")
    to_household(household, "700", source=source, unit=unit)
    to_household(other_household, "300", source=source)  # handled by no unit
    AllocationTotal.objects.update(count=99, amount_cents=1)  # damaged behind the code's back
    AllocationDayTotal.objects.update(count=99, amount_cents=1)
    assert allocation_figures("451423", staff, Period()) == {
        "拨付合计": Decimal("700.00"),
        "拨付 · 补贴": Decimal("700.00"),
    }
    assert allocation_figures("45", staff, Period(D(2020, 1, 1), D(2020, 12, 31))) == {
        "拨付合计": Decimal("700.00"),
        "拨付 · 补贴": Decimal("700.00"),
    }
    # the village user (a prefix longer than a county) counts records too
    assert allocation_figures("451423", users["village"], Period())["拨付合计"] == Decimal("700")


# --- reconciliation and rebuild ---------------------------------------------------------------


@pytest.mark.django_db
def test_reconciliation_reports_damaged_totals_and_rebuild_repairs_them(
    household, far_household, capsys
):
    source = testing.make_source("100000.00")
    to_household(household, "1200.00", D(2020, 3, 5), source=source)
    to_household(household, "800.00", D(2020, 4, 5), source=source)
    to_household(far_household, "50.00", D(2020, 4, 5), source=source)
    call_command("reconcile_funds")
    assert "对账无误" in capsys.readouterr().out
    AllocationTotal.objects.filter(month=D(2020, 3, 1)).update(amount_cents=120001)
    AllocationTotal.objects.filter(county="451122").delete()
    AllocationTotal.objects.create(county="4514", month=D(2019, 1, 1), kind="aid", count=1)
    found = [d for d in reconcile() if d.kind == "allocation_totals"]
    assert len(found) == 3
    damaged = next(d for d in found if "451423 2020-03" in d.message)
    assert "1,200.01元" in damaged.message and "1,200.00元" in damaged.message
    assert "region=451423&kind=subsidy&start=2020-03-01&end=2020-03-31" in damaged.url
    assert len([d for d in reconcile("451122") if d.kind == "allocation_totals"]) == 1
    assert len([d for d in reconcile("451423100201") if d.kind == "allocation_totals"]) == 1
    with pytest.raises(SystemExit) as exc:
        call_command("reconcile_funds")
    assert exc.value.code == 1
    out = capsys.readouterr()
    assert out.out.count("[allocation_totals]") == 3 and "3 处不一致" in out.err
    call_command("reconcile_funds", "--rebuild-totals")
    out = capsys.readouterr().out
    assert "重建月度合计：3 项，日合计：3 项" in out and "对账无误" in out
    in_step()
    from bangfu.core.models import AuditEntry

    assert AuditEntry.objects.filter(object_type="funds.allocationtotal").count() == 1
    assert AuditEntry.objects.filter(object_type="funds.allocationdaytotal").count() == 1


@pytest.mark.django_db
def test_reconciliation_reports_damaged_day_totals(household, far_household, capsys):
    """A day total out of step is reported with its day (and a link to that day's
    allocations) even when its month total is right: the card reads the days for the partial
    months."""
    source = testing.make_source("100000.00")
    to_household(household, "1200.00", D(2020, 3, 5), source=source)
    to_household(household, "800.00", D(2020, 3, 6), source=source)
    assert [d for d in reconcile() if d.kind == "allocation_totals"] == []
    # one allocation's day moved behind the code's back: the month is right, two days are not
    AllocationDayTotal.objects.filter(day=D(2020, 3, 5)).update(day=D(2020, 3, 7))
    found = [d for d in reconcile() if d.kind == "allocation_totals"]
    assert len(found) == 2
    assert all("日合计" in d.message for d in found)
    gone = next(d for d in found if "2020-03-05" in d.message)
    assert "记为0笔" in gone.message and "1笔1,200.00元" in gone.message
    assert "region=451423&kind=subsidy&start=2020-03-05&end=2020-03-05" in gone.url
    assert [d for d in reconcile("451122") if d.kind == "allocation_totals"] == []
    call_command("reconcile_funds", "--rebuild-totals")
    assert "对账无误" in capsys.readouterr().out
    in_step()


# --- two writers at once (PostgreSQL) ---------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers: concurrent transactions need PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing", [False, True], ids=["new-key", "existing-key"])
def test_two_concurrent_allocations_to_one_key_are_both_counted(existing):
    """Two threads, each with its own connection and transaction, allocate to the same county,
    month and kind; both have written their allocation before either touches the totals (a
    barrier), then both add to the same key at once. Both are counted."""
    from bangfu.core.testing import make_household, make_regions

    make_regions()
    household = make_household(XINLIAN)
    sources = [testing.make_source("10000.00") for _ in range(2)]  # no shared row lock
    if existing:
        to_household(household, "1.00", source=testing.make_source("1.00"))
    results = at_once(
        lambda source: to_household(household, "100.00", source=source), sources, totals, "apply"
    )
    assert results == ["ok", "ok"]
    key = ("451423", testing.DAY.replace(day=1), "subsidy")
    expected = (3, Decimal("201.00")) if existing else (2, Decimal("200.00"))
    assert stored()[key] == expected
    assert stored() == from_records()
    assert stored(day=True) == from_records(day=True)
