"""The activities section of the unit page (`core.figures`): activities by kind in the period,
with the participants and counts each kind records — one GROUP BY over the user's scoped
activities of the unit and its backing units, each figure linking to the filtered list."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.assistance.figures import root_unit_id
from bangfu.core.figures import Figure, FigureSection, Period

from .choices import KIND_COUNTS, ActivityKind
from .models import Activity


def activities_in(unit_ids, user, period: Period):
    qs = Activity.objects.for_user(user).filter(unit__in=unit_ids)
    if period.start:
        qs = qs.filter(date__gte=period.start)
    if period.end:
        qs = qs.filter(date__lte=period.end)
    return qs


def unit_activity_figures(unit_ids, user, period: Period) -> FigureSection | None:
    if not user.has_perm("activities.view_activity"):
        return None
    unit_id = root_unit_id(unit_ids)
    if unit_id is None:
        return None
    rows = {
        row["kind"]: row
        for row in activities_in(unit_ids, user, period)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"), people=Sum("participants"), total=Sum("count"))
    }
    base = reverse("activities:activity_list")

    def url(**extra) -> str:
        params = {"unit": unit_id, **extra}
        if period.start:
            params["start"] = period.start.isoformat()
        if period.end:
            params["end"] = period.end.isoformat()
        return f"{base}?{urlencode(params)}"

    figures = [
        Figure(_("活动合计"), sum(r["n"] for r in rows.values()), url(), _("次")),
    ]
    for kind in ActivityKind:
        row = rows.get(kind.value)
        if row is None:
            continue
        spec = KIND_COUNTS[kind]
        link = url(kind=kind.value)
        figures.append(Figure(str(kind.label), row["n"], link, _("次")))
        if spec.participants:
            figures.append(
                Figure(
                    _("%(kind)s参加人次") % {"kind": kind.label},
                    row["people"] or 0,
                    link,
                    _("人次"),
                )
            )
        if spec.count_label is not None:
            figures.append(
                Figure(str(spec.count_label), row["total"] or 0, link, str(spec.count_suffix))
            )
    return FigureSection("activities", _("会议与活动"), figures, order=40)
