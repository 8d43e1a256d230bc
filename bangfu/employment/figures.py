"""The employment section of the unit page (`core.figures`): labour-export agreements the unit
brokered that run in the period, their places and the jobs recorded under them — aggregate
queries over the user's scoped records, each figure linking to its records."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.assistance.figures import root_unit_id
from bangfu.core.figures import Figure, FigureSection, Period

from .models import Job, LabourAgreement


def unit_employment_figures(unit_ids, user, period: Period) -> FigureSection | None:
    if not user.has_perm("employment.view_labouragreement"):
        return None
    unit_id = root_unit_id(unit_ids)
    if unit_id is None:
        return None
    agreements = LabourAgreement.objects.for_user(user).filter(unit__in=unit_ids)
    if period.end:
        agreements = agreements.filter(start_date__lte=period.end)
    if period.start:
        agreements = agreements.filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
    row = agreements.aggregate(n=Count("pk"), places=Sum("places"))
    if not row["n"]:
        return None
    jobs = Job.objects.for_user(user).filter(agreement__in=agreements.values("pk"))
    if period.start:
        jobs = jobs.filter(year__gte=period.start.year)
    if period.end:
        jobs = jobs.filter(year__lte=period.end.year)
    job_row = jobs.aggregate(n=Count("pk"), income=Sum("income"))
    url = f"{reverse('employment:agreement_list')}?{urlencode({'unit': unit_id})}"
    jobs_url = f"{reverse('employment:job_list')}?{urlencode({'unit': unit_id})}"
    return FigureSection(
        "employment",
        _("就业帮扶"),
        [
            Figure(_("促成的劳务输出协议"), row["n"], url, _("份")),
            Figure(_("协议岗位"), row["places"] or 0, url, _("个")),
            Figure(_("协议下就业"), job_row["n"], jobs_url, _("人次")),
            Figure(_("协议下务工收入"), job_row["income"] or 0, jobs_url, _("元")),
        ],
        order=65,
    )
