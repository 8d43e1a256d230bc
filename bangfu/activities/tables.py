from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table


def _place(row, table):
    return row.region.name if row.region_id else None


class ActivityTable(Table):
    empty_text = _("没有符合条件的活动")
    columns = [
        Column(_("日期"), "date", css="nowrap"),
        Column(_("活动类型"), "get_kind_display"),
        Column(
            _("标题"),
            "title",
            link=lambda row: reverse("activities:activity", kwargs={"pk": row.pk}),
        ),
        Column(
            _("帮扶单位"),
            "unit.name",
            link=lambda row: reverse("assistance:unit", kwargs={"pk": row.unit_id}),
        ),
        Column(_("村或区划"), _place),
        Column(_("参加人次"), "participants", numeric=True),
        Column(_("数量"), "count", numeric=True),
    ]
