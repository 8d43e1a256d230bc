"""Recording activities: validate everything, then write (audited by the model)."""

from __future__ import annotations

from django.db import transaction

from ..models import Activity


@transaction.atomic
def record_activity(**fields) -> Activity:
    activity = Activity(**fields)
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def update_activity(activity: Activity, **fields) -> Activity:
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.full_clean()
    activity.save()
    return activity
