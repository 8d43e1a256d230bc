"""Writing loan products and loans: validate, then save (audited), one transaction each."""

from __future__ import annotations

from django.db import transaction

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
