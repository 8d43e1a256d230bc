"""The sheet layouts of microcredit (`funds.services.sheets`): loan products and loans — the
columns of both the import and the export (docs/economy.md, "Sheet layouts")."""

from __future__ import annotations

from bangfu.funds.services.layouts import households, region_col, regions
from bangfu.funds.services.sheets import Col, Layout, by_pk, import_sheet, scoped

from ..choices import Repayment
from ..filters import LoanFilterSet, ProductFilterSet
from ..models import Loan, LoanProduct
from . import loans


def _products(user, keys):
    found: dict = {}
    for p in scoped(LoanProduct, user).filter(name__in=keys).order_by("-region_id", "pk"):
        found.setdefault(p.name, p)  # the product of the nearest region wins
    return found


PRODUCTS = Layout(
    kind="loan_products",
    title="贷款产品",
    model=LoanProduct,
    columns=(
        Col("product_id", ("产品编号",), "int", export=lambda o: o.pk, write=False),
        Col("name", ("产品名称",), "text", True),
        Col("bank", ("贷款银行",), "text", True),
        region_col(),
        Col("rate", ("年利率(%)", "年利率"), "decimal"),
        Col("max_amount", ("最高额度",), "money", True),
        Col("term_months", ("最长期限(月)", "最长期限"), "int", True),
        Col("note", ("备注",)),
    ),
    resolvers={"region": regions},
    natural_key=("name", "region"),
    writer=lambda obj, created: loans.save(obj),
    queryset=lambda user: scoped(LoanProduct, user).order_by("pk"),
    filterset=ProductFilterSet,
    permission="credit.loanproduct",
    error_column="max_amount",
)

LOANS = Layout(
    kind="loans",
    title="扶贫小额信贷",
    model=Loan,
    columns=(
        Col(
            "household_no",
            ("户编号",),
            "ref",
            True,
            model_field="household",
            export=lambda o: o.household.household_no,
        ),
        Col(
            "product_id",
            ("产品编号",),
            "ref",
            model_field="product",
            export=lambda o: o.product_id,
        ),
        Col(
            "product",
            ("贷款产品", "产品名称"),
            "ref",
            True,
            model_field="product",
            export=lambda o: o.product.name,
        ),
        Col("amount", ("贷款金额", "金额"), "money", True),
        Col("date", ("放款日期", "贷款日期"), "date", True),
        Col("term_months", ("期限(月)", "贷款期限(月)", "期限"), "int", True),
        Col("purpose", ("用途", "贷款用途"), "text", True),
        Col("repayment", ("还款状态",), "choice", choices=Repayment),
        Col("repaid_date", ("还清日期",), "date"),
    ),
    resolvers={
        "household_no": households,
        "product_id": lambda user, keys: by_pk(scoped(LoanProduct, user), keys),
        "product": _products,
    },
    natural_key=("household", "product", "date"),
    defaults={"repayment": Repayment.CURRENT},
    writer=lambda obj, created: loans.save(obj),
    bulk_writer=loans.save_new_loans,
    queryset=lambda user: scoped(Loan, user).select_related("household", "product").order_by("pk"),
    filterset=LoanFilterSet,
    permission="credit.loan",
    error_column="amount",
)

LAYOUTS = (PRODUCTS, LOANS)


def import_loans(path, user=None, partial: bool = False):
    return import_sheet(path, LOANS, user, partial)
