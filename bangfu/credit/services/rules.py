"""The rules loan products and loans must satisfy (run by the models' `clean()`); each error
names its field in Chinese."""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.cooperatives.services.money import check_amount

from ..choices import Repayment

MAX_RATE = Decimal("36")
MAX_TERM_MONTHS = 120


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def check_product(p) -> None:
    check_amount(p.max_amount, "max_amount")
    if p.rate is not None and not (0 <= p.rate <= MAX_RATE):
        raise ValidationError({"rate": _("年利率应在 0 到 %(max)s%% 之间") % {"max": MAX_RATE}})
    if p.term_months is not None and not (1 <= p.term_months <= MAX_TERM_MONTHS):
        raise ValidationError(
            {"term_months": _("期限应在 1 到 %(max)s 个月之间") % {"max": MAX_TERM_MONTHS}}
        )


def check_loan(loan) -> None:
    check_amount(loan.amount, "amount")
    today = timezone.localdate()
    if loan.date and loan.date > today:
        raise ValidationError({"date": _("放款日期不能晚于今天")})
    product = loan.product if loan.product_id else None
    if product is not None:
        if loan.amount is not None and loan.amount > product.max_amount:
            raise ValidationError(
                {
                    "amount": _("贷款金额%(amount)s元超过%(product)s的最高额度%(max)s元")
                    % {"amount": loan.amount, "product": product.name, "max": product.max_amount}
                }
            )
        if loan.term_months and loan.term_months > product.term_months:
            raise ValidationError(
                {
                    "term_months": _("期限%(n)s个月超过%(product)s的最长期限%(max)s个月")
                    % {"n": loan.term_months, "product": product.name, "max": product.term_months}
                }
            )
        if loan.household_id and not loan.household.region_id.startswith(product.region_id):
            raise ValidationError(
                {"product": _("%(product)s不适用于该户所在地区") % {"product": product.name}}
            )
    if loan.term_months is not None and loan.term_months < 1:
        raise ValidationError({"term_months": _("期限至少 1 个月")})
    if loan.repayment == Repayment.REPAID:
        if not loan.repaid_date:
            raise ValidationError({"repaid_date": _("已还清的贷款请填写还清日期")})
        if loan.date and loan.repaid_date < loan.date:
            raise ValidationError({"repaid_date": _("还清日期不能早于放款日期")})
        if loan.repaid_date > today:
            raise ValidationError({"repaid_date": _("还清日期不能晚于今天")})
    elif loan.repaid_date:
        raise ValidationError({"repaid_date": _("只有已还清的贷款才填写还清日期")})
