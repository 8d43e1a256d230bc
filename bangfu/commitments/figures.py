"""The commitments section of the unit page (`core.figures`): commitments the unit (or a
backing unit) made, the amount paid in the period and the commitments overdue today — aggregate
queries over the user's scoped records, each figure linking to the filtered list."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.assistance.figures import root_unit_id
from bangfu.core.figures import Figure, FigureSection, Period

from .models import Commitment, CommitmentPayment
from .services.schedule import DEFAULT_GRACE_DAYS, overdue


def unit_commitment_figures(unit_ids, user, period: Period) -> FigureSection | None:
    if not user.has_perm("commitments.view_commitment"):
        return None
    unit_id = root_unit_id(unit_ids)
    if unit_id is None:
        return None
    commitments = Commitment.objects.for_user(user).filter(unit__in=unit_ids)
    n = commitments.count()
    if not n:
        return None
    payments = CommitmentPayment.objects.for_user(user).filter(commitment__unit__in=unit_ids)
    if period.start:
        payments = payments.filter(date__gte=period.start)
    if period.end:
        payments = payments.filter(date__lte=period.end)
    paid = payments.aggregate(total=Sum("amount"))["total"] or 0
    on = timezone.localdate() - datetime.timedelta(days=DEFAULT_GRACE_DAYS)
    late = overdue(commitments, on).count()
    base = reverse("commitments:commitment_list")
    url = f"{base}?{urlencode({'unit': unit_id})}"
    return FigureSection(
        "commitments",
        _("帮扶承诺"),
        [
            Figure(_("承诺"), n, url, _("项")),
            Figure(_("期内已发放"), paid, url, _("元")),
            Figure(_("有逾期未发放的承诺"), late, f"{url}&overdue=1", _("项")),
        ],
        order=70,
    )
