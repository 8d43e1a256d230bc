"""The plans app's coverage check, registered on the shared coverage page (`core.checks`):
overdue measures — due before today and neither completed nor cancelled — from the user's
scoped measures, one statement (plan and owner joined), each row linking to the measure."""

from __future__ import annotations

import functools

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bangfu.core.checks import Check, CheckRow, register_check

from .choices import MeasureKind, MeasureStatus
from .filters import overdue_q
from .models import Measure


def overdue_measures(user, params=None):
    return (
        Measure.objects.for_user(user)
        .filter(overdue_q())
        .select_related("plan", "owner", "owner_unit")
        .order_by("due_date", "pk")
    )


@functools.lru_cache(maxsize=16)
def _labels(language: str | None) -> tuple[dict, dict]:
    """Kind and status labels translated once per language: the export writes tens of thousands
    of rows, and `get_FOO_display()` translates its whole choice list on every call."""
    return (
        {k: str(label) for k, label in MeasureKind.choices},
        {k: str(label) for k, label in MeasureStatus.choices},
    )


def _label(m) -> str:
    return f"{m.plan.title} · {m.get_kind_display()} · {m.description}"


def _export_row(m):
    kinds, statuses = _labels(get_language())
    return (
        m.plan.title,
        m.plan.region_id,
        kinds.get(m.kind, m.kind),
        m.description,
        m.owner.name if m.owner_id else "",
        m.owner_unit.name if m.owner_unit_id else "",
        m.due_date.isoformat(),
        statuses.get(m.status, m.status),
    )


def register() -> None:
    register_check(
        Check(
            key="overdue_measures",
            order=60,
            title=lambda params: _("逾期未完成的帮扶措施"),
            rows=overdue_measures,
            row=lambda m: CheckRow(
                _label(m), reverse("plans:measure", kwargs={"pk": m.pk}), m.due_date.isoformat()
            ),
            export_header=lambda: [
                _("帮扶计划"),
                _("区划代码"),
                _("措施类型"),
                _("措施内容"),
                _("责任人"),
                _("责任单位"),
                _("完成期限"),
                _("措施状态"),
            ],
            export_row=_export_row,
            permission="plans.view_measure",
        )
    )
