"""Cooperative figures: members (registered poor or not) and dividends per year, for the unit
page (`core.figures`, cooperatives the unit assists) and the cooperative page — aggregate
queries over the user's scoped records, each figure linking to its records."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.assistance.figures import root_unit_id
from bangfu.core.figures import Figure, FigureSection, Period
from bangfu.registry.choices import Category

from .models import Cooperative, Dividend, Membership

POOR = Q(household__isnull=False) & ~Q(household__category=Category.NON_POOR)


def member_counts(memberships) -> dict:
    """{"poor": n, "other": n, "shares": Decimal} of a membership queryset: one query."""
    row = memberships.order_by().aggregate(
        poor=Count("pk", filter=POOR), total=Count("pk"), shares=Sum("shares")
    )
    return {"poor": row["poor"], "other": row["total"] - row["poor"], "shares": row["shares"]}


def dividends_by_year(dividends) -> list[dict]:
    """[{"year", "total", "poor_total", "n"}] newest first: one GROUP BY."""
    return list(
        dividends.order_by()
        .values("year")
        .annotate(
            total=Sum("amount"),
            poor_total=Sum(
                "amount",
                filter=Q(membership__household__isnull=False)
                & ~Q(membership__household__category=Category.NON_POOR),
            ),
            n=Count("pk"),
        )
        .order_by("-year")
    )


def unit_cooperative_figures(unit_ids, user, period: Period) -> FigureSection | None:
    if not user.has_perm("cooperatives.view_cooperative"):
        return None
    unit_id = root_unit_id(unit_ids)
    if unit_id is None:
        return None
    coops = Cooperative.objects.for_user(user).filter(unit__in=unit_ids)
    n = coops.count()
    if not n:
        return None
    members = Membership.objects.for_user(user).filter(cooperative__unit__in=unit_ids)
    if period.end:
        members = members.filter(joined__lte=period.end)
    if period.start:
        members = members.filter(Q(left__isnull=True) | Q(left__gte=period.start))
    counts = member_counts(members)
    dividends = Dividend.objects.for_user(user).filter(cooperative__unit__in=unit_ids)
    if period.start:
        dividends = dividends.filter(year__gte=period.start.year)
    if period.end:
        dividends = dividends.filter(year__lte=period.end.year)
    base = reverse("cooperatives:cooperative_list")
    url = f"{base}?{urlencode({'unit': unit_id})}"
    figures = [
        Figure(_("帮扶的合作社"), n, url, _("个")),
        Figure(_("建档立卡户社员"), counts["poor"], url, _("户")),
        Figure(_("其他社员"), counts["other"], url, _("户")),
    ]
    for row in dividends_by_year(dividends):
        figures.append(
            Figure(_("%(year)s年分红") % {"year": row["year"]}, row["total"], url, _("元"))
        )
    return FigureSection("cooperatives", _("合作社"), figures, order=60)
