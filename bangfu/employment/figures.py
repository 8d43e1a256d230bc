"""The employment section of the unit and region pages (`core.figures`).

Unit page: labour-export agreements the unit brokered that run in the period, their places and
the jobs recorded under them. Region page: jobs of the region's members by kind (劳务输出,
公益性岗位, 社区工厂/扶贫车间, 就近务工) in the years the period touches, with their income —
for a county, city or province seen by a region user, read from the maintained totals per
county, year and kind (`JobTotal`, services/totals.py): exact, jobs are per year.
Aggregate queries over the user's scoped records, each figure linking to its records."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bangfu.core.figures import REGION, UNIT, Figure, FigureSection, Period, Subject
from bangfu.core.scoping import prefix_range
from bangfu.funds.figures import _totals_prefix

from .choices import JobKind
from .models import Job, JobTotal, LabourAgreement


def unit_employment_figures(subject: Subject, user, period: Period) -> FigureSection | None:
    if not user.has_perm("employment.view_labouragreement"):
        return None
    if subject.kind == REGION:
        return region_job_figures(subject, user, period)
    if subject.kind != UNIT or subject.unit_id is None:
        return None
    agreements = LabourAgreement.objects.for_user(user).filter(unit__in=subject.unit_ids)
    if period.end:
        agreements = agreements.filter(start_date__lte=period.end)
    if period.start:
        agreements = agreements.filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
    row = agreements.aggregate(n=Count("pk"), places=Sum("places"))
    if not row["n"]:
        return None
    jobs = period.filter_year(
        Job.objects.for_user(user).filter(agreement__in=agreements.values("pk"))
    )
    job_row = jobs.aggregate(n=Count("pk"), income=Sum("income"))
    url = subject.url("employment:agreement_list")
    jobs_url = subject.url("employment:job_list", period)
    return FigureSection(
        "employment",
        _("就业帮扶"),
        [
            Figure(_("促成的劳务输出协议"), row["n"], url, _("份")),
            Figure(_("协议岗位"), row["places"] or 0, url, pgettext("count of posts", "个")),
            Figure(_("协议下就业"), job_row["n"], jobs_url, _("人次")),
            Figure(_("协议下务工收入"), job_row["income"] or 0, jobs_url, _("元")),
        ],
        order=65,
    )


def region_job_figures(subject: Subject, user, period: Period) -> FigureSection | None:
    if not user.has_perm("employment.view_job"):
        return None
    prefix = _totals_prefix(subject, user)
    if prefix is not None:  # a county or above seen by a region user: the maintained totals
        stored = JobTotal.objects.all()
        if prefix:
            low, high = prefix_range(prefix)
            stored = stored.filter(county__gte=low, county__lt=high)
        rows = {
            r["kind"]: {"n": r["n"], "income": Decimal(r["cents"]).scaleb(-2)}
            for r in period.filter_year(stored)
            .order_by()
            .values("kind")
            .annotate(n=Sum("count"), cents=Sum("income_cents"))
            if r["n"]
        }
    else:
        jobs = subject.narrow(Job.objects.for_user(user), region="region")
        rows = {
            r["kind"]: r
            for r in period.filter_year(jobs)
            .order_by()
            .values("kind")
            .annotate(n=Count("pk"), income=Sum("income"))
        }
    if not rows:
        return None
    figures = []
    for kind in JobKind:
        if kind.value in rows:
            url = subject.url("employment:job_list", period, kind=kind.value)
            figures.append(Figure(kind.label, rows[kind.value]["n"], url, _("人次")))
            figures.append(
                Figure(
                    _("%(kind)s收入") % {"kind": kind.label},
                    rows[kind.value]["income"] or 0,
                    url,
                    _("元"),
                )
            )
    return FigureSection("employment", _("就业帮扶"), figures, order=65)
