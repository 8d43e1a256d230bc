"""Writing labour agreements and jobs: validate, then save (audited), one transaction each; new
jobs of an import in bulk (`save_new_jobs`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from bangfu.core.imports.bulk import save_new
from bangfu.registry import copies

from ..models import Job, LabourAgreement
from . import totals


@transaction.atomic
def save(obj):
    obj.full_clean()
    obj.save()
    return obj


def create_agreement(**fields) -> LabourAgreement:
    return save(LabourAgreement(**fields))


def record_job(**fields) -> Job:
    return save(Job(**fields))


def save_new_jobs(objs: list[Job]) -> dict[int, ValidationError]:
    """Write new jobs set-based (the jobs import's `bulk_writer`, `core.imports.bulk.save_new`):
    each checked by the rules of `save()` (`check_job`; a job's rules look at no other job),
    the others written in a few statements — what `Job.save()` does for one: the region copied
    from the member's household (`copies.fill_many`, one query), the rows, their count and
    income added to `JobTotal` (grouped by county, year and kind), one audit entry each."""
    return save_new(
        Job,
        objs,
        before=copies.fill_many,
        after=lambda good: totals.add_ids([j.pk for j in good], 1),
    )
