"""Maintained source totals (`SourceTotal`, services/totals.py, the same mechanism as the
allocation totals): they follow every write of a fund source (create, edit, delete, donations,
bulk paths, API) in the same transaction, the figures card of a county, city or province reads
them for "sources by kind" and still shows exactly what the records say, and the reconciliation
reports totals out of step (`source_totals`) while `--rebuild-totals` repairs them."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from bangfu.core.figures import Period, region_figures
from bangfu.core.testing import run_data_migration
from bangfu.funds import testing
from bangfu.funds.choices import SourceKind
from bangfu.funds.models import Donation, FundSource, SourceDayTotal, SourceTotal
from bangfu.funds.services import funds
from bangfu.funds.services.reconcile import reconcile
from bangfu.regions.models import Region

D = datetime.date
XINLIAN, LUOHUI, DAQIAO = testing.XINLIAN, testing.LUOHUI, "451122100201"
LABELS = {kind.label: kind.value for kind in SourceKind}


def stored(day: bool = False) -> dict:
    """The month totals (or with `day` the day totals) as {(county, month or day, kind):
    (count, yuan)}, zero rows left out."""
    if day:
        rows = SourceDayTotal.objects.values_list("county", "day", "kind", "count", "amount_cents")
    else:
        rows = SourceTotal.objects.values_list("county", "month", "kind", "count", "amount_cents")
    return {(c, d, k): (n, Decimal(cents).scaleb(-2)) for c, d, k, n, cents in rows if n or cents}


def from_records(day: bool = False) -> dict:
    """The same, computed in Python from the sources (exact Decimal sums)."""
    out: dict = defaultdict(lambda: (0, Decimal("0.00")))
    for region, date, kind, amount in FundSource.objects.values_list(
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
    assert [d for d in reconcile() if d.kind == "source_totals"] == []
    return now


# --- the totals follow every write ------------------------------------------------------------


@pytest.mark.django_db
def test_totals_follow_create_edit_and_delete(regions):
    march = D(2020, 3, 1)
    first = testing.make_source("1200.50", date=D(2020, 3, 31))
    testing.make_source("3000", kind=SourceKind.UNIT, date=D(2020, 3, 2))
    assert in_step() == {
        ("451423", march, "fiscal"): (1, Decimal("1200.50")),
        ("451423", march, "unit"): (1, Decimal("3000.00")),
    }
    first.amount = Decimal("1300.25")
    funds.save_source(first)
    assert in_step()[("451423", march, "fiscal")] == (1, Decimal("1300.25"))
    first.date = D(2020, 4, 1)  # across months: March loses it, April gains it
    funds.save_source(first)
    now = in_step()
    assert ("451423", march, "fiscal") not in now
    assert now[("451423", D(2020, 4, 1), "fiscal")] == (1, Decimal("1300.25"))
    first.region = Region.objects.get(pk=DAQIAO)  # across counties
    funds.save_source(first)
    assert in_step()[("451122", D(2020, 4, 1), "fiscal")] == (1, Decimal("1300.25"))
    first.kind = SourceKind.CREDIT
    first.save(update_fields=["kind"])
    assert set(in_step()) == {("451423", march, "unit"), ("451122", D(2020, 4, 1), "credit")}
    first.note = "改了备注"
    first.save(update_fields=["note"])  # not a total's field: the totals stay
    first.delete()
    assert in_step() == {("451423", march, "unit"): (1, Decimal("3000.00"))}


@pytest.mark.django_db
def test_donations_and_refused_writes(regions):
    donation = testing.make_donation("50000.00")
    key = ("451423", donation.date.replace(day=1), "donation")
    assert in_step()[key] == (1, Decimal("50000.00"))
    donation.amount = Decimal("60000.00")
    funds.save_donation(donation)  # the donation changes its source, and so the totals
    assert in_step()[key] == (1, Decimal("60000.00"))
    source = testing.make_source("1000.00")
    testing.fill_pool(testing.make_pool(), "600.00", source=source)
    before = in_step()
    source.amount = Decimal("500.00")  # below what it gave out: refused
    with pytest.raises(Exception):  # noqa: B017
        funds.save_source(source)
    with pytest.raises(RuntimeError), transaction.atomic():
        testing.make_source("100.00")
        raise RuntimeError("the page failed after the source")
    assert in_step() == before
    assert Donation.objects.count() == 1


@pytest.mark.django_db
def test_bulk_create_update_and_delete_move_the_totals(regions):
    made = FundSource.objects.bulk_create(
        FundSource(
            kind=SourceKind.FISCAL,
            name=f"资金{region}{m}",
            year=2020,
            amount=Decimal(f"{m}00.01"),
            region_id=region,
            date=D(2020, m, 15),
        )
        for region in (XINLIAN, LUOHUI, DAQIAO)
        for m in (1, 2, 3)
    )
    assert len(made) == 9
    now = in_step()
    assert now[("451423", D(2020, 2, 1), "fiscal")] == (2, Decimal("400.02"))
    assert now[("451122", D(2020, 3, 1), "fiscal")] == (1, Decimal("300.01"))
    FundSource.objects.filter(date__month=1).update(date=D(2020, 5, 5))
    FundSource.objects.filter(region_id=DAQIAO).update(kind=SourceKind.OTHER)
    FundSource.objects.filter(region_id=LUOHUI).update(amount=Decimal("1.00"))
    FundSource.objects.filter(region_id=XINLIAN).update(note="只改备注")
    now = in_step()
    assert ("451423", D(2020, 1, 1), "fiscal") not in now
    assert now[("451423", D(2020, 5, 1), "fiscal")] == (2, Decimal("101.01"))
    assert now[("451122", D(2020, 2, 1), "other")] == (1, Decimal("200.01"))
    deleted, _ = FundSource.objects.filter(region_id=XINLIAN).delete()
    assert deleted == 3
    Region.objects.get(pk=LUOHUI).fund_sources.all().delete()  # a related manager too
    assert sum(n for n, _ in in_step().values()) == 3


@pytest.mark.django_db
def test_api_writes_move_the_totals(users):
    client = APIClient()
    client.force_authenticate(users["county"])
    body = {
        "kind": "fiscal",
        "name": "财政衔接资金",
        "year": 2020,
        "amount": "8000.00",
        "region": XINLIAN,
        "date": "2020-06-30",
    }
    response = client.post("/api/funds/sources/", body)
    assert response.status_code == 201, response.json()
    assert in_step() == {("451423", D(2020, 6, 1), "fiscal"): (1, Decimal("8000.00"))}
    pk = response.json()["id"]
    response = client.patch(f"/api/funds/sources/{pk}/", {"date": "2020-07-01"})
    assert response.status_code == 200, response.json()
    assert in_step() == {("451423", D(2020, 7, 1), "fiscal"): (1, Decimal("8000.00"))}


@pytest.mark.django_db
def test_migration_fills_the_totals_from_existing_sources(regions):
    testing.make_source("10.01", date=D(2020, 1, 31))
    testing.make_source("20.02", region=DAQIAO, date=D(2020, 2, 1))
    testing.make_source("30.03", region=DAQIAO, date=D(2020, 2, 29))
    expected = in_step()
    SourceTotal.objects.all().delete()
    run_data_migration("bangfu.funds.migrations.0003_sourcetotal")
    assert (
        stored()
        == expected
        == {
            ("451423", D(2020, 1, 1), "fiscal"): (1, Decimal("10.01")),
            ("451122", D(2020, 2, 1), "fiscal"): (2, Decimal("50.05")),
        }
    )


# --- the figures card reads them --------------------------------------------------------------


def source_figures(code: str, user, period: Period) -> dict:
    """The card's sources by kind: {kind: yuan}."""
    return {
        LABELS[f.label]: f.value
        for s in region_figures(code, user, period)
        if s.key == "funds"
        for f in s.figures
        if f.label in LABELS
    }


def expected_figures(prefix: str, period: Period) -> dict:
    """What the records say, straight from the rows in Python."""
    by_kind: dict = {}
    for region, date, kind, amount in FundSource.objects.values_list(
        "region_id", "date", "kind", "amount"
    ):
        if not region.startswith(prefix):
            continue
        if (period.start and date < period.start) or (period.end and date > period.end):
            continue
        by_kind[kind] = by_kind.get(kind, Decimal("0.00")) + amount
    return by_kind


DAYS = st.dates(D(2019, 11, 1), D(2021, 2, 28))
EDGE_DAYS = st.sampled_from(
    [D(2020, 1, 1), D(2020, 1, 31), D(2020, 2, 1), D(2020, 2, 29), D(2020, 3, 1), D(2020, 12, 31)]
)
SOURCES = st.lists(
    st.tuples(
        st.sampled_from([XINLIAN, LUOHUI, DAQIAO, "451423", "4514", "45"]),  # some above county
        st.one_of(DAYS, EDGE_DAYS),
        st.sampled_from(SourceKind.values),
        st.integers(min_value=1, max_value=10**9),  # cents
    ),
    max_size=25,
)
PERIODS = st.tuples(st.none() | DAYS | EDGE_DAYS, st.none() | DAYS | EDGE_DAYS)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=SOURCES, periods=st.lists(PERIODS, min_size=1, max_size=4))
def test_card_from_totals_equals_the_records(users, rows, periods):
    """Any sources (some recorded at a county, city or province), any period — open, cutting
    months or within one month: the card of the province, a city and a county shows exactly
    what a direct aggregate of the records shows, for the administrator and a county user."""
    FundSource.objects.all().delete()
    FundSource.objects.bulk_create(
        FundSource(
            kind=kind,
            name="测试资金",
            year=date.year,
            amount=Decimal(cents).scaleb(-2),
            region_id=region,
            date=date,
        )
        for region, date, kind, cents in rows
    )
    for start, end in periods:
        if start and end and start > end:
            start, end = end, start
        period = Period(start, end)
        for code in ("45", "4514", "451423", "451122", XINLIAN):
            assert source_figures(code, users["admin"], period) == expected_figures(code, period), (
                code,
                period,
            )
        # a county user asking for the province sees their county's records only
        assert source_figures("45", users["county"], period) == expected_figures("451423", period)
        assert source_figures("451122", users["county"], period) == {}


def _source_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "funds_fundsource" in q["sql"] or "total" in q["sql"]]


@pytest.mark.django_db
def test_province_card_reads_the_totals_and_no_records(users):
    """Open period: the sources by kind come from the month totals alone (one query, whatever
    the number of months); a period cutting months reads its partial months from the day
    totals, never the sources."""
    for month in range(1, 13):
        testing.make_source("100", date=D(2020, month, 10))
    with CaptureQueriesContext(connection) as ctx:
        figures = source_figures("45", users["admin"], Period())
    assert figures == {"fiscal": Decimal("1200.00")}
    sql = _source_queries(ctx.captured_queries)
    # the sources by kind: one query on the totals; the donations' query joins no source
    by_kind = [q for q in sql if "funds_sourcetotal" in q or '"funds_fundsource"."kind"' in q]
    assert len(by_kind) == 1 and "funds_sourcetotal" in by_kind[0]
    for month in range(1, 13):
        testing.make_source("1", date=D(2021, month, 1))
    with CaptureQueriesContext(connection) as more:
        source_figures("45", users["admin"], Period())
    assert len(more.captured_queries) == len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        figures = source_figures("45", users["admin"], Period(D(2020, 1, 15), D(2020, 6, 5)))
    assert figures == {"fiscal": Decimal("400.00")}  # February to May; Jan 10, Jun 10 outside
    sql = [q for q in _source_queries(ctx.captured_queries) if "kind" in q]
    assert any("funds_sourcetotal" in q for q in sql)
    assert any("funds_sourcedaytotal" in q for q in sql)  # the partial months
    assert not any('"funds_fundsource"."kind"' in q for q in sql)


@pytest.mark.django_db
def test_village_user_counts_the_records(users):
    """A village user (a prefix longer than a county) counts the records: right even when the
    totals are damaged."""
    testing.make_source("700")
    SourceTotal.objects.update(count=99, amount_cents=1)  # damaged behind the code's back
    SourceDayTotal.objects.update(count=99, amount_cents=1)
    assert source_figures("451423", users["village"], Period()) == {"fiscal": Decimal("700")}
    assert source_figures("451423", users["admin"], Period()) == {"fiscal": Decimal("0.01")}


# --- reconciliation and rebuild ---------------------------------------------------------------


@pytest.mark.django_db
def test_reconciliation_reports_damaged_totals_and_rebuild_repairs_them(regions, capsys):
    testing.make_source("1200.00", date=D(2020, 3, 5))
    testing.make_source("800.00", date=D(2020, 4, 5))
    testing.make_source("50.00", region=DAQIAO, date=D(2020, 4, 5))
    call_command("reconcile_funds")
    assert "对账无误" in capsys.readouterr().out
    SourceTotal.objects.filter(month=D(2020, 3, 1)).update(amount_cents=120001)
    SourceTotal.objects.filter(county="451122").delete()
    SourceTotal.objects.create(county="4514", month=D(2019, 1, 1), kind="other", count=1)
    found = [d for d in reconcile() if d.kind == "source_totals"]
    assert len(found) == 3
    damaged = next(d for d in found if "451423 2020-03" in d.message)
    assert "财政专项资金" in damaged.message
    assert "1,200.01元" in damaged.message and "1,200.00元" in damaged.message
    assert "region=451423&kind=fiscal&start=2020-03-01&end=2020-03-31" in damaged.url
    assert len([d for d in reconcile("451122") if d.kind == "source_totals"]) == 1
    with pytest.raises(SystemExit) as exc:
        call_command("reconcile_funds")
    assert exc.value.code == 1
    out = capsys.readouterr()
    assert out.out.count("[source_totals]") == 3 and "3 处不一致" in out.err
    call_command("reconcile_funds", "--rebuild-totals")
    out = capsys.readouterr().out
    assert "资金来源记录重建月度合计：3 项" in out and "对账无误" in out
    in_step()
    from bangfu.core.models import AuditEntry

    assert AuditEntry.objects.filter(object_type="funds.sourcetotal").count() == 1
