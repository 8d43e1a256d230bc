"""Writing plans and measures: the one path forms, the API and commands take.

Each function sets the fields, runs the rules (`full_clean`, all errors at once, naming their
fields), saves (audited) and — when a `user` is given — checks the saved record is still inside
the user's scope, all in one transaction: a refused write leaves nothing behind. Unknown field
names are a programming error (TypeError), not a user's.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import MeasureStatus
from ..models import Measure, Plan
from . import rules

PLAN_FIELDS = (
    "title",
    "village",
    "household",
    "unit",
    "author",
    "start_date",
    "end_date",
    "target_income_per_capita",
    "industries",
    "other_goals",
    "status",
)
MEASURE_FIELDS = (
    "kind",
    "description",
    "owner",
    "owner_unit",
    "cost",
    "due_date",
    "status",
    "done_date",
    "evidence",
)


def _assign(obj, allowed, fields: dict) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        if value is None and name in ("industries", "other_goals", "evidence"):
            value = ""
        setattr(obj, name, value)


def _ensure_in_scope(obj, user, message: str) -> None:
    if user is None:
        return
    if not type(obj).objects.for_user(user).filter(pk=obj.pk).exists():
        raise ValidationError(message)


@transaction.atomic
def save_plan(plan: Plan, user=None, **fields) -> Plan:
    _assign(plan, PLAN_FIELDS, fields)
    rules.fill_region(plan)
    plan.full_clean(exclude=["region"])
    plan.save()
    _ensure_in_scope(
        plan,
        user,
        _("保存后的计划不在您的管辖范围内：请选择您管辖的村或户，或本单位（含后盾单位）"),
    )
    return plan


def create_plan(user=None, **fields) -> Plan:
    return save_plan(Plan(), user=user, **fields)


def update_plan(plan: Plan, user=None, **fields) -> Plan:
    return save_plan(plan, user=user, **fields)


@transaction.atomic
def save_measure(measure: Measure, user=None, **fields) -> Measure:
    _assign(measure, MEASURE_FIELDS, fields)
    measure.full_clean()
    measure.save()
    _ensure_in_scope(
        measure,
        user,
        _("保存后的措施不在您的管辖范围内：请选择本单位（含后盾单位）或其干部为责任人"),
    )
    return measure


def add_measure(plan: Plan, user=None, **fields) -> Measure:
    return save_measure(Measure(plan=plan), user=user, **fields)


def update_measure(measure: Measure, user=None, **fields) -> Measure:
    return save_measure(measure, user=user, **fields)


def complete_measure(
    measure: Measure, done_date: datetime.date, evidence: str | None = None, user=None
) -> Measure:
    """Mark a measure done on `done_date` (not in the future, not before the plan started),
    keeping the evidence already written unless new evidence is given."""
    fields = {"status": MeasureStatus.COMPLETED, "done_date": done_date}
    if evidence:
        fields["evidence"] = evidence
    return save_measure(measure, user=user, **fields)
