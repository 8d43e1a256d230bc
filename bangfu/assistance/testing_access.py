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


ACCESS_OBJECTS = {
    f"assistance.{name}": (lambda n: lambda world: _world(world)[n])(name)
    for name in ("unit", "assignment", "cadre", "posting", "pairing", "responsibility")
}
