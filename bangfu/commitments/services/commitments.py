"""Writing commitments and payments: validate, then save (audited), one transaction each."""

from __future__ import annotations

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
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


def save_new_payments(payments: list[CommitmentPayment]) -> dict[int, ValidationError]:
    """Write new payments set-based (the import's `bulk_writer`, `core.imports.bulk.save_new`):
    the same checks and messages as `save()` of each one — the fields, `check_payment` (the
    period must be a due date of the commitment's schedule, amounts, dates) and one payment per
    period, against the database (one grouped query for the batch) and against the earlier
    payments of the batch — then the good ones inserted with their audit entries. The
    commitments come resolved with their households (the audit subject): no query per
    payment."""
    from bangfu.core.imports.bulk import save_new

    ids = {p.commitment_id for p in payments} - {None}
    periods = {p.period_start for p in payments} - {None}
    paid = set(
        CommitmentPayment.objects.filter(
            commitment_id__in=ids, period_start__in=periods
        ).values_list("commitment_id", "period_start")
        if ids and periods
        else ()
    )

    def one_per_period(p: CommitmentPayment, found: dict) -> None:
        # the unique constraint, as `full_clean()` checks it: skipped when one of its fields
        # already has an error, reported as a record-wide error
        key = (p.commitment_id, p.period_start)
        if "commitment" not in found and "period_start" not in found and key in paid:
            message = p.unique_error_message(CommitmentPayment, ("commitment", "period_start"))
            found.setdefault(NON_FIELD_ERRORS, []).append(message)
        if not found:
            paid.add(key)

    return save_new(CommitmentPayment, payments, check=one_per_period)
