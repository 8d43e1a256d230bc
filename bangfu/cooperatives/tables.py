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


def _cooperative_link(row):
    return reverse("cooperatives:cooperative", kwargs={"pk": row.cooperative_id})


def _member_household(row, table=None):
    return row.household.household_no if row.household_id else "—"


class MembershipTable(Table):
    empty_text = _("没有符合条件的社员")
    columns = [
        Column(_("合作社"), "cooperative.name", link=_cooperative_link),
        Column(_("社员"), "__str__"),
        Column(
            _("户编号"),
            lambda row, table: _member_household(row),
            link=lambda row: (
                reverse("registry:household", kwargs={"pk": row.household_id})
                if row.household_id
                else ""
            ),
        ),
        Column(
            _("贫困户属性"),
            lambda row, table: row.household.get_category_display() if row.household_id else "—",
        ),
        Column(_("入股金额（元）"), "shares", numeric=True),
        Column(_("入社日期"), "joined", css="nowrap"),
        Column(_("退社日期"), "left", css="nowrap"),
    ]


class DividendTable(Table):
    empty_text = _("没有符合条件的分红")
    columns = [
        Column(_("合作社"), "cooperative.name", link=_cooperative_link),
        Column(_("分红年度"), "year", css="nowrap"),
        Column(_("社员"), "membership.__str__"),
        Column(
            _("户编号"),
            lambda row, table: _member_household(row.membership),
        ),
        Column(_("分红金额（元）"), "amount", numeric=True),
        Column(_("发放日期"), "paid_on", css="nowrap"),
    ]
