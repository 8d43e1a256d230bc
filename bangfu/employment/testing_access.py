"""Objects for the generic access test: 龙州县's labour agreement (seen by the 新联村 village
user) and 钟山县's; a job of a 新联村 member and one of a 罗回村 member."""

from __future__ import annotations

from . import testing


def _world(world):
    if "employment" not in world.cache:
        world.cache["employment"] = {
            "labouragreement": (
                testing.make_agreement("451423"),
                testing.make_agreement("451122", company="钟山外出务工协议"),
            ),
            "job": tuple(
                testing.make_job(h.members.order_by("pk").first())
                for h in (world.household, world.other_household)
            ),
        }
    return world.cache["employment"]


ACCESS_OBJECTS = {
    "employment.labouragreement": lambda world: _world(world)["labouragreement"],
    "employment.job": lambda world: _world(world)["job"],
}
