"""Objects for the generic access test: a commitment (and a payment) to the 新联村 household and
one to the 罗回村 household."""

from __future__ import annotations

import datetime

from . import testing
from .services import commitments


def _world(world):
    if "commitments" not in world.cache:
        start = datetime.date(2019, 9, 1)
        pair = tuple(
            testing.make_commitment(h, start) for h in (world.household, world.other_household)
        )
        world.cache["commitments"] = {
            "commitment": pair,
            "commitmentpayment": tuple(
                commitments.record_payment(c, start, c.amount) for c in pair
            ),
        }
    return world.cache["commitments"]


ACCESS_OBJECTS = {
    "commitments.commitment": lambda world: _world(world)["commitment"],
    "commitments.commitmentpayment": lambda world: _world(world)["commitmentpayment"],
}
