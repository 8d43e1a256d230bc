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


def _region_verdicts(world):
    from bangfu.regions.models import VillageYear
    from bangfu.regions.testing import make_village_year

    from .services.evaluate_region import evaluate_region

    for code in ("451423100201", "451423100202"):
        if not VillageYear.objects.filter(region=code, year=2020).exists():  # regions' may exist
            make_village_year(code, 2020)
    evaluate_region("cn-village", 2020, "451423")
    from .models import RegionVerdict

    return (
        RegionVerdict.objects.get(region="451423100201"),
        RegionVerdict.objects.get(region="451423100202"),
    )


ACCESS_OBJECTS["standards.regionverdict"] = _region_verdicts
