from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table


def unit_url(row):
    return reverse("assistance:unit", kwargs={"pk": row.pk})


def cadre_url(row):
    return reverse(
        "assistance:cadre", kwargs={"pk": row.cadre_id if hasattr(row, "cadre_id") else row.pk}
    )


def _unit_of(attr):
    def link(row):
        pk = getattr(row, attr, None)
        return reverse("assistance:unit", kwargs={"pk": pk}) if pk else None

    return link


def household_url(row):
    return reverse("registry:household", kwargs={"pk": row.household_id})


def _end_link(name):
    def link(row):
        return reverse(f"assistance:{name}_end", kwargs={"pk": row.pk})

    return link


def _status(row, table):
    from django.utils.translation import gettext

    return gettext("已结束") if row.end_date else gettext("进行中")


class UnitTable(Table):
    empty_text = _("没有符合条件的帮扶单位")
    columns = [
        Column(_("单位名称"), "name", link=unit_url),
        Column(_("单位类型"), "get_kind_display"),
        Column(_("上级帮扶单位"), "parent.name", link=_unit_of("parent_id")),
        Column(_("联系人"), "contact_person"),
    ]


class AssignmentTable(Table):
    empty_text = _("没有符合条件的定点帮扶")
    columns = [
        Column(_("帮扶单位"), "unit.name", link=_unit_of("unit_id")),
        Column(_("帮扶村"), "village.name"),
        Column(_("后盾单位"), "backing_unit.name", link=_unit_of("backing_unit_id")),
        Column(_("开始日期"), "start_date", css="nowrap"),
        Column(_("结束日期"), "end_date", css="nowrap"),
        Column(_("状态"), _status, link=_end_link("assignment")),
    ]


class CadreTable(Table):
    empty_text = _("没有符合条件的帮扶干部")
    columns = [
        Column(
            _("姓名"), "name", link=lambda row: reverse("assistance:cadre", kwargs={"pk": row.pk})
        ),
        Column(_("所属单位"), "unit.name", link=_unit_of("unit_id")),
        Column(_("职务"), "position"),
        Column(_("在岗"), "active"),
    ]


class PostingTable(Table):
    empty_text = _("没有符合条件的驻村任职")
    columns = [
        Column(_("干部"), "cadre.name", link=cadre_url),
        Column(_("驻村"), "village.name"),
        Column(_("驻村职务"), "get_role_display"),
        Column(_("全脱产"), "full_time"),
        Column(_("开始日期"), "start_date", css="nowrap"),
        Column(_("结束日期"), "end_date", css="nowrap"),
        Column(_("状态"), _status, link=_end_link("posting")),
    ]


class PairingTable(Table):
    empty_text = _("没有符合条件的结对帮扶")
    columns = [
        Column(_("帮扶责任人"), "cadre.name", link=cadre_url),
        Column(_("帮扶户"), "household.household_no", link=household_url, css="mono nowrap"),
        Column(_("开始日期"), "start_date", css="nowrap"),
        Column(_("结束日期"), "end_date", css="nowrap"),
        Column(_("状态"), _status, link=_end_link("pairing")),
    ]


def zone_url(row):
    return reverse("assistance:zone", kwargs={"pk": row.pk})


class ZoneTable(Table):
    empty_text = _("没有符合条件的战区")
    columns = [
        Column(_("名称"), "name", link=zone_url),
        Column(_("所属县"), "region.name"),
        Column(
            _("上级战区"),
            "parent.name",
            link=lambda row: (
                reverse("assistance:zone", kwargs={"pk": row.parent_id}) if row.parent_id else None
            ),
        ),
        Column(_("指挥长"), "commander.name", link=lambda row: _cadre_link(row.commander_id)),
        Column(_("村数"), "village_count", numeric=True),
    ]


def _cadre_link(pk):
    return reverse("assistance:cadre", kwargs={"pk": pk}) if pk else None


def _target(row, table):
    if row.household_id:
        return row.household.household_no
    return row.region.name if row.region_id else None


class ResponsibilityTable(Table):
    empty_text = _("没有符合条件的包联责任")
    columns = [
        Column(
            _("战区"),
            "zone.name",
            link=lambda row: reverse("assistance:zone", kwargs={"pk": row.zone_id}),
        ),
        Column(_("层级"), "get_level_display"),
        Column(_("包联对象"), _target),
        Column(_("责任人"), "cadre.name", link=cadre_url),
        Column(_("开始日期"), "start_date", css="nowrap"),
        Column(_("结束日期"), "end_date", css="nowrap"),
        Column(_("状态"), _status, link=_end_link("responsibility")),
    ]
