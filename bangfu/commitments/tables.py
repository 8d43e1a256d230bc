from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table


class CommitmentTable(Table):
    empty_text = _("没有符合条件的帮扶承诺")
    columns = [
        Column(_("首期日期"), "start_date", css="nowrap"),
        Column(
            _("受助户"),
            "household.household_no",
            link=lambda row: reverse("registry:household", kwargs={"pk": row.household_id}),
        ),
        Column(_("受助成员"), "member.name"),
        Column(_("承诺单位或承诺人"), "giver"),
        Column(
            _("每期金额（元）"),
            "amount",
            numeric=True,
            link=lambda row: reverse("commitments:commitment", kwargs={"pk": row.pk}),
        ),
        Column(_("发放周期"), "get_period_display"),
        Column(_("结束日期"), "end_date", css="nowrap"),
    ]


class PaymentTable(Table):
    empty_text = _("没有符合条件的发放记录")
    columns = [
        Column(_("发放日期"), "date", css="nowrap"),
        Column(_("所属期（应发日期）"), "period_start", css="nowrap"),
        Column(
            _("受助户"),
            "commitment.household.household_no",
            link=lambda row: reverse(
                "registry:household", kwargs={"pk": row.commitment.household_id}
            ),
        ),
        Column(
            _("帮扶承诺"),
            "commitment.giver",
            link=lambda row: reverse("commitments:commitment", kwargs={"pk": row.commitment_id}),
        ),
        Column(_("发放金额（元）"), "amount", numeric=True),
        Column(_("备注"), "note"),
    ]
