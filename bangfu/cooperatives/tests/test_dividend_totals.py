"""Maintained dividend totals (`DividendTotal`, services/totals.py): they follow every write of a
dividend (create, edit, delete, the bulk paths) and a cooperative moving to a village of another
county or being deleted, in the same transaction; the figures card of a county or province
reads them and shows exactly what the records say; the reconciliation reports totals out of
step and `--rebuild-totals` repairs them."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.cooperatives import testing
from bangfu.cooperatives.choices import Industry
from bangfu.cooperatives.models import Cooperative, Dividend, DividendTotal
from bangfu.cooperatives.services import cooperatives
from bangfu.core import testing as core_testing
from bangfu.core.figures import Period, region_figures
from bangfu.core.models import AuditEntry
from bangfu.funds.services.reconcile import reconcile

pytestmark = pytest.mark.django_db
LONGZHOU, ZHONGSHAN = "451423", "451122"
XINLIAN, LUOHUI, DAQIAO = "451423100201", "451423100202", "451122100201"


def stored() -> dict:
    """The totals table as {(county, year): (count, yuan)}, zero rows left out."""
    return {
        (t.county, t.year): (t.count, Decimal(t.amount_cents).scaleb(-2))
        for t in DividendTotal.objects.all()
        if t.count or t.amount_cents
    }


def from_records() -> dict:
    """The same, computed in Python from the dividends (exact Decimal sums)."""
    out: dict = defaultdict(lambda: (0, Decimal("0.00")))
    for village, year, amount in Dividend.objects.values_list(
        "cooperative__village_id", "year", "amount"
    ):
        n, total = out[(village[:6], year)]
        out[(village[:6], year)] = (n + 1, total + amount)
    return dict(out)


def in_step() -> dict:
    now = stored()
    assert now == from_records()
    assert [d for d in reconcile() if d.kind == "year_totals"] == []
    return now


def dividends_on_card(code: str, user, period: Period | None = None) -> dict:
    """{label: yuan} of the "…年分红" figures of a region card."""
    sections = region_figures(code, user, period or Period())
    return {
        f.label: f.value
        for s in sections
        if s.key == "cooperatives"
        for f in s.figures
        if f.label.endswith("年分红")
    }


def coop_with_member(village=XINLIAN):
    coop = testing.make_cooperative(village)
    return coop, testing.make_member(coop, None, name="张三")


def test_totals_follow_create_edit_delete_and_bulk_writes(regions):
    coop, member = coop_with_member()
    first = cooperatives.pay_dividend(coop, 2019, Decimal("120.50"), membership=member)
    cooperatives.pay_dividend(coop, 2020, Decimal("80.25"), membership=member)
    assert in_step() == {
        (LONGZHOU, 2019): (1, Decimal("120.50")),
        (LONGZHOU, 2020): (1, Decimal("80.25")),
    }
    first.year, first.amount = 2020, Decimal("20")
    first.save()
    assert in_step() == {(LONGZHOU, 2020): (2, Decimal("100.25"))}

    far, far_member = coop_with_member(DAQIAO)
    Dividend.objects.bulk_create(
        [
            Dividend(cooperative=far, membership=far_member, year=2021, amount=Decimal(amount))
            for amount in ("1.01", "2.02")
        ]
    )
    assert in_step()[(ZHONGSHAN, 2021)] == (2, Decimal("3.03"))
    assert Dividend.objects.filter(cooperative=far).update(amount=Decimal("5")) == 2
    assert in_step()[(ZHONGSHAN, 2021)] == (2, Decimal("10.00"))
    Dividend.objects.filter(cooperative=far).update(paid_on=datetime.date(2021, 12, 1))
    Dividend.objects.filter(cooperative=far, year=2021).order_by("pk")[:1].get().delete()
    assert in_step()[(ZHONGSHAN, 2021)] == (1, Decimal("5.00"))
    Dividend.objects.filter(cooperative=coop).delete()
    assert in_step() == {(ZHONGSHAN, 2021): (1, Decimal("5.00"))}


def test_a_cooperative_moving_county_on_its_page_moves_its_dividends(regions, users, login):
    coop, member = coop_with_member()
    cooperatives.pay_dividend(coop, 2019, Decimal("300"), membership=member)
    assert dividends_on_card(LONGZHOU, users["county"]) == {"2019年分红": Decimal("300.00")}
    r = login(users["admin"]).post(
        reverse("cooperatives:cooperative_edit", kwargs={"pk": coop.pk}),
        {"name": coop.name, "village": DAQIAO, "industry": Industry.HERBS},
    )
    assert r.status_code == 302, r.content
    assert in_step() == {(ZHONGSHAN, 2019): (1, Decimal("300.00"))}
    assert dividends_on_card(LONGZHOU, users["county"]) == {}
    assert dividends_on_card(ZHONGSHAN, users["other_county"]) == {"2019年分红": Decimal("300")}
    # a move inside the county changes no total; a bulk move across counties does
    Cooperative.objects.filter(pk=coop.pk).update(village_id=XINLIAN)
    assert in_step() == {(LONGZHOU, 2019): (1, Decimal("300.00"))}
    coop.refresh_from_db()
    coop.village_id = LUOHUI
    coop.save()
    assert in_step() == {(LONGZHOU, 2019): (1, Decimal("300.00"))}


def test_a_cooperative_with_dividends_cannot_be_deleted_and_the_totals_stay(regions):
    coop, member = coop_with_member()
    cooperatives.pay_dividend(coop, 2019, Decimal("300"), membership=member)
    with pytest.raises(ProtectedError):
        coop.delete()
    with pytest.raises(ProtectedError):
        Cooperative.objects.filter(pk=coop.pk).delete()
    assert in_step() == {(LONGZHOU, 2019): (1, Decimal("300.00"))}
    Dividend.objects.filter(cooperative=coop).delete()
    coop.delete()
    assert in_step() == {}


def test_reconciliation_reports_damaged_totals_and_rebuild_repairs_them(regions, capsys):
    coop, member = coop_with_member()
    cooperatives.pay_dividend(coop, 2019, Decimal("1500"), membership=member)
    DividendTotal.objects.update(count=2)
    found = [d for d in reconcile("451423") if d.kind == "year_totals"]
    assert len(found) == 1
    assert "451423 2019年分红的年度合计记为2笔1,500.00元，但记录为1笔1,500.00元" in (
        found[0].message
    )
    assert found[0].url == reverse("cooperatives:dividend_list") + "?region=451423&year=2019"
    with pytest.raises(SystemExit):
        call_command("reconcile_funds")
    capsys.readouterr()
    call_command("reconcile_funds", "--rebuild-totals")
    assert "对账无误" in capsys.readouterr().out
    in_step()
    assert AuditEntry.objects.filter(object_type="cooperatives.dividendtotal").exists()


def test_the_province_card_reads_the_totals(regions, users):
    coop, member = coop_with_member()
    cooperatives.pay_dividend(coop, 2019, Decimal("1500"), membership=member)
    province = core_testing.make_user("province", "county", "45")
    for user, code, reads_totals in (
        (province, "45", True),
        (users["admin"], "45", True),
        (users["county"], LONGZHOU, True),
        (users["village"], XINLIAN, False),  # a village: the records
    ):
        with CaptureQueriesContext(connection) as ctx:
            assert dividends_on_card(code, user) == {"2019年分红": Decimal("1500")}
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert ("cooperatives_dividendtotal" in sql) is reads_totals


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    paid=st.lists(
        st.tuples(
            st.integers(0, 2),  # which cooperative
            st.integers(2018, 2021),
            st.decimals(Decimal("0.01"), Decimal("99999.99"), places=2),
        ),
        max_size=8,
    ),
    start=st.one_of(st.none(), st.integers(2018, 2021)),
    end=st.one_of(st.none(), st.integers(2018, 2021)),
)
def test_the_card_equals_the_records_for_random_dividends(regions, users, paid, start, end):
    Dividend.objects.all().delete()
    Cooperative.objects.all().delete()
    villages = [XINLIAN, LUOHUI, DAQIAO]
    made = [coop_with_member(v) for v in villages]
    for i, year, amount in paid:
        coop, member = made[i]
        cooperatives.pay_dividend(coop, year, amount, membership=member)
    period = Period(
        datetime.date(start, 3, 15) if start else None, datetime.date(end, 6, 30) if end else None
    )
    for code in ("45", LONGZHOU, ZHONGSHAN):
        expected: dict = {}
        for i, year, amount in paid:
            if villages[i].startswith(code) and not (start and year < start or end and year > end):
                label = f"{year}年分红"
                expected[label] = expected.get(label, Decimal("0")) + amount
        assert dividends_on_card(code, users["admin"], period) == expected
    in_step()
