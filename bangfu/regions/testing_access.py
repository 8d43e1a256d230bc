"""Objects for the generic access test (core/testing_access.py): village facts of 新联村 (in the
village user's scope) and of 罗回村 (outside it)."""

from __future__ import annotations

from . import testing


def _facts(world):
    return (testing.make_village_year("451423100201"), testing.make_village_year("451423100202"))


ACCESS_OBJECTS = {"regions.villageyear": _facts}
