"""Cooperative figures: members (registered poor or not) and dividends per year, for the unit
page (`core.figures`, cooperatives the unit assists) and the cooperative page — aggregate
queries over the user's scoped records, each figure linking to its records. For a county, city
or province seen by a region user the dividends per year are read from the maintained totals
per county and year (`DividendTotal`, services/totals.py): exact, dividends are per year."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bangfu.core.figures import UNIT, Figure, FigureSection, Period, Subject
from bangfu.core.scoping import prefix_range
from bangfu.funds.figures import _totals_prefix

from .filters import POOR_MEMBER as POOR  # one definition for the figure and its link
from .models import Cooperative, Dividend, DividendTotal, Membership


def member_counts(memberships) -> dict:
    """{"poor": n, "other": n, "shares": Decimal} of a membership queryset: one query."""
    row = memberships.order_by().aggregate(
        poor=Count("pk", filter=POOR), total=Count("pk"), shares=Sum("shares")
    )
    return {"poor": row["poor"], "other": row["total"] - row["poor"], "shares": row["shares"]}


def dividends_by_year(dividends, poor: bool = True) -> list[dict]:
    """[{"year", "total", "poor_total", "n"}] newest first: one GROUP BY. Without `poor` the
    registered-poor share is not summed (no join to the members: the figures card of a
    province reads 100,000 dividends); with it, the members' copied `poor` flag is read, not
    their households."""
    sums: dict = {"total": Sum("amount"), "n": Count("pk")}
    if poor:
        sums["poor_total"] = Sum("amount", filter=Q(membership__poor=True))
    return list(dividends.order_by().values("year").annotate(**sums).order_by("-year"))


def unit_cooperative_figures(subject: Subject, user, period: Period) -> FigureSection | None:
    """Cooperatives the unit assists (unit page) or in villages under the region (region page):
    their members, registered poor or not, running in the period, and dividends per year."""
    if not user.has_perm("cooperatives.view_cooperative"):
        return None
    if subject.kind == UNIT and subject.unit_id is None:
        return None
    coops = subject.narrow(Cooperative.objects.for_user(user), unit="unit", region="village")
    if coops is None:
        return None
    n = coops.count()
    if not n:
        return None
    members = subject.narrow(
        Membership.objects.for_user(user), unit="cooperative__unit", region="cooperative__village"
    )
    if period.end:
        members = members.filter(joined__lte=period.end)
    if period.start:
        members = members.filter(Q(left__isnull=True) | Q(left__gte=period.start))
    counts = member_counts(members)
    prefix = _totals_prefix(subject, user)
    if prefix is not None:  # a county or above seen by a region user: the maintained totals
        stored = DividendTotal.objects.all()
        if prefix:
            low, high = prefix_range(prefix)
            stored = stored.filter(county__gte=low, county__lt=high)
        by_year = [
            {"year": r["year"], "total": Decimal(r["cents"]).scaleb(-2)}
            for r in period.filter_year(stored)
            .order_by()
            .values("year")
            .annotate(n=Sum("count"), cents=Sum("amount_cents"))
            .order_by("-year")
            if r["n"]
        ]
    else:
        dividends = subject.narrow(
            Dividend.objects.for_user(user),
            unit="cooperative__unit",
            region="cooperative__village",
        )
        by_year = dividends_by_year(period.filter_year(dividends), poor=False)
    url = subject.url("cooperatives:cooperative_list")
    figures = [
        Figure(
            _("帮扶的合作社") if subject.kind == UNIT else _("合作社"),
            n,
            url,
            pgettext("count of cooperatives", "个"),
        ),
        Figure(
            _("建档立卡户社员"),
            counts["poor"],
            subject.url("cooperatives:membership_list", period, poor="true"),
            _("户"),
        ),
        Figure(
            _("其他社员"),
            counts["other"],
            subject.url("cooperatives:membership_list", period, poor="false"),
            _("户"),
        ),
    ]
    for row in by_year:
        figures.append(
            Figure(
                _("%(year)s年分红") % {"year": row["year"]},
                row["total"],
                subject.url("cooperatives:dividend_list", year=row["year"]),
                _("元"),
            )
        )
    return FigureSection("cooperatives", _("合作社"), figures, order=60)
