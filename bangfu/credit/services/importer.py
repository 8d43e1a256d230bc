"""Import of loans from the counties' spreadsheets (`services/sheets.py`): one row per loan —
户编号, 贷款产品, 贷款金额（元 or 万元）, 放款日期, 期限（月）, 用途, 还款状态, 还清日期.
A row matching an existing loan (same household, product and date) updates it."""

from __future__ import annotations

from bangfu.registry.models import Household

from ..choices import Repayment
from ..models import Loan, LoanProduct
from .sheets import Col, Layout, import_sheet


def _households(user, keys):
    qs = Household.objects.for_user(user) if user is not None else Household.objects.all()
    return {h.household_no: h for h in qs.filter(household_no__in=keys)}


def _products(user, keys):
    qs = LoanProduct.objects.for_user(user) if user is not None else LoanProduct.objects.all()
    found: dict = {}
    for p in qs.filter(name__in=keys).order_by("-region_id"):
        found.setdefault(p.name, p)  # the product of the nearest region wins
    return found


LOANS = Layout(
    model=Loan,
    columns=(
        Col("household_no", ("户编号",), "ref", True, model_field="household"),
        Col("product", ("贷款产品", "产品名称"), "ref", True, model_field="product"),
        Col("amount", ("贷款金额", "金额"), "money", True),
        Col("date", ("放款日期", "贷款日期"), "date", True),
        Col("term_months", ("期限(月)", "贷款期限(月)", "期限"), "int", True),
        Col("purpose", ("用途", "贷款用途"), "text", True),
        Col("repayment", ("还款状态",), "choice", choices=Repayment),
        Col("repaid_date", ("还清日期",), "date"),
    ),
    resolvers={"household_no": _households, "product": _products},
    natural_key=("household", "product", "date"),
    defaults={"repayment": Repayment.CURRENT},
)


def import_loans(path, user=None):
    return import_sheet(path, LOANS, user)
