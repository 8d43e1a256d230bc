from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table


def case_url(row):
    return reverse("exits:case", kwargs={"pk": row.pk})


def _subject(row, table):
    return row.household.household_no if row.household_id else row.region.name


def _subject_url(row):
    if row.household_id:
        return reverse("registry:household", kwargs={"pk": row.household_id})
    return reverse("regions:region", kwargs={"code": row.region_id})


class ExitCaseTable(Table):
    empty_text = _("没有符合条件的退出案件")
    columns = [
        Column(_("退出案件"), "pk", link=case_url, numeric=True),
        Column(_("退出类型"), "get_kind_display"),
        Column(_("户或区划"), _subject, link=_subject_url),
        Column(_("行政区划"), "region.name"),
        Column(_("退出年度"), "year", numeric=True),
        Column(_("当前步骤"), "get_current_step_display"),
        Column(_("日期"), "current_step_date", css="nowrap"),
        Column(_("下一步"), "get_next_step_display"),
        Column(_("办理状态"), "get_status_display"),
    ]
