"""Objects for the generic access test: 龙州县's loan product (seen by the 新联村 village user,
who borrows under it) and 钟山县's; a loan of the 新联村 household and one of the 罗回村 one."""

from __future__ import annotations

from . import testing


def _world(world):
    if "credit" not in world.cache:
        inside = testing.make_product("451423")
        outside = testing.make_product("451122", name="钟山贷")
        world.cache["credit"] = {
            "loanproduct": (inside, outside),
            "loan": (
                testing.make_loan(world.household, inside),
                testing.make_loan(world.other_household, inside),
            ),
        }
    return world.cache["credit"]


ACCESS_OBJECTS = {
    "credit.loanproduct": lambda world: _world(world)["loanproduct"],
    "credit.loan": lambda world: _world(world)["loan"],
}
