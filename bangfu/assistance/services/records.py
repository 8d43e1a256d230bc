"""Creating and ending dated records: validate everything first, then write in one transaction,
so a refused record leaves nothing half-written."""

from __future__ import annotations

import datetime

from django.db import models, transaction


@transaction.atomic
def create(model: type[models.Model], **fields) -> models.Model:
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def end(obj: models.Model, end_date: datetime.date) -> models.Model:
    """End a dated record on `end_date` (inclusive): history is kept, nothing is deleted."""
    obj.end_date = end_date
    obj.full_clean()
    obj.save()
    return obj
