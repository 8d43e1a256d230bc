"""Objects for the generic access test (core/testing_access.py): for each funds model with a
URL, one record the 新联村 village user can reach and one in 罗回村 they cannot.

In each village: a source, a donation, a pool filled from the source, an allocation from the
pool to the village's fixture household, and a project funded from the source."""

from __future__ import annotations

from decimal import Decimal

from . import testing
from .choices import AllocationKind, EntryDirection
from .services import allocations, projects


def _village(household):
    village = household.region_id[:12]
    source = testing.make_source("100000.00", region=village)
    donation = testing.make_donation("5000.00", region=village)
    pool = testing.make_pool(region=village)
    allocations.put_into_pool(pool, source, Decimal("1000.00"), testing.DAY)
    allocation = allocations.allocate(
        amount=Decimal("300.00"),
        date=testing.DAY,
        purpose="危房改造补助",
        kind=AllocationKind.AID,
        pool=pool,
        household=household,
    )
    project = testing.make_project(village=village)
    output = projects.add_output(project, "硬化道路", Decimal("2"), "公里")
    allocations.allocate(
        amount=Decimal("5000.00"), date=testing.DAY, purpose="修路", source=source, project=project
    )
    return {
        "fundsource": source,
        "donation": donation,
        "fundpool": pool,
        "poolentry": pool.entries.get(direction=EntryDirection.IN),
        "allocation": allocation,
        "project": project,
        "projectoutput": output,
    }


def _world(world):
    if "funds" not in world.cache:
        world.cache["funds"] = (_village(world.household), _village(world.other_household))
    return world.cache["funds"]


ACCESS_OBJECTS = {
    f"funds.{name}": (lambda n: lambda world: tuple(v[n] for v in _world(world)))(name)
    for name in (
        "fundsource",
        "donation",
        "fundpool",
        "poolentry",
        "allocation",
        "project",
        "projectoutput",
    )
}
