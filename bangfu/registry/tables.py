from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table


def household_url(row) -> str:
    return reverse("registry:household", kwargs={"pk": row.pk})


def _village(row, table):
    region = row.region
    if region.level == 6 and region.parent_id:  # a group: show the village and the group
        return f"{region.parent.name} {region.name}"
    return region.name + (f" {row.group_name}" if row.group_name else "")


class HouseholdTable(Table):
    """Rows are households annotated by HouseholdListView (head_name, member_count, income)."""

    empty_text = _("没有符合条件的贫困户")
    columns = [
        Column(_("户编号"), "household_no", link=household_url, css="mono nowrap"),
        Column(_("户主"), "head_name", link=household_url),
        Column(_("村"), _village),
        Column(_("户类型"), "get_status_display", css="nowrap"),
        Column(_("贫困户属性"), "get_category_display"),
        Column(_("主要致贫原因"), "get_main_cause_display"),
        Column(_("人口"), "member_count", numeric=True),
        Column(_("人均纯收入"), "latest_income", numeric=True),
        Column(_("调查年度"), "latest_year", numeric=True),
    ]
