"""Builders for consumption tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from bangfu.regions.models import Region

from .services.purchases import record_purchase


def make_purchase(unit, village: str | None = "451423100201", **fields):
    return record_purchase(
        unit=unit,
        village=Region.objects.get(pk=village) if village else None,
        product=fields.pop("product", "百香果"),
        quantity=fields.pop("quantity", "2000斤"),
        amount=fields.pop("amount", Decimal("12000")),
        date=fields.pop("date", datetime.date(2019, 10, 1)),
        **fields,
    )
