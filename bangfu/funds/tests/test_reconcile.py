"""Reconciliation: clean books say nothing; every kind of corruption (written behind the
services' back, as a bad import or a hand-edited database would) is reported, and the command
exits 1."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from bangfu.assistance import testing as assistance_testing
from bangfu.funds import testing
from bangfu.funds.choices import AllocationKind, SourceKind
from bangfu.funds.models import Allocation, Donation, FundPool, FundSource, PoolEntry
from bangfu.funds.services import allocations
from bangfu.funds.services.reconcile import reconcile
from bangfu.regions.models import Region


@pytest.fixture
def books(household, other_household):
    unit = assistance_testing.make_unit("自治区公安厅")
    backing = assistance_testing.make_unit("龙州县公安局", parent=unit)
    source = testing.make_source("10000.00", unit=backing)
    other = testing.make_source("8000.00", region=testing.LUOHUI, unit=unit)
    donation = testing.make_donation("3000.00", unit=unit)
    pool = testing.make_pool()
    allocations.put_into_pool(pool, source, Decimal("4000.00"), testing.DAY)
    allocations.put_into_pool(pool, donation.source, Decimal("3000.00"), testing.DAY)
    from_pool = allocations.allocate(
        amount=Decimal("6999.99"),
        date=testing.DAY,
        purpose="危房改造",
        kind=AllocationKind.AID,
        pool=pool,
        household=household,
        unit=backing,
    )
    project = testing.make_project(budget="6000.00", unit=unit)
    allocations.allocate(
        amount=Decimal("6000.00"),
        date=testing.DAY,
        purpose="修路",
        source=source,
        project=project,
        unit=backing,
    )
    allocations.allocate(
        amount=Decimal("0.10"),
        date=testing.DAY,
        purpose="奖补",
        kind=AllocationKind.AWARD,
        source=other,
        household=other_household,
    )
    return {
        "source": source,
        "other": other,
        "donation": donation,
        "pool": pool,
        "from_pool": from_pool,
        "project": project,
        "unit": unit,
        "backing": backing,
    }


def kinds(found):
    return sorted({d.kind for d in found})


@pytest.mark.django_db
def test_clean_books(books, capsys):
    assert reconcile() == []
    call_command("reconcile_funds")
    assert "对账无误" in capsys.readouterr().out


@pytest.mark.django_db
def test_source_overspent(books):
    FundSource.objects.filter(pk=books["source"].pk).update(amount=Decimal("9999.99"))
    found = reconcile()
    assert kinds(found) == ["source_overspent"]
    assert "0.01元" in found[0].message and str(books["source"].pk) in found[0].url


@pytest.mark.django_db
def test_pool_balance(books):
    FundPool.objects.filter(pk=books["pool"].pk).update(balance=Decimal("1.00"))
    found = reconcile()
    assert kinds(found) == ["pool_balance"]
    assert "0.01元" in found[0].message  # inflows − outflows
    assert kinds(reconcile(testing.XINLIAN)) == ["pool_balance"]
    assert reconcile(testing.LUOHUI) == []


@pytest.mark.django_db
def test_allocation_without_its_pool_outflow(books):
    PoolEntry.objects.filter(allocation=books["from_pool"]).update(amount=Decimal("6999.98"))
    assert "pool_entry" in kinds(reconcile())


@pytest.mark.django_db
def test_donation_out_of_step(books):
    Donation.objects.filter(pk=books["donation"].pk).update(amount=Decimal("2999.00"))
    assert kinds(reconcile()) == ["donation"]


@pytest.mark.django_db
def test_donation_source_without_donor(books):
    testing.make_source("10.00", kind=SourceKind.DONATION)
    found = reconcile()
    assert kinds(found) == ["donation"] and "没有对应的捐赠记录" in found[0].message


@pytest.mark.django_db
def test_project_over_budget(books):
    allocations.allocate(
        amount=Decimal("0.01"),
        date=testing.DAY,
        purpose="追加",
        source=books["other"],
        project=books["project"],
    )
    found = reconcile()
    assert kinds(found) == ["project_over_budget"]
    assert "0.01元" in found[0].message
    assert kinds(reconcile(testing.XINLIAN)) == ["project_over_budget"]


@pytest.mark.django_db
def test_allocation_recorded_in_another_region(books):
    Allocation.objects.filter(project=books["project"]).update(region_id=testing.LUOHUI)
    assert "project_region" in kinds(reconcile())


@pytest.mark.django_db
def test_region_tree_out_of_step(books):
    # 罗回村 hung under the wrong township: the totals of 下冻镇 no longer add up.
    Region.objects.filter(pk=testing.LUOHUI).update(parent_id="451423101")
    found = reconcile()
    assert "region_totals" in kinds(found)
    assert any("451423100 " in d.message for d in found)
    assert "region_totals" in kinds(reconcile("451423"))  # the same, for the county alone


@pytest.mark.django_db
def test_unit_tree_out_of_step(books):
    from bangfu.assistance.models import Unit

    Unit.objects.filter(pk=books["backing"].pk).update(path="/999/")  # a stale path
    assert "unit_totals" in kinds(reconcile())


@pytest.mark.django_db
def test_region_restricts_and_command_exits_1(books, capsys):
    FundSource.objects.filter(pk=books["other"].pk).update(amount=Decimal("0.09"))
    assert kinds(reconcile(testing.LUOHUI)) == ["source_overspent"]
    assert reconcile(testing.XINLIAN) == []
    call_command("reconcile_funds", "--region", testing.XINLIAN)
    with pytest.raises(SystemExit) as exc:
        call_command("reconcile_funds")
    assert exc.value.code == 1
    out = capsys.readouterr()
    assert "source_overspent" in out.out and "1 处不一致" in out.err
