from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table


class PurchaseTable(Table):
    empty_text = _("没有符合条件的消费扶贫采购")
    columns = [
        Column(_("采购日期"), "date", css="nowrap"),
        Column(
            _("采购单位"),
            "unit.name",
            link=lambda row: reverse("assistance:unit", kwargs={"pk": row.unit_id}),
        ),
        Column(_("销售方"), "seller"),
        Column(
            _("产品"),
            "product",
            link=lambda row: reverse("consumption:purchase", kwargs={"pk": row.pk}),
        ),
        Column(_("数量"), "quantity"),
        Column(_("金额（元）"), "amount", numeric=True),
    ]
