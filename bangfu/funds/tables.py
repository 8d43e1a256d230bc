from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table


def _url(name):
    return lambda row: reverse(f"funds:{name}", kwargs={"pk": row.pk})


class FundSourceTable(Table):
    empty_text = _("没有符合条件的资金来源")
    columns = [
        Column(_("资金名称"), "name", link=_url("source")),
        Column(_("资金来源类型"), "get_kind_display"),
        Column(_("年度"), "year"),
        Column(_("金额（元）"), "amount", numeric=True),
        Column(_("已拨出（元）"), "spent", numeric=True),
        Column(_("所属区划"), "region.name"),
        Column(_("协调单位"), "unit.name"),
        Column(_("到位日期"), "date"),
    ]


class DonationTable(Table):
    empty_text = _("没有符合条件的社会捐赠")
    columns = [
        Column(
            _("捐赠方"),
            "donor_name",
            link=lambda row: reverse("funds:source", kwargs={"pk": row.source_id}),
        ),
        Column(_("捐赠方类型"), "get_donor_kind_display"),
        Column(_("金额（元）"), "amount", numeric=True),
        Column(_("捐赠日期"), "date"),
        Column(_("用途"), "purpose"),
        Column(_("受赠区划"), "region.name"),
        Column(_("协调单位"), "unit.name"),
    ]


class FundPoolTable(Table):
    empty_text = _("没有符合条件的资金池")
    columns = [
        Column(_("资金池名称"), "name", link=_url("pool")),
        Column(_("用途"), "purpose"),
        Column(_("余额（元）"), "balance", numeric=True),
        Column(_("所属区划"), "region.name"),
        Column(_("管理单位"), "unit.name"),
    ]


def _origin(row, table):
    return row.source.name if row.source_id else row.pool.name


def _origin_url(row):
    if row.source_id:
        return reverse("funds:source", kwargs={"pk": row.source_id})
    return reverse("funds:pool", kwargs={"pk": row.pool_id})


def _target(row, table):
    return row.project.name if row.project_id else row.household.household_no


def _target_url(row):
    if row.project_id:
        return reverse("funds:project", kwargs={"pk": row.project_id})
    return reverse("registry:household", kwargs={"pk": row.household_id})


class AllocationTable(Table):
    empty_text = _("没有符合条件的资金拨付")
    columns = [
        Column(_("拨付日期"), "date", link=_url("allocation")),
        Column(_("金额（元）"), "amount", numeric=True),
        Column(_("拨付类型"), "get_kind_display"),
        Column(_("资金来源或资金池"), _origin, link=_origin_url),
        Column(_("项目或受助户"), _target, link=_target_url),
        Column(_("用途"), "purpose"),
        Column(_("区划代码"), "region_id"),
    ]


class ProjectTable(Table):
    empty_text = _("没有符合条件的扶贫项目")
    columns = [
        Column(_("项目名称"), "name", link=_url("project")),
        Column(_("项目类型"), "get_kind_display"),
        Column(_("项目状态"), "get_status_display"),
        Column(_("所在村"), "village.name"),
        Column(_("预算（元）"), "budget", numeric=True),
        Column(_("已拨入（元）"), "received", numeric=True),
        Column(_("责任单位"), "unit.name"),
    ]
