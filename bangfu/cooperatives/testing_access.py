"""Objects for the generic access test (core/testing_access.py): cooperative records in 新联村
(the village user's) and in 罗回村 (outside it)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from . import testing
from .services import cooperatives


def _world(world):
    if "cooperatives" not in world.cache:
        pairs = {}
        for village, household in (
            ("451423100201", world.household),
            ("451423100202", world.other_household),
        ):
            coop = testing.make_cooperative(village)
            member = testing.make_member(coop, household)
            objs = {
                "cooperative": coop,
                "membership": member,
                "purchasecontract": cooperatives.add_contract(
                    coop, buyer="药厂", product="半夏", start_date=datetime.date(2019, 1, 1)
                ),
                "cooperativeyear": cooperatives.record_year(coop, 2019, profit=Decimal("16")),
                "dividend": cooperatives.pay_dividend(
                    coop, 2019, Decimal("100"), membership=member
                ),
            }
            for name, obj in objs.items():
                pairs.setdefault(name, []).append(obj)
        world.cache["cooperatives"] = {k: tuple(v) for k, v in pairs.items()}
    return world.cache["cooperatives"]


ACCESS_OBJECTS = {
    f"cooperatives.{name}": (lambda n: lambda world: _world(world)[n])(name)
    for name in ("cooperative", "membership", "purchasecontract", "cooperativeyear", "dividend")
}
