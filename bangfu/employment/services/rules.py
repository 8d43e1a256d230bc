"""The rules of labour agreements and jobs (run by the models' `clean()`); each error names its
field in Chinese."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.cooperatives.services.money import check_amount, check_period

from ..choices import JobKind

# A year's wage of one person above this is a typing error (e.g. 万元 entered as 元).
MAX_INCOME = Decimal("1000000")
MAX_PLACES = 100000


def check_agreement(a) -> None:
    check_period(a.start_date, a.end_date)
    if a.places is not None and not (1 <= a.places <= MAX_PLACES):
        raise ValidationError({"places": _("岗位数应在 1 到 %(max)s 之间") % {"max": MAX_PLACES}})


def check_job(j) -> None:
    check_amount(j.income, "income", allow_zero=True, limit=MAX_INCOME)
    check_period(j.start_date, j.end_date)
    if j.months is not None and not (1 <= j.months <= 12):
        raise ValidationError({"months": _("务工月数应在 1 到 12 之间")})
    if j.year:
        if j.year > timezone.localdate().year:
            raise ValidationError({"year": _("年度不能晚于今年")})
        if j.start_date and j.start_date.year > j.year:
            raise ValidationError({"start_date": _("开始日期晚于所填年度")})
        if j.end_date and j.end_date.year < j.year:
            raise ValidationError({"end_date": _("结束日期早于所填年度")})
    if j.agreement_id:
        if j.kind != JobKind.LABOUR_EXPORT:
            raise ValidationError({"agreement": _("只有劳务输出才关联劳务输出协议")})
        if j.member_id and not j.member.household.region_id.startswith(j.agreement.region_id):
            raise ValidationError({"agreement": _("该协议不覆盖这一成员所在地区")})
