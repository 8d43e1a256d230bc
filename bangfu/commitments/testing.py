"""Builders for commitment tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from .choices import Period
from .services import commitments


def make_commitment(household, start=datetime.date(2019, 9, 1), **fields):
    if "unit" not in fields:
        fields.setdefault("donor", "龙州农商银行")
    return commitments.make_commitment(
        household=household,
        start_date=start,
        amount=fields.pop("amount", Decimal("1000")),
        period=fields.pop("period", Period.MONTHLY),
        purpose=fields.pop("purpose", "资助学生至毕业"),
        **fields,
    )
