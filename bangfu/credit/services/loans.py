"""Writing loan products and loans: validate, then save (audited), one transaction each; new
loans of an import in bulk (`save_new_loans`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from bangfu.core.imports.bulk import save_new
from bangfu.registry import copies

from ..models import Loan, LoanProduct


@transaction.atomic
def save(obj):
    obj.full_clean()
    obj.save()
    return obj


def create_product(**fields) -> LoanProduct:
    return save(LoanProduct(**fields))


def record_loan(**fields) -> Loan:
    return save(Loan(**fields))


def save_new_loans(objs: list[Loan]) -> dict[int, ValidationError]:
    """Write new loans set-based (the loans import's `bulk_writer`, `core.imports.bulk.save_new`):
    each checked by the rules of `save()` (`check_loan`: product limits and region, dates,
    repayment; a loan's rules look at no other loan), the others written in a few statements —
    what `Loan.save()` does for one: the region copied from the household (`copies.fill_many`,
    one query), the rows, one audit entry each."""
    return save_new(Loan, objs, before=copies.fill_many)
