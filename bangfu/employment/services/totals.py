"""Maintained job totals (`JobTotal`): count and income in whole cents per county, year and
kind, so the figures card of a county, city or province reads them instead of every job under
it (bangfu/core/yeartotals.py has the SQL and the pattern).

Who keeps them: `Job.save()` / `.delete()` and `JobQuerySet`'s `bulk_create`, `update` and
`delete` (deltas from one GROUP BY over the affected jobs, in the write's transaction), and
bangfu/registry/copies.py when the jobs' copied `region` changes (`move_jobs`, one statement
before its UPDATE). Raw SQL that writes `employment_job` (the benchmarks) calls
`rebuild_job_totals()` afterwards; `check_job_totals()` is run by `bangfu reconcile-funds`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.yeartotals import YearTotals, problem

JOBS = YearTotals(
    table="employment_jobtotal",
    keys=("county", "year", "kind"),
    cents_column="income_cents",
    source="employment_job",
    region="employment_job.region_id",
    key_sql=("employment_job.year", "employment_job.kind"),
    amount="employment_job.income",
    label="employment.jobtotal",
)


def add_ids(ids, sign: int = 1) -> None:
    JOBS.add_ids("employment_job.id", ids, sign)


def move_jobs(join: str, where: str, params, new_region: str) -> None:
    """The jobs `join`ed to the truth and selected by `where` are about to get region
    `new_region` (SQL over the join): their totals move to the new county, set-based."""
    JOBS.move(join, where, params, new_region)


def check_job_totals(region: str = "") -> list[tuple]:
    """`(county, year, kind, total count, total cents, job count, job cents)` that differ."""
    return JOBS.check(region)


def job_total_problems(region: str = "") -> list[tuple[str, str]]:
    """(message, link to the jobs) of every key whose total differs (`bangfu reconcile-funds`)."""
    from ..choices import JobKind

    kinds = dict(JobKind.choices)
    out = []
    for county, year, kind, tn, tc, rn, rc in check_job_totals(region):
        what = _("就业（%(kind)s）") % {"kind": kinds.get(kind, kind)}
        query = urlencode({"region": county, "year": year, "kind": kind})
        out.append(
            (
                problem(what, county, year, tn, tc, rn, rc),
                f"{reverse('employment:job_list')}?{query}",
            )
        )
    return out


def rebuild_job_totals() -> int:
    from ..models import JobTotal

    return JOBS.rebuild(JobTotal)
