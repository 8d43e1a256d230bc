"""Objects for the generic access test (core/testing_access.py): a visit (with a follow-up and a
photo) to the 新联村 fixture household by the 新联村 unit's cadre, and one to the 罗回村 household
by the other unit's cadre. Attachments (core.attachment) are mapped here too: the visits app is the
first to register an attachable model."""

from __future__ import annotations

from bangfu.assistance.testing_access import _world as assistance_world

from . import testing


def _world(world):
    if "visits" not in world.cache:
        from bangfu.core.attachments.services import attach
        from bangfu.core.attachments.testing import png_upload

        in_cadre, out_cadre = assistance_world(world)["cadre"]
        visits = (
            testing.make_visit(in_cadre, world.household),
            testing.make_visit(out_cadre, world.other_household),
        )
        world.cache["visits"] = {
            "visit": visits,
            "followup": tuple(testing.make_follow_up(v) for v in visits),
            "attachment": tuple(attach(v, png_upload()) for v in visits),
        }
    return world.cache["visits"]


ACCESS_OBJECTS = {
    "visits.visit": lambda world: _world(world)["visit"],
    "visits.followup": lambda world: _world(world)["followup"],
    "core.attachment": lambda world: _world(world)["attachment"],
}
