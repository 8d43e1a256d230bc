"""The consumption section of the unit page (`core.figures`): purchases by the unit (and its
backing units) in the period — one aggregate query, linking to the filtered list."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.assistance.figures import root_unit_id
from bangfu.core.figures import Figure, FigureSection, Period

from .models import Purchase


def unit_purchase_figures(unit_ids, user, period: Period) -> FigureSection | None:
    if not user.has_perm("consumption.view_purchase"):
        return None
    unit_id = root_unit_id(unit_ids)
    if unit_id is None:
        return None
    qs = Purchase.objects.for_user(user).filter(unit__in=unit_ids)
    params = {"unit": unit_id}
    if period.start:
        qs = qs.filter(date__gte=period.start)
        params["start"] = period.start.isoformat()
    if period.end:
        qs = qs.filter(date__lte=period.end)
        params["end"] = period.end.isoformat()
    row = qs.aggregate(n=Count("pk"), total=Sum("amount"), villages=Count("village", distinct=True))
    if not row["n"]:
        return None
    url = f"{reverse('consumption:purchase_list')}?{urlencode(params)}"
    return FigureSection(
        "consumption",
        _("消费扶贫"),
        [
            Figure(_("采购"), row["n"], url, _("笔")),
            Figure(_("采购金额"), row["total"] or 0, url, _("元")),
            Figure(_("采购涉及村"), row["villages"], url, _("个")),
        ],
        order=75,
    )
