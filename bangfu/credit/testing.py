"""Builders for credit tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from bangfu.regions.models import Region

from .services import loans


def make_product(region: str = "451423", **fields):
    return loans.create_product(
        name=fields.pop("name", "半夏贷"),
        bank=fields.pop("bank", "龙州县农村信用合作联社"),
        region=Region.objects.get(pk=region),
        rate=fields.pop("rate", Decimal("4.35")),
        max_amount=fields.pop("max_amount", Decimal("50000")),
        term_months=fields.pop("term_months", 36),
        **fields,
    )


def make_loan(household, product, amount=Decimal("30000"), **fields):
    return loans.record_loan(
        household=household,
        product=product,
        amount=amount,
        date=fields.pop("date", datetime.date(2019, 4, 1)),
        term_months=fields.pop("term_months", 36),
        purpose=fields.pop("purpose", "种植半夏"),
        **fields,
    )
