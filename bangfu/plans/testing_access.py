"""Objects for the generic access test (core/testing_access.py): a household plan in 新联村 (the
village user's fixture household) and one in 罗回村, each with a measure."""

from __future__ import annotations

from . import testing


def _world(world):
    if "plans" not in world.cache:
        inside = testing.make_plan(world.household, title="新联户计划")
        outside = testing.make_plan(world.other_household, title="罗回户计划")
        world.cache["plans"] = {
            "plan": (inside, outside),
            "measure": (testing.make_measure(inside), testing.make_measure(outside)),
        }
    return world.cache["plans"]


ACCESS_OBJECTS = {
    f"plans.{name}": (lambda n: lambda world: _world(world)[n])(name)
    for name in ("plan", "measure")
}
