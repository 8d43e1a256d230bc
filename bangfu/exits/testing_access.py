"""Objects for the generic access test (core/testing_access.py): a household exit case in 新联村
(the village user's fixture household) and one in 罗回村, each at its notice with an objection;
the printable notice pages are checked through the region objects (kwarg `code`)."""

from __future__ import annotations

from . import testing


def _world(world):
    if "exits" not in world.cache:
        pairs = []
        for household in (world.household, world.other_household):
            testing.make_verdict(household, year=2020)
            case = testing.advance(testing.make_case(household, year=2020), "notice")
            from .services import procedure

            objection = procedure.raise_objection(
                case, None, "村民甲", case.current_step_date, "收入情况不实"
            )
            pairs.append((case, case.steps.order_by("position").first(), objection))
        world.cache["exits"] = {
            "exitcase": (pairs[0][0], pairs[1][0]),
            "exitstep": (pairs[0][1], pairs[1][1]),
            "objection": (pairs[0][2], pairs[1][2]),
        }
    return world.cache["exits"]


ACCESS_OBJECTS = {
    f"exits.{name}": (lambda n: lambda world: _world(world)[n])(name)
    for name in ("exitcase", "exitstep", "objection")
}
