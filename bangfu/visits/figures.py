"""The visits section of the unit page (core.figures): person-times of visits, households and
villages visited in the period, follow-ups open and overdue — each with the filtered list behind
it. Two aggregate queries whatever the unit's size."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.assistance.models import Unit
from bangfu.assistance.scoping import VILLAGE_CODE_LENGTH
from bangfu.core.figures import Figure, FigureSection, Period, register_unit_figures

from .choices import FollowUpStatus
from .models import FollowUp, Visit


def _in_period(queryset, period: Period, field: str = "date"):
    if period.start:
        queryset = queryset.filter(**{f"{field}__gte": period.start})
    if period.end:
        queryset = queryset.filter(**{f"{field}__lte": period.end})
    return queryset


def visit_figures(unit_ids, user, period: Period) -> FigureSection | None:
    if not user.has_perm("visits.view_visit"):
        return None
    root = Unit.objects.filter(pk__in=unit_ids).order_by("path").values_list("pk", flat=True)
    root = root.first()
    if root is None:
        return None
    visits = _in_period(Visit.objects.for_user(user).filter(cadre__unit__in=unit_ids), period)
    totals = visits.annotate(_village=Substr("region_id", 1, VILLAGE_CODE_LENGTH)).aggregate(
        person_times=Count("pk"),
        households=Count("household_id", distinct=True),
        villages=Count("_village", distinct=True),
    )
    follow_ups = _in_period(
        FollowUp.objects.for_user(user).filter(visit__cadre__unit__in=unit_ids),
        period,
        "visit__date",
    )
    today = timezone.localdate()
    open_q = Q(status=FollowUpStatus.OPEN)
    counts = follow_ups.aggregate(
        open=Count("pk", filter=open_q), overdue=Count("pk", filter=open_q & Q(due_date__lt=today))
    )
    query = f"unit={root}"
    if period.query_string():
        query += "&" + period.query_string()
    visit_list = reverse("visits:visit_list") + "?" + query
    follow_up_list = reverse("visits:follow_up_list") + "?" + query
    return FigureSection(
        key="visits",
        title=_("走访"),
        order=30,
        figures=[
            Figure(_("走访"), totals["person_times"], visit_list, _("人次")),
            Figure(_("走访户数"), totals["households"], visit_list, _("户")),
            Figure(_("走访村数"), totals["villages"], visit_list),
            Figure(_("待办未办结"), counts["open"], follow_up_list + "&status=open"),
            Figure(_("待办已逾期"), counts["overdue"], follow_up_list + "&overdue=true"),
        ],
    )


def register() -> None:
    register_unit_figures("visits", visit_figures)
