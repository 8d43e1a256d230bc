"""The rules cooperative records must satisfy; the models' `clean()` runs them and the services
call `full_clean()`, so the page, the API and the import are judged alike. Each error names its
field in Chinese."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .money import check_amount, check_period, check_village


def check_cooperative(coop) -> None:
    if coop.village_id:
        check_village(coop.village)
    if coop.founded and coop.founded > timezone.localdate():
        raise ValidationError({"founded": _("成立日期不能晚于今天")})


def check_membership(m) -> None:
    if not m.household_id and not (m.name or "").strip():
        raise ValidationError({"household": _("请选择建档立卡户，或为非建档立卡社员填写姓名")})
    check_amount(m.shares, "shares", allow_zero=True)
    check_period(m.joined, m.left, "left")
    if m.household_id and m.cooperative_id:
        if not m.household.region_id.startswith(m.cooperative.village_id[:6]):
            raise ValidationError({"household": _("该户不在合作社所在县")})


def check_year(y) -> None:
    if y.profit is not None and y.profit < 0:
        # A loss is recorded as a negative profit; only its size is checked.
        check_amount(-y.profit, "profit", allow_zero=True)
    else:
        check_amount(y.profit, "profit", allow_zero=True)
    if y.poor_jobs > y.jobs:
        raise ValidationError({"poor_jobs": _("建档立卡就业人数不能多于带动就业人数")})
    if y.year and y.year > timezone.localdate().year:
        raise ValidationError({"year": _("年度不能晚于今年")})


def membership_runs_in(m, year: int) -> bool:
    return m.joined.year <= year and (m.left is None or m.left.year >= year)


def check_dividend(d) -> None:
    check_amount(d.amount, "amount")
    if not d.membership_id or not d.year:
        return
    m = d.membership
    if d.cooperative_id and m.cooperative_id != d.cooperative_id:
        raise ValidationError({"membership": _("该社员不属于这个合作社")})
    if not membership_runs_in(m, d.year):
        raise ValidationError(
            {
                "membership": _(
                    "%(who)s在%(year)s年不是%(coop)s的社员（入社%(joined)s%(left)s），不能分红"
                )
                % {
                    "who": m,
                    "year": d.year,
                    "coop": m.cooperative,
                    "joined": m.joined.isoformat(),
                    "left": _("，退社%(date)s") % {"date": m.left.isoformat()} if m.left else "",
                }
            }
        )
