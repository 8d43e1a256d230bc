"""The funds section of the unit page (core.figures): funds coordinated by source kind,
donations, allocations handled, projects by kind and status in the period — each figure a link
to its filtered list. Four aggregate queries whatever the unit's size.

A source, donation or allocation counts in the period by its date; a project by its start date
(the project list's `start`/`end` filter), so with an open period planned projects count too."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.assistance.models import Unit
from bangfu.core.figures import Figure, FigureSection, Period, register_unit_figures

from .choices import ProjectKind, ProjectStatus, SourceKind
from .models import Allocation, Donation, FundSource, Project


def _in_period(queryset, period: Period, field: str = "date"):
    if period.start:
        queryset = queryset.filter(**{f"{field}__gte": period.start})
    if period.end:
        queryset = queryset.filter(**{f"{field}__lte": period.end})
    return queryset


def fund_figures(unit_ids, user, period: Period) -> FigureSection | None:
    if not user.has_perm("funds.view_fundsource"):
        return None
    root = Unit.objects.filter(pk__in=unit_ids).order_by("path").values_list("pk", flat=True)
    root = root.first()
    if root is None:
        return None
    query = f"unit={root}"
    if period.query_string():
        query += "&" + period.query_string()

    def url(name: str, extra: str = "") -> str:
        return reverse(f"funds:{name}") + "?" + query + (f"&{extra}" if extra else "")

    figures: list[Figure] = []
    sources = _in_period(FundSource.objects.for_user(user).filter(unit__in=unit_ids), period)
    by_kind = {
        row["kind"]: row["total"]
        for row in sources.order_by().values("kind").annotate(total=Sum("amount"))
    }
    for kind in SourceKind:
        if kind.value in by_kind:
            figures.append(
                Figure(
                    kind.label,
                    by_kind[kind.value],
                    url("source_list", f"kind={kind.value}"),
                    _("元"),
                )
            )
    donations = _in_period(Donation.objects.for_user(user).filter(unit__in=unit_ids), period)
    d = donations.aggregate(n=Count("pk"), total=Sum("amount"))
    figures.append(Figure(_("社会捐赠笔数"), d["n"], url("donation_list"), _("笔")))
    allocations = _in_period(Allocation.objects.for_user(user).filter(unit__in=unit_ids), period)
    a = allocations.aggregate(total=Sum("amount"))
    figures.append(
        Figure(_("经办拨付"), a["total"] or Decimal("0.00"), url("allocation_list"), _("元"))
    )
    projects = _in_period(
        Project.objects.for_user(user).filter(unit__in=unit_ids), period, "start_date"
    )
    counts = projects.order_by().values("kind", "status").annotate(n=Count("pk"))
    kind_label, status_label = dict(ProjectKind.choices), dict(ProjectStatus.choices)
    for row in sorted(counts, key=lambda r: (r["kind"], r["status"])):
        figures.append(
            Figure(
                f"{kind_label[row['kind']]} · {status_label[row['status']]}",
                row["n"],
                url("project_list", f"kind={row['kind']}&status={row['status']}"),
                _("个项目"),
            )
        )
    return FigureSection(key="funds", title=_("扶贫资金与项目"), order=40, figures=figures)


def register() -> None:
    register_unit_figures("funds", fund_figures)
