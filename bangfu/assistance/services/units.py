"""Units, assignments, cadres and postings."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from ..choices import PostingRole
from ..models import Assignment, Cadre, CadreHasHistory, Posting, Unit
from .records import create, end


def create_unit(name: str, kind: str, parent: Unit | None = None, **fields) -> Unit:
    return create(Unit, name=name, kind=kind, parent=parent, **fields)


def assign(
    unit: Unit,
    village,
    start_date: datetime.date,
    backing_unit: Unit | None = None,
    end_date: datetime.date | None = None,
    note: str = "",
) -> Assignment:
    """Assign a unit to a village (定点帮扶); future start dates are allowed (planning)."""
    return create(
        Assignment,
        unit=unit,
        village=village,
        start_date=start_date,
        end_date=end_date,
        backing_unit=backing_unit,
        note=note,
    )


def end_assignment(assignment: Assignment, end_date: datetime.date) -> Assignment:
    return end(assignment, end_date)


def create_cadre(unit: Unit, name: str, **fields) -> Cadre:
    return create(Cadre, unit=unit, name=name, **fields)


def post(
    cadre: Cadre,
    village,
    role: str,
    start_date: datetime.date,
    full_time: bool = True,
    end_date: datetime.date | None = None,
) -> Posting:
    """Station a cadre in a village; future start dates are allowed (planning)."""
    return create(
        Posting,
        cadre=cadre,
        village=village,
        role=PostingRole(role),
        start_date=start_date,
        end_date=end_date,
        full_time=full_time,
    )


def end_posting(posting: Posting, end_date: datetime.date) -> Posting:
    return end(posting, end_date)


@transaction.atomic
def delete_cadre(cadre: Cadre) -> None:
    """Delete a cadre who has no history; otherwise a ValidationError telling what to do."""
    try:
        cadre.delete()
    except CadreHasHistory as exc:
        raise ValidationError(exc.args[0]) from exc
