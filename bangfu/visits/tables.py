from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table


def visit_url(row):
    return reverse("visits:visit", kwargs={"pk": row.pk})


def _place(row, table):
    return row.household.household_no if row.household_id else row.region.name


def _place_url(row):
    return (
        reverse("registry:household", kwargs={"pk": row.household_id}) if row.household_id else None
    )


class VisitTable(Table):
    empty_text = _("没有符合条件的走访记录")
    columns = [
        Column(_("走访日期"), "date", link=visit_url),
        Column(_("走访干部"), "cadre.name"),
        Column(_("走访户或村"), _place, link=_place_url),
        Column(_("区划代码"), "region_id"),
        Column(_("走访事由"), "get_purpose_display"),
        Column(_("走访情况"), lambda row, table: row.findings[:60]),
    ]


def _follow_up_status(row, table):
    from django.utils.translation import gettext

    return gettext("已逾期") if row.is_overdue else row.get_status_display()


class FollowUpTable(Table):
    empty_text = _("没有符合条件的走访待办")
    columns = [
        Column(
            _("待办事项"),
            "action",
            link=lambda row: reverse("visits:visit", kwargs={"pk": row.visit_id}),
        ),
        Column(_("完成期限"), "due_date"),
        Column(_("状态"), _follow_up_status),
        Column(_("办结日期"), "done_date"),
        Column(_("责任人"), "owner.name"),
        Column(_("走访日期"), "visit.date"),
    ]
