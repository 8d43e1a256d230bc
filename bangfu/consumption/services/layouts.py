"""The sheet layout of consumption purchases (`funds.services.sheets`) — the columns of both the
import and the export (docs/economy.md, "Sheet layouts")."""

from __future__ import annotations

from bangfu.cooperatives.services.layouts import COOP_RESOLVERS
from bangfu.funds.services.layouts import region_col, regions, unit_col, units
from bangfu.funds.services.sheets import Col, Layout, scoped

from ..filters import PurchaseFilterSet
from ..models import Purchase
from . import purchases

PURCHASES = Layout(
    kind="purchases",
    title="消费扶贫采购",
    model=Purchase,
    columns=(
        unit_col(("采购单位", "单位")),
        region_col("village", ("销售村代码", "村代码"), required=False),
        Col(
            "cooperative_id",
            ("合作社编号",),
            "ref",
            model_field="cooperative",
            export=lambda o: o.cooperative_id or "",
        ),
        Col(
            "cooperative",
            ("销售合作社", "合作社名称"),
            "ref",
            model_field="cooperative",
            export=lambda o: o.cooperative.name if o.cooperative_id else "",
        ),
        Col("product", ("产品",), "text", True),
        Col("quantity", ("数量",)),
        Col("amount", ("金额", "采购金额"), "money", True),
        Col("date", ("采购日期", "日期"), "date", True),
    ),
    resolvers={"unit": units, "village": regions, **COOP_RESOLVERS},
    natural_key=("date", "unit", "product", "amount"),
    writer=lambda obj, created: purchases.save(obj),
    bulk_writer=purchases.save_new_purchases,
    queryset=lambda user: (
        scoped(Purchase, user).select_related("unit", "cooperative").order_by("pk")
    ),
    filterset=PurchaseFilterSet,
    permission="consumption.purchase",
    error_column="amount",
)

LAYOUTS = (PURCHASES,)
