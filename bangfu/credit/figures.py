"""The microcredit section of the region page (`core.figures`): loans to households under the
region made in the period, by repayment status, with their amounts — one GROUP BY over the
user's scoped loans, each figure linking to the filtered loan list. Loans belong to households,
not to units or projects, so the unit and project pages get no section."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from bangfu.core.figures import Figure, FigureSection, Period, Subject

from .choices import Repayment
from .models import Loan


def loan_figures(subject: Subject, user, period: Period) -> FigureSection | None:
    if not user.has_perm("credit.view_loan"):
        return None
    loans = subject.narrow(Loan.objects.for_user(user), region="region")
    if loans is None:
        return None
    rows = {
        r["repayment"]: r
        for r in period.filter(loans)
        .order_by()
        .values("repayment")
        .annotate(n=Count("pk"), total=Sum("amount"))
    }
    if not rows:
        return None
    url = subject.url("credit:loan_list", period)
    figures = [
        Figure(_("贷款笔数"), sum(r["n"] for r in rows.values()), url, _("笔")),
        Figure(
            _("贷款金额"),
            sum((r["total"] for r in rows.values()), Decimal("0.00")),
            url,
            _("元"),
        ),
    ]
    for status in Repayment:
        if status.value in rows:
            figures.append(
                Figure(
                    status.label,
                    rows[status.value]["n"],
                    subject.url("credit:loan_list", period, repayment=status.value),
                    _("笔"),
                )
            )
    return FigureSection("credit", _("扶贫小额信贷"), figures, order=62)
