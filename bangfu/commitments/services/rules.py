"""The rules of commitments and their payments (run by the models' `clean()`); each error names
its field in Chinese."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.cooperatives.services.money import check_amount, check_period


def check_commitment(c) -> None:
    check_amount(c.amount, "amount")
    if not c.unit_id and not (c.donor or "").strip():
        raise ValidationError({"unit": _("请选择承诺单位，或填写承诺人")})
    if c.member_id and c.household_id and c.member.household_id != c.household_id:
        raise ValidationError({"member": _("该成员不属于这一户")})
    if c.start_date and c.start_date.day > 28:
        raise ValidationError({"start_date": _("首期日期请选每月 1–28 日（每期在同一天到期）")})
    check_period(c.start_date, c.end_date)
    if c.event_date:
        if not c.end_event:
            raise ValidationError({"end_event": _("记录事件日期前请选择直到哪一事件")})
        if c.end_date and c.end_date != c.event_date:
            raise ValidationError(
                {"end_date": _("事件已于%(date)s发生，结束日期应为该日") % {"date": c.event_date}}
            )


def check_payment(p) -> None:
    from .schedule import due_dates

    check_amount(p.amount, "amount")
    if p.date and p.date > timezone.localdate():
        raise ValidationError({"date": _("发放日期不能晚于今天")})
    c = p.commitment if p.commitment_id else None
    if c is None or not p.period_start:
        return
    horizon = max(p.period_start, timezone.localdate())
    if p.period_start not in due_dates(c, horizon):
        raise ValidationError(
            {
                "period_start": _("%(date)s不是该承诺的应发日期（首期%(start)s，%(period)s）")
                % {
                    "date": p.period_start.isoformat(),
                    "start": c.start_date.isoformat(),
                    "period": c.get_period_display(),
                }
            }
        )
