"""The consumption section of the unit and region pages (`core.figures`): purchases by the unit
(and its backing units), or from villages under the region, in the period — two aggregate queries
(the sums, the villages), linking to the filtered list."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from bangfu.core.figures import UNIT, Figure, FigureSection, Period, Subject

from .models import Purchase


def unit_purchase_figures(subject: Subject, user, period: Period) -> FigureSection | None:
    if not user.has_perm("consumption.view_purchase"):
        return None
    if subject.kind == UNIT and subject.unit_id is None:
        return None
    qs = subject.narrow(Purchase.objects.for_user(user), unit="unit", region="village")
    if qs is None:
        return None
    qs = period.filter(qs)
    row = qs.aggregate(n=Count("pk"), total=Sum("amount"))
    if not row["n"]:
        return None
    # The villages in a query of their own: COUNT(DISTINCT …) beside the sums sorts every
    # purchase (a province's 50,000: 60–85 ms), SELECT DISTINCT hashes them (12–17 ms).
    row["villages"] = qs.order_by().values("village").distinct().count()
    url = subject.url("consumption:purchase_list", period)
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
