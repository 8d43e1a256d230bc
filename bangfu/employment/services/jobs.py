"""Writing labour agreements and jobs: validate, then save (audited), one transaction each."""

from __future__ import annotations

from django.db import transaction

from ..models import Job, LabourAgreement


@transaction.atomic
def save(obj):
    obj.full_clean()
    obj.save()
    return obj


def create_agreement(**fields) -> LabourAgreement:
    return save(LabourAgreement(**fields))


def record_job(**fields) -> Job:
    return save(Job(**fields))
