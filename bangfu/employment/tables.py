from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table


class AgreementTable(Table):
    empty_text = _("没有符合条件的劳务输出协议")
    columns = [
        Column(
            _("用工企业"),
            "company",
            link=lambda row: reverse("employment:agreement", kwargs={"pk": row.pk}),
        ),
        Column(_("输出地区划"), "region.name"),
        Column(_("促成单位"), "unit.name"),
        Column(_("开始日期"), "start_date", css="nowrap"),
        Column(_("结束日期"), "end_date", css="nowrap"),
        Column(_("岗位数"), "places", numeric=True),
    ]


class JobTable(Table):
    empty_text = _("没有符合条件的就业记录")
    columns = [
        Column(_("年度"), "year"),
        Column(
            _("家庭成员"),
            "member.name",
            link=lambda row: reverse("employment:job", kwargs={"pk": row.pk}),
        ),
        Column(
            _("建档立卡户"),
            "member.household.household_no",
            link=lambda row: reverse("registry:household", kwargs={"pk": row.member.household_id}),
        ),
        Column(_("就业方式"), "get_kind_display"),
        Column(_("用工单位"), "employer"),
        Column(_("务工月数"), "months", numeric=True),
        Column(_("务工收入（元）"), "income", numeric=True),
    ]
