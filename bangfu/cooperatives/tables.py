from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table


class CooperativeTable(Table):
    empty_text = _("没有符合条件的合作社")
    columns = [
        Column(
            _("合作社名称"),
            "name",
            link=lambda row: reverse("cooperatives:cooperative", kwargs={"pk": row.pk}),
        ),
        Column(_("所在村"), "village.name"),
        Column(_("产业"), "get_industry_display"),
        Column(_("成立日期"), "founded", css="nowrap"),
        Column(_("帮扶单位"), lambda row, table: row.unit.name if row.unit_id else "—"),
        Column(_("社员"), "n_members", numeric=True),
    ]


class CoveredHouseholdTable(Table):
    empty_text = _("没有参与产业的建档立卡户")
    columns = [
        Column(
            _("户编号"),
            "household_no",
            link=lambda row: reverse("registry:household", kwargs={"pk": row.pk}),
        ),
        Column(_("行政区划"), "region.name"),
        Column(_("贫困户属性"), "get_category_display"),
        Column(_("户类型"), "get_status_display"),
    ]
