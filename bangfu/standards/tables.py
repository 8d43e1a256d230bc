from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table

from .services.explain import explain


def _subject_url(row):
    if row.household_id:
        return reverse("registry:household", kwargs={"pk": row.household_id})
    return None


def _passed(row, table):
    return gettext("达标") if row.passed else gettext("未达标")


def _explanations(row, table):
    return "；".join(text for _code, text in explain(row))


class VerdictTable(Table):
    empty_text = _("没有符合条件的评估结果")
    columns = [
        Column(_("对象"), "subject_code", link=_subject_url),
        Column(_("退出标准"), "version.standard.code"),
        Column(_("年度"), "year"),
        Column(_("结果"), _passed),
        Column(_("未达标条目"), "failed_items"),
        Column(_("说明"), _explanations),
    ]


def _run_url(row):
    return reverse("standards:run", kwargs={"pk": row.pk})


class RunTable(Table):
    empty_text = _("尚无评估批次")
    columns = [
        Column(_("编号"), "pk", link=_run_url),
        Column(_("退出标准"), "standard.code"),
        Column(_("版本"), "version.number"),
        Column(_("年度"), "year"),
        Column(_("区划"), "region_id"),
        Column(_("状态"), lambda row, table: row.get_status_display()),
        Column(_("已评估"), "evaluated"),
        Column(_("达标"), "passed"),
        Column(_("未达标"), "failed"),
        Column(_("无调查跳过"), "skipped"),
        Column(_("开始时间"), "started"),
    ]


def _region_url(row):
    return reverse("regions:region", kwargs={"code": row.region_id})


def _region_explanations(row, table):
    from .services.explain_region import explain as explain_region

    return "；".join(text for _code, text in explain_region(row))


class RegionVerdictTable(Table):
    empty_text = _("没有符合条件的评估结果")
    columns = [
        Column(_("对象"), "region.name", link=_region_url),
        Column(_("区划代码"), "region_id", css="mono nowrap"),
        Column(_("退出标准"), "version.standard.code"),
        Column(_("年度"), "year"),
        Column(_("结果"), _passed),
        Column(_("未达标条目"), "failed_items"),
        Column(_("说明"), _region_explanations),
    ]
