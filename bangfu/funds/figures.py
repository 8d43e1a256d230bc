"""The funds section of the unit, region and project pages (`core.figures`): money in by source
kind, donations, money out by use (allocation kind), projects by kind and status, and outputs by
unit of measure in the period — each figure a link to its filtered list. At most five aggregate
queries whatever the subject's size.

A source, donation or allocation counts in the period by its date; a project by its start date
(the project list's `start`/`end` filter), so with an open period planned projects count too;
an output by its project's start date. On the project page only what concerns that project is
shown: what it received by use and its outputs."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.figures import UNIT, Figure, FigureSection, Period, Subject, register_figures

from .choices import AllocationKind, ProjectKind, ProjectStatus, SourceKind
from .models import Allocation, Donation, FundSource, Project, ProjectOutput


def _in_period(queryset, period: Period, field: str = "date"):
    return period.filter(queryset, field)


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
        by_kind = {
            row["kind"]: row["total"]
            for row in _in_period(sources, period)
            .order_by()
            .values("kind")
            .annotate(total=Sum("amount"))
        }
        for kind in SourceKind:
            if kind.value in by_kind:
                figures.append(
                    Figure(
                        kind.label,
                        by_kind[kind.value],
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
        rows = {
            r["kind"]: r
            for r in _in_period(allocations, period)
            .order_by()
            .values("kind")
            .annotate(n=Count("pk"), total=Sum("amount"))
        }
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
