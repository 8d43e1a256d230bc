"""Objects for the generic access test (core/testing_access.py): a cn-household verdict of the
新联村 fixture household and one of the 罗回村 household."""

from __future__ import annotations

from . import testing


def _world(world):
    if "standards" not in world.cache:
        world.cache["standards"] = (
            testing.make_verdict(world.household),
            testing.make_verdict(world.other_household),
        )
    return world.cache["standards"]


def _runs(world):
    a, b = _world(world)
    return a.run, b.run


ACCESS_OBJECTS = {"standards.verdict": _world, "standards.evaluationrun": _runs}

POST_ONLY = {
    "standards:version_copy": "copying a standard's version makes a new version: POST only",
}
