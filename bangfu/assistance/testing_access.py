"""Objects for the generic access test (core/testing_access.py): for each assistance model with
a URL, one record the 新联村 village user can reach and one in 罗回村 they cannot.

Two units, each assigned only to its own village, with a cadre, a first-secretary posting and a
pairing with the village's fixture household."""

from __future__ import annotations

from . import testing


def _world(world):
    if "assistance" not in world.cache:
        inside = testing.make_unit("新联村帮扶单位")
        outside = testing.make_unit("罗回村帮扶单位")
        in_cadre = testing.make_cadre(inside, "新联干部")
        out_cadre = testing.make_cadre(outside, "罗回干部")
        from bangfu.regions.models import Region

        from .choices import ResponsibilityLevel
        from .services import zones

        zone = zones.create_zone("下冻战区", Region.objects.get(pk="451423"))
        zones.set_villages(zone, [testing.XINLIAN, testing.LUOHUI])
        responsibilities = tuple(
            zones.assign_responsibility(
                zone,
                ResponsibilityLevel.VILLAGE,
                cadre,
                testing.START,
                region=Region.objects.get(pk=code),
            )
            for cadre, code in ((in_cadre, testing.XINLIAN), (out_cadre, testing.LUOHUI))
        )
        world.cache["assistance"] = {
            "zone": zone,
            "responsibility": responsibilities,
            "unit": (inside, outside),
            "assignment": (
                testing.make_assignment(inside, testing.XINLIAN),
                testing.make_assignment(outside, testing.LUOHUI),
            ),
            "cadre": (in_cadre, out_cadre),
            "posting": (
                testing.make_posting(in_cadre, testing.XINLIAN),
                testing.make_posting(out_cadre, testing.LUOHUI),
            ),
            "pairing": (
                testing.make_pairing(in_cadre, world.household),
                testing.make_pairing(out_cadre, world.other_household),
            ),
        }
    return world.cache["assistance"]


def _zones(world):
    """Zones belong to a county: 龙州县's 下冻战区 (the county user's) and one in 钟山县."""
    from bangfu.regions.models import Region

    from .services import zones

    inside = _world(world)["zone"]
    return inside, zones.create_zone("钟山战区", Region.objects.get(pk="451122"))


ACCESS_OBJECTS = {
    f"assistance.{name}": (lambda n: lambda world: _world(world)[n])(name)
    for name in ("unit", "assignment", "cadre", "posting", "pairing", "responsibility")
}
ACCESS_OBJECTS["assistance.zone"] = _zones
# Zones sit at county level: measured against the 龙州县 county user (core/testing_access.py).
SCOPE_USERS = {"assistance.zone": "county"}
