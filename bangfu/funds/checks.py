"""The funds checks on the shared coverage page (core.checks), from the user's scoped records:
sources that gave out more than their amount and projects that received more than their budget.
Each is one statement (correlated SUM subqueries); `bangfu reconcile-funds` runs the complete
reconciliation (services/reconcile.py)."""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.checks import Check, CheckRow, register_check

from .models import FundSource, Project


def overspent_sources(user, params):
    from .views import spent_expression

    return (
        FundSource.objects.for_user(user)
        .annotate(spent=spent_expression())
        .filter(spent__gt=F("amount"))
        .order_by("pk")
    )


def over_budget_projects(user, params):
    from .views import received_expression

    return (
        Project.objects.for_user(user)
        .annotate(received=received_expression())
        .filter(received__gt=F("budget"))
        .select_related("village")
        .order_by("pk")
    )


def register() -> None:
    register_check(
        Check(
            key="funds_overspent_sources",
            order=60,
            permission="funds.view_fundsource",
            title=lambda params: _("拨出超过金额的资金来源"),
            rows=overspent_sources,
            row=lambda s: CheckRow(
                s.name, reverse("funds:source", kwargs={"pk": s.pk}), s.spent - s.amount
            ),
            export_header=lambda: [
                _("资金名称"),
                _("金额（元）"),
                _("已拨出（元）"),
                _("区划代码"),
            ],
            export_row=lambda s: (s.name, s.amount, s.spent, s.region_id),
        )
    )
    register_check(
        Check(
            key="funds_over_budget_projects",
            order=61,
            permission="funds.view_project",
            title=lambda params: _("拨入超过预算的扶贫项目"),
            rows=over_budget_projects,
            row=lambda p: CheckRow(
                p.name, reverse("funds:project", kwargs={"pk": p.pk}), p.received - p.budget
            ),
            export_header=lambda: [_("项目名称"), _("预算（元）"), _("已拨入（元）"), _("所在村")],
            export_row=lambda p: (p.name, p.budget, p.received, p.village.name),
        )
    )
