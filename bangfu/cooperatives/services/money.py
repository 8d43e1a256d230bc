"""Rules for amounts of money and periods shared by the economy apps (cooperatives, credit,
commitments, employment, consumption): exact decimals, never negative, never absurd, and an end
never before its start. Each error names its field in Chinese."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Above this a single record is a typing error (e.g. 万元 entered as 元 twice): 10 亿元.
ABSURD = Decimal("1000000000")


def check_amount(value, field: str, *, allow_zero: bool = False, limit: Decimal = ABSURD) -> None:
    if value is None:
        return
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("金额“%(value)s”不是数字") % {"value": value}}) from None
    if amount < 0:
        raise ValidationError({field: _("金额不能为负数（%(value)s）") % {"value": amount}})
    if amount == 0 and not allow_zero:
        raise ValidationError({field: _("金额必须大于 0")})
    if amount >= limit:
        raise ValidationError(
            {
                field: _("金额%(value)s元超出合理范围（应小于%(limit)s元），请检查单位是否为元")
                % {"value": amount, "limit": limit}
            }
        )


def check_period(
    start: datetime.date | None, end: datetime.date | None, end_field: str = "end_date"
) -> None:
    if start and end and end < start:
        raise ValidationError(
            {
                end_field: _("结束日期%(end)s早于开始日期%(start)s")
                % {"end": end.isoformat(), "start": start.isoformat()}
            }
        )


def check_village(region, field: str = "village") -> None:
    from bangfu.regions.choices import Level

    if region is not None and region.level != Level.VILLAGE:
        raise ValidationError({field: _("请选择村级行政区划")})
