"""The visits app's checks on the shared coverage page (core.checks): households not visited in
N days (`?days=`, default 90) and overdue follow-ups, each from the user's scoped records."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.checks import Check, CheckRow, int_param, register_check
from bangfu.registry.models import Household

from .models import FollowUp
from .services import coverage


def days_of(params) -> int:
    return int_param(params, "days", coverage.DEFAULT_DAYS, 1, 3660)


def _households(user, params):
    return coverage.households_not_visited(
        days_of(params), base=Household.objects.for_user(user)
    ).order_by("household_no")


def _follow_ups(user, params):
    return (
        coverage.overdue_follow_ups(base=FollowUp.objects.for_user(user))
        .select_related("visit", "owner")
        .order_by("due_date", "pk")
    )


def register() -> None:
    register_check(
        Check(
            key="not_visited",
            order=40,
            permission="visits.view_visit",
            title=lambda params: (
                _("%(days)s 天内未走访的贫困户和监测户") % {"days": days_of(params)}
            ),
            rows=_households,
            row=lambda h: CheckRow(
                h.household_no,
                reverse("registry:household", kwargs={"pk": h.pk}),
                h.last_visit or _("从未走访"),
            ),
            export_header=lambda: [_("户编号"), _("区划代码"), _("户类型"), _("最近走访日期")],
            export_row=lambda h: (
                h.household_no,
                h.region_id,
                h.get_status_display(),
                h.last_visit.isoformat() if h.last_visit else "",
            ),
            settings=(("days", lambda: _("未走访天数"), str(coverage.DEFAULT_DAYS)),),
        )
    )
    register_check(
        Check(
            key="overdue_follow_ups",
            order=50,
            permission="visits.view_followup",
            title=lambda params: _("逾期未办结的走访待办"),
            rows=_follow_ups,
            row=lambda f: CheckRow(
                f.action[:60],
                reverse("visits:visit", kwargs={"pk": f.visit_id}),
                f.due_date,
            ),
            export_header=lambda: [_("待办事项"), _("完成期限"), _("责任人"), _("走访日期")],
            export_row=lambda f: (
                f.action,
                f.due_date.isoformat(),
                f.owner.name if f.owner else "",
                f.visit.date.isoformat(),
            ),
        )
    )
