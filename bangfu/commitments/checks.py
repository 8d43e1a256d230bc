"""The commitments check on the shared coverage page (core.checks): commitments with periods due
at least `grace` days ago (`?grace=`, default 15) that are not paid in full — one query
(`services.schedule.overdue`) over the user's scoped commitments."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.checks import Check, CheckRow, int_param, register_check

from .models import Commitment
from .services.schedule import DEFAULT_GRACE_DAYS, overdue


def grace_of(params) -> int:
    return int_param(params, "grace", DEFAULT_GRACE_DAYS, 0, 365)


def overdue_commitments(user, params):
    on = timezone.localdate() - datetime.timedelta(days=grace_of(params))
    return (
        overdue(Commitment.objects.for_user(user), on)
        .select_related("household", "member", "unit")
        .order_by("start_date", "pk")
    )


def register() -> None:
    register_check(
        Check(
            key="commitments_overdue",
            order=70,
            permission="commitments.view_commitment",
            title=lambda params: (
                _("承诺发放逾期（应发超过 %(days)s 天未足额发放）") % {"days": grace_of(params)}
            ),
            rows=overdue_commitments,
            row=lambda c: CheckRow(
                str(c),
                reverse("commitments:commitment", kwargs={"pk": c.pk}),
                _("逾期 %(n)s 期") % {"n": c.periods_overdue},
            ),
            export_header=lambda: [
                _("户编号"),
                _("承诺单位或承诺人"),
                _("每期金额（元）"),
                _("发放周期"),
                _("应发期数"),
                _("足额发放期数"),
                _("逾期期数"),
            ],
            export_row=lambda c: (
                c.household.household_no,
                c.giver,
                c.amount,
                c.get_period_display(),
                c.periods_due,
                c.periods_paid,
                c.periods_overdue,
            ),
            settings=(("grace", lambda: _("宽限天数"), str(DEFAULT_GRACE_DAYS)),),
        )
    )
