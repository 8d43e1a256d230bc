"""The commitments section of the unit and region pages (`core.figures`): commitments the unit
(or a backing unit) made, or made to households under the region, the amount paid in the period
and the commitments overdue today — aggregate queries over the user's scoped records, each
figure linking to the filtered list."""

from __future__ import annotations

import datetime

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.figures import UNIT, Figure, FigureSection, Period, Subject

from .models import Commitment, CommitmentPayment
from .services.schedule import DEFAULT_GRACE_DAYS, overdue


def unit_commitment_figures(subject: Subject, user, period: Period) -> FigureSection | None:
    if not user.has_perm("commitments.view_commitment"):
        return None
    if subject.kind == UNIT and subject.unit_id is None:
        return None
    commitments = subject.narrow(Commitment.objects.for_user(user), unit="unit", region="region")
    if commitments is None:
        return None
    n = commitments.count()
    if not n:
        return None
    payments = subject.narrow(
        CommitmentPayment.objects.for_user(user),
        unit="commitment__unit",
        region="commitment__region",
    )
    paid = period.filter(payments).aggregate(total=Sum("amount"))["total"] or 0
    on = timezone.localdate() - datetime.timedelta(days=DEFAULT_GRACE_DAYS)
    late = overdue(commitments, on).count()
    url = subject.url("commitments:commitment_list")
    return FigureSection(
        "commitments",
        _("帮扶承诺"),
        [
            Figure(_("承诺"), n, url, _("项")),
            Figure(_("期内已发放"), paid, subject.url("commitments:payment_list", period), _("元")),
            Figure(_("有逾期未发放的承诺"), late, f"{url}&overdue=1", _("项")),
        ],
        order=70,
    )
