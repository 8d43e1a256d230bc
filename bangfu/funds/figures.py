"""The funds section of the unit, region and project pages (`core.figures`): money in by source
kind, donations, money out by use (allocation kind), projects by kind and status, and outputs by
unit of measure in the period — each figure a link to its filtered list. At most eight aggregate
queries whatever the subject's size. For a county, city or province the sources by kind and the
allocations by kind read the maintained totals only: the month tables (`SourceTotal`,
`AllocationTotal`) for the whole months of the period and the day tables (`SourceDayTotal`,
`AllocationDayTotal`) for the partial months at its ends (`_by_kind`; docs/funds.md).

A source, donation or allocation counts in the period by its date; a project by its start date
(the project list's `start`/`end` filter), so with an open period planned projects count too;
an output by its project's start date. On the project page only what concerns that project is
shown: what it received by use and its outputs."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.figures import (
    REGION,
    UNIT,
    Figure,
    FigureSection,
    Period,
    Subject,
    register_figures,
)
from bangfu.core.scoping import prefix_range, user_region_code

from .choices import AllocationKind, ProjectKind, ProjectStatus, SourceKind
from .models import (
    Allocation,
    Donation,
    FundSource,
    Project,
    ProjectOutput,
)
from .services import totals


def _in_period(queryset, period: Period, field: str = "date"):
    return period.filter(queryset, field)


def _totals_prefix(subject: Subject, user) -> str | None:
    """The region prefix whose records the card counts, when the totals tables can answer
    for it: a region subject at county level or above, seen by a user whose scope is a plain
    region prefix (the records are then exactly those under the longer of the two codes).
    None: count the records (units, projects, unit or cadre users, villages, townships)."""
    if subject.kind != REGION:
        return None
    code = (subject.region_code or "").strip()
    if code and not (code.isascii() and code.isdigit()):
        return None
    scope = user_region_code(user)
    if scope is None:
        return None
    if code.startswith(scope):
        prefix = code
    elif scope.startswith(code):
        prefix = scope
    else:
        return None
    return prefix if len(prefix) <= totals.COUNTY_LENGTH else None


def _first_of_next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def whole_months(period: Period) -> tuple[datetime.date | None, datetime.date | None] | None:
    """The whole months inside the period as `[first, upper)` month starts (None: open), or
    None when no whole month fits. The days of the period outside them are partial months."""
    first = upper = None
    if period.start:
        s = period.start
        first = s if s.day == 1 else _first_of_next_month(s)
    if period.end:
        upper = (period.end + datetime.timedelta(days=1)).replace(day=1)
    if first and upper and first >= upper:
        return None
    return first, upper


def _by_kind(records, table: totals.Table, subject: Subject, user, period: Period) -> dict:
    """`{kind: {"n": count, "total": yuan}}` of the records (allocations or sources) in the
    period: from the records, or — for a county, city or province — from the pair of totals
    tables of `table` (`totals.ALLOCATIONS`, `totals.SOURCES`): the whole months from the month
    table, the partial months at the period's ends from the day table. Two queries at most:
    month keys and day keys, each a county range × a date range of a small table."""

    def from_records(queryset) -> dict:
        return {
            r["kind"]: {"n": r["n"], "total": r["total"]}
            for r in queryset.order_by().values("kind").annotate(n=Count("pk"), total=Sum("amount"))
        }

    prefix = _totals_prefix(subject, user)
    if prefix is None:
        return from_records(_in_period(records, period))
    months = whole_months(period)
    first, upper = months if months is not None else (None, None)
    parts = []  # (model, its date field, the date range's Q)
    if months is not None:
        q = Q()
        if first:
            q &= Q(month__gte=first)
        if upper:
            q &= Q(month__lt=upper)
        parts.append((table.model(totals.MONTH), q))
    # the days outside the whole months (all of them when no whole month fits)
    days = []
    if months is None:
        days.append(Q(day__gte=period.start, day__lte=period.end))
    else:
        if period.start and period.start < first:
            days.append(Q(day__gte=period.start, day__lt=first))
        if period.end and upper <= period.end:
            days.append(Q(day__gte=upper, day__lte=period.end))
    if days:
        q = days[0]
        for other in days[1:]:
            q |= other
        parts.append((table.model(totals.DAY), q))
    rows: dict = {}
    for model, q in parts:
        stored = model.objects.filter(q)
        if prefix:
            low, high = prefix_range(prefix)
            stored = stored.filter(county__gte=low, county__lt=high)
        for r in (
            stored.order_by().values("kind").annotate(n=Sum("count"), cents=Sum("amount_cents"))
        ):
            if not r["n"]:
                continue
            row = rows.setdefault(r["kind"], {"n": 0, "total": Decimal("0.00")})
            row["n"] += r["n"]
            row["total"] += Decimal(r["cents"]).scaleb(-2)
    return rows


def fund_figures(subject: Subject, user, period: Period) -> FigureSection | None:
    if not user.has_perm("funds.view_fundsource"):
        return None
    if subject.kind == UNIT and subject.unit_id is None:
        return None

    def url(name: str, **extra) -> str:
        return subject.url(f"funds:{name}", period, **extra)

    figures: list[Figure] = []
    sources = subject.narrow(FundSource.objects.for_user(user), unit="unit", region="region")
    if sources is not None:
        by_kind = _by_kind(sources, totals.SOURCES, subject, user, period)
        for kind in SourceKind:
            if kind.value in by_kind:
                figures.append(
                    Figure(
                        kind.label,
                        by_kind[kind.value]["total"],
                        url("source_list", kind=kind.value),
                        _("元"),
                    )
                )
    donations = subject.narrow(Donation.objects.for_user(user), unit="unit", region="region")
    if donations is not None:
        d = _in_period(donations, period).aggregate(n=Count("pk"), total=Sum("amount"))
        figures.append(Figure(_("社会捐赠笔数"), d["n"], url("donation_list"), _("笔")))
        figures.append(
            Figure(_("社会捐赠金额"), d["total"] or Decimal("0.00"), url("donation_list"), _("元"))
        )
    allocations = subject.narrow(
        Allocation.objects.for_user(user), unit="unit", region="region", project="project"
    )
    if allocations is not None:
        rows = _by_kind(allocations, totals.ALLOCATIONS, subject, user, period)
        total = sum((r["total"] for r in rows.values()), Decimal("0.00"))
        label = _("经办拨付") if subject.kind == UNIT else _("拨付合计")
        figures.append(Figure(label, total, url("allocation_list"), _("元")))
        for kind in AllocationKind:
            if kind.value in rows:
                figures.append(
                    Figure(
                        _("拨付 · %(kind)s") % {"kind": kind.label},
                        rows[kind.value]["total"],
                        url("allocation_list", kind=kind.value),
                        _("元"),
                    )
                )
    projects = subject.narrow(Project.objects.for_user(user), unit="unit", region="village")
    if projects is not None:
        counts = (
            _in_period(projects, period, "start_date")
            .order_by()
            .values("kind", "status")
            .annotate(n=Count("pk"))
        )
        kind_label, status_label = dict(ProjectKind.choices), dict(ProjectStatus.choices)
        for row in sorted(counts, key=lambda r: (r["kind"], r["status"])):
            figures.append(
                Figure(
                    f"{kind_label[row['kind']]} · {status_label[row['status']]}",
                    row["n"],
                    url("project_list", kind=row["kind"], status=row["status"]),
                    _("个项目"),
                )
            )
    outputs = subject.narrow(
        ProjectOutput.objects.for_user(user),
        unit="project__unit",
        region="project__village",
        project="project",
    )
    if outputs is not None:
        if subject.kind != "project":
            outputs = _in_period(outputs, period, "project__start_date")
        rows = outputs.order_by().values("measure").annotate(total=Sum("quantity"))
        own_page = (
            reverse("funds:project", kwargs={"pk": subject.project.pk})
            if subject.kind == "project"
            else None
        )
        for row in sorted(rows, key=lambda r: r["measure"]):
            figures.append(
                Figure(
                    _("产出 · %(measure)s") % {"measure": row["measure"]},
                    row["total"],
                    own_page or url("project_list", measure=row["measure"]),
                    row["measure"],
                )
            )
    if not figures:
        return None
    return FigureSection(key="funds", title=_("扶贫资金与项目"), order=40, figures=figures)


def register() -> None:
    register_figures("funds", fund_figures)
