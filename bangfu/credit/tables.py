from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table


class ProductTable(Table):
    empty_text = _("没有符合条件的贷款产品")
    columns = [
        Column(
            _("产品名称"),
            "name",
            link=lambda row: reverse("credit:product", kwargs={"pk": row.pk}),
        ),
        Column(_("贷款银行"), "bank"),
        Column(_("适用区划"), "region.name"),
        Column(_("年利率（%）"), "rate", numeric=True),
        Column(_("最高额度（元）"), "max_amount", numeric=True),
        Column(_("最长期限（月）"), "term_months", numeric=True),
    ]


class LoanTable(Table):
    empty_text = _("没有符合条件的贷款")
    columns = [
        Column(_("放款日期"), "date", css="nowrap"),
        Column(
            _("建档立卡户"),
            "household.household_no",
            link=lambda row: reverse("registry:household", kwargs={"pk": row.household_id}),
        ),
        Column(_("贷款产品"), "product.name"),
        Column(
            _("贷款金额（元）"),
            "amount",
            numeric=True,
            link=lambda row: reverse("credit:loan", kwargs={"pk": row.pk}),
        ),
        Column(_("期限（月）"), "term_months", numeric=True),
        Column(_("还款状态"), "get_repayment_display"),
    ]
