from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table


def plan_url(row):
    return reverse("plans:plan", kwargs={"pk": row.pk})


def measure_url(row):
    return reverse("plans:measure", kwargs={"pk": row.pk})


def _target(row, table):
    return row.household.household_no if row.household_id else row.village.name


def _target_url(row):
    if row.household_id:
        return reverse("registry:household", kwargs={"pk": row.household_id})
    return None


def _overdue(row, table):
    from django.utils.translation import gettext

    return gettext("已逾期") if getattr(row, "is_overdue", False) else ""


def _measures_done(row, table):
    total = getattr(row, "measures_total", None)
    return None if total is None else f"{row.measures_done} / {total}"


class PlanTable(Table):
    empty_text = _("没有符合条件的帮扶计划")
    columns = [
        Column(_("计划名称"), "title", link=plan_url),
        Column(_("计划类型"), "get_kind_display"),
        Column(_("村或户"), _target, link=_target_url),
        Column(_("责任单位"), "unit.name"),
        Column(_("制定人"), "author.name"),
        Column(_("开始日期"), "start_date", css="nowrap"),
        Column(_("结束日期"), "end_date", css="nowrap"),
        Column(_("计划状态"), "get_status_display"),
        Column(_("已完成措施"), _measures_done, numeric=True),
    ]


class MeasureTable(Table):
    empty_text = _("没有符合条件的帮扶措施")
    columns = [
        Column(_("措施类型"), "get_kind_display"),
        Column(_("措施内容"), "description", link=measure_url),
        Column(_("帮扶计划"), "plan.title", link=lambda row: plan_url(row.plan)),
        Column(_("责任人"), "owner.name"),
        Column(_("责任单位"), "owner_unit.name"),
        Column(_("投入资金（元）"), "cost", numeric=True),
        Column(_("完成期限"), "due_date", css="nowrap"),
        Column(_("措施状态"), "get_status_display"),
        Column(_("完成日期"), "done_date", css="nowrap"),
        Column(_("逾期"), _overdue),
    ]
