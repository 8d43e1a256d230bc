"""The spending rules: never more than is left, nothing half-written, exactly one of two
concurrent clerks spending the last of a pool."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.funds import testing
from bangfu.funds.choices import AllocationKind, EntryDirection
from bangfu.funds.models import Allocation, FundPool, PoolEntry
from bangfu.funds.services import allocations


def _to_household(household, amount, **origin):
    return allocations.allocate(
        amount=amount,
        date=testing.DAY,
        purpose="产业补贴",
        kind=AllocationKind.SUBSIDY,
        household=household,
        **origin,
    )


@pytest.mark.django_db
def test_source_allocation_refused_beyond_what_is_left(household):
    source = testing.make_source("1000.00")
    _to_household(household, Decimal("600.00"), source=source)
    with pytest.raises(ValidationError) as exc:
        _to_household(household, Decimal("400.01"), source=source)
    message = exc.value.message_dict["amount"][0]
    assert "400.00元" in message and "400.01元" in message
    assert Allocation.objects.count() == 1
    _to_household(household, Decimal("400.00"), source=source)  # the exact remainder is fine
    assert allocations.source_remaining(source) == 0


@pytest.mark.django_db
def test_pool_flow_and_refusal(household, regions):
    pool = testing.make_pool()
    source = testing.make_source("5000.00")
    allocations.put_into_pool(pool, source, Decimal("3000.00"), testing.DAY)
    assert pool.balance == Decimal("3000.00")
    assert allocations.source_remaining(source) == Decimal("2000.00")
    with pytest.raises(ValidationError) as exc:
        allocations.put_into_pool(pool, source, Decimal("2500"), testing.DAY)
    assert "2,000.00元" in exc.value.message_dict["amount"][0]

    allocation = _to_household(household, Decimal("2999.99"), pool=pool)
    pool.refresh_from_db()
    assert pool.balance == Decimal("0.01")
    assert allocation.region_id == household.region_id
    out = PoolEntry.objects.get(direction=EntryDirection.OUT)
    assert out.allocation == allocation and out.amount == Decimal("2999.99")

    with pytest.raises(ValidationError) as exc:
        _to_household(household, Decimal("0.02"), pool=pool)
    assert "0.01元" in exc.value.message_dict["amount"][0]
    assert Allocation.objects.count() == 1 and PoolEntry.objects.count() == 2
    pool.refresh_from_db()
    assert pool.balance == Decimal("0.01")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "amount, reason",
    [
        (Decimal("0"), "大于0"),
        (Decimal("-5"), "大于0"),
        (Decimal("10000000000.01"), "100亿"),
        (Decimal("1.005"), "两位小数"),
        (1.5, "浮点"),
        ("abc", "不是数字"),
        (None, "请填写金额"),
    ],
)
def test_bad_amounts_refused(household, amount, reason):
    source = testing.make_source("1000.00")
    with pytest.raises(ValidationError) as exc:
        _to_household(household, amount, source=source)
    assert reason in exc.value.message_dict["amount"][0]
    assert not Allocation.objects.exists()


@pytest.mark.django_db
def test_shape_refused(household):
    source, pool, project = testing.make_source(), testing.make_pool(), testing.make_project()
    with pytest.raises(ValidationError) as exc:
        _to_household(household, Decimal("1"), source=source, pool=pool)
    assert "source" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        allocations.allocate(
            amount=Decimal("1"),
            date=testing.DAY,
            purpose="修路",
            source=source,
            household=household,
        )
    assert "project" in exc.value.message_dict and "household" in exc.value.message_dict
    allocation = allocations.allocate(
        amount=Decimal("1"), date=testing.DAY, purpose="修路", source=source, project=project
    )
    assert allocation.region_id == project.village_id


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(min_value=1, max_value=400_00), min_size=1, max_size=12))
def test_never_overspent(regions_once, amounts):
    """Whatever sequence of spending is tried, the pool never goes below zero and what was
    accepted adds up to what left the pool."""
    household, pool = regions_once
    PoolEntry.objects.filter(direction=EntryDirection.OUT).delete()
    Allocation.objects.all().delete()
    FundPool.objects.filter(pk=pool.pk).update(balance=Decimal("1000.00"))
    accepted = Decimal("0")
    for cents in amounts:
        amount = Decimal(cents) / 100
        try:
            _to_household(household, amount, pool=pool)
        except ValidationError:
            assert accepted + amount > Decimal("1000.00")
        else:
            accepted += amount
    pool.refresh_from_db()
    assert pool.balance == Decimal("1000.00") - accepted >= 0


@pytest.fixture
def regions_once(household):
    pool = testing.make_pool()
    testing.fill_pool(pool, "1000.00")
    return household, pool


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers: concurrent transactions need PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("origin", ["pool", "source"])
def test_two_clerks_spend_the_last_at_once(origin):
    """Two threads, each with its own connection, both read the remainder (a barrier) before
    either writes; each tries to spend 700 of the 1000 left: exactly one succeeds."""
    from bangfu.core.testing import at_once, make_household, make_regions

    make_regions()
    household = make_household("451423100201")
    if origin == "pool":
        holder = testing.make_pool()
        testing.fill_pool(holder, "1000.00")
    else:
        holder = testing.make_source("1000.00")

    def read_the_remainder():
        # Both clerks have read the remainder on the page before either writes.
        if origin == "pool":
            FundPool.objects.get(pk=holder.pk).balance  # noqa: B018
        else:
            allocations.source_remaining(holder)

    name = "_lock_pools" if origin == "pool" else "_lock_sources"
    outcomes = at_once(
        lambda _: _to_household(household, Decimal("700.00"), **{origin: holder}),
        [1, 2],
        allocations,
        name,
        before=read_the_remainder,
    )
    results = ["refused" if isinstance(o, ValidationError) else o for o in outcomes]
    assert sorted(results) == ["ok", "refused"]
    assert Allocation.objects.count() == 1
    if origin == "pool":
        holder.refresh_from_db()
        assert holder.balance == Decimal("300.00")
    else:
        assert allocations.source_remaining(holder) == Decimal("300.00")
