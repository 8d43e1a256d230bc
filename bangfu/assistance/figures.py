"""The assistance app's section of the unit page (`core.figures`): villages assigned, cadres,
postings by role and households paired (and the people in them) in the period — each a count
over the user's scoped records of the unit and its backing units (`unit_ids`, a subquery), each
linking to the filtered list behind it. Six queries whatever the unit's size."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.figures import Figure, FigureSection, Period
from bangfu.registry.models import Member

from .choices import PostingRole
from .models import Assignment, Cadre, Pairing, Posting, Unit
from .services.rules import overlap_q


def root_unit_id(unit_ids) -> int | None:
    """The unit whose page asks: the shortest path of the subtree (one query)."""
    return (
        Unit.objects.filter(pk__in=unit_ids).order_by("path").values_list("pk", flat=True).first()
    )


def in_period(queryset, period: Period):
    """Dated records whose inclusive period overlaps `period` (open ends: unbounded)."""
    if period.start:
        queryset = queryset.filter(overlap_q(period.start, period.end))
    elif period.end:
        queryset = queryset.filter(start_date__lte=period.end)
    return queryset


def list_url(name: str, unit_id: int, period: Period, dated: bool = True, **params) -> str:
    query = {"unit": unit_id, **params}
    if dated and period.start:
        query["start"] = period.start.isoformat()
    if dated and period.end:
        query["end"] = period.end.isoformat()
    return f"{reverse(name)}?{urlencode(query)}"


def unit_assistance_figures(unit_ids, user, period: Period) -> FigureSection | None:
    if not user.has_perm("assistance.view_unit"):
        return None
    unit_id = root_unit_id(unit_ids)
    if unit_id is None:
        return None
    assignments = in_period(
        Assignment.objects.for_user(user).filter(
            Q(unit__in=unit_ids) | Q(backing_unit__in=unit_ids)
        ),
        period,
    )
    villages = assignments.values("village_id").distinct().count()
    cadres = Cadre.objects.for_user(user).filter(unit__in=unit_ids).count()
    postings = dict(
        in_period(Posting.objects.for_user(user).filter(cadre__unit__in=unit_ids), period)
        .order_by()
        .values_list("role")
        .annotate(n=Count("pk"))
    )
    pairings = in_period(Pairing.objects.for_user(user).filter(cadre__unit__in=unit_ids), period)
    paired = pairings.aggregate(n=Count("pk"), households=Count("household_id", distinct=True))
    people = (
        Member.objects.for_user(user).filter(household__in=pairings.values("household_id")).count()
    )
    pairing_url = list_url("assistance:pairing_list", unit_id, period)
    figures = [
        Figure(
            _("帮扶村"), villages, list_url("assistance:assignment_list", unit_id, period), _("个")
        ),
        Figure(
            _("帮扶干部"),
            cadres,
            list_url("assistance:cadre_list", unit_id, period, dated=False),
            _("人"),
        ),
    ]
    for role in PostingRole:
        figures.append(
            Figure(
                str(role.label),
                postings.get(role.value, 0),
                list_url("assistance:posting_list", unit_id, period, role=role.value),
                _("人次"),
            )
        )
    figures += [
        Figure(_("结对帮扶"), paired["n"], pairing_url, _("对")),
        Figure(_("结对帮扶户"), paired["households"], pairing_url, _("户")),
        Figure(_("结对帮扶户人口"), people, pairing_url, _("人")),
    ]
    return FigureSection("assistance", _("帮扶力量"), figures, order=10)
