"""Writing commitments and payments: validate, then save (audited), one transaction each."""

from __future__ import annotations

import datetime

from django.db import transaction

from ..models import Commitment, CommitmentPayment


@transaction.atomic
def save(obj):
    obj.full_clean()
    obj.save()
    return obj


def make_commitment(**fields) -> Commitment:
    return save(Commitment(**fields))


def record_payment(commitment, period_start, amount, date=None, **fields) -> CommitmentPayment:
    return save(
        CommitmentPayment(
            commitment=commitment,
            period_start=period_start,
            amount=amount,
            date=date or period_start,
            **fields,
        )
    )


@transaction.atomic
def record_end_event(commitment, date: datetime.date, event: str | None = None) -> Commitment:
    """The event (e.g. graduation) happened on `date`: it becomes the end date, so no period
    after it falls due."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if event:
        commitment.end_event = event
    commitment.event_date = date
    commitment.end_date = date
    return save(commitment)
