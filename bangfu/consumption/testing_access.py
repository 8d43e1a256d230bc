"""Objects for the generic access test: a purchase from 新联村 and one from 罗回村 (by the
assistance access world's units)."""

from __future__ import annotations

from bangfu.assistance.testing_access import _world as assistance_world

from . import testing


def _purchases(world):
    inside, outside = assistance_world(world)["unit"]
    return (
        testing.make_purchase(inside, "451423100201"),
        testing.make_purchase(outside, "451423100202"),
    )


ACCESS_OBJECTS = {"consumption.purchase": _purchases}
