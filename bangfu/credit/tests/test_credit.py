"""Microcredit: product and loan rules, pages (totals that link to their loans), API, scope."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bangfu.credit import testing
from bangfu.credit.choices import Repayment
from bangfu.credit.models import Loan
from bangfu.credit.services.rules import add_months

D = datetime.date


@pytest.fixture
def product(regions):
    return testing.make_product()


def test_a_loan_is_recorded_and_due_after_its_term(product, household):
    loan = testing.make_loan(household, product, date=D(2019, 1, 31), term_months=13)
    assert loan.due_date == D(2020, 2, 29)
    assert loan.repayment == Repayment.CURRENT


@pytest.mark.parametrize(
    "fields, field, text",
    [
        ({"amount": Decimal("-1")}, "amount", "负数"),
        ({"amount": Decimal("60000")}, "amount", "最高额度"),
        ({"term_months": 48}, "term_months", "最长期限"),
        ({"date": D(2999, 1, 1)}, "date", "晚于今天"),
        ({"repayment": Repayment.REPAID}, "repaid_date", "还清日期"),
        (
            {"repayment": Repayment.REPAID, "repaid_date": D(2018, 1, 1)},
            "repaid_date",
            "早于放款日期",
        ),
        ({"repaid_date": D(2020, 1, 1)}, "repaid_date", "只有已还清"),
    ],
)
def test_bad_loans_are_refused_naming_the_field(product, household, fields, field, text):
    with pytest.raises(ValidationError) as exc:
        testing.make_loan(household, product, **fields)
    assert text in " ".join(exc.value.message_dict[field])
    assert not Loan.objects.exists()


def test_a_product_of_another_county_does_not_apply(regions, household):
    other = testing.make_product("451122", name="钟山贷")
    with pytest.raises(ValidationError) as exc:
        testing.make_loan(household, other)
    assert "不适用" in exc.value.message_dict["product"][0]


def test_absurd_product_values_are_refused(regions):
    with pytest.raises(ValidationError) as exc:
        testing.make_product(rate=Decimal("80"))
    assert "rate" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        testing.make_product(term_months=0)
    assert "term_months" in exc.value.message_dict


def test_add_months_keeps_the_month_end():
    assert add_months(D(2019, 1, 31), 1) == D(2019, 2, 28)
    assert add_months(D(2019, 11, 15), 3) == D(2020, 2, 15)


def test_village_user_sees_the_county_product_and_only_their_loans(
    product, household, other_household, login, users
):
    testing.make_loan(household, product, amount=Decimal("30000"))
    testing.make_loan(other_household, product, amount=Decimal("20000"))
    client = login(users["village"])
    page = client.get(reverse("credit:product", args=[product.pk])).content.decode()
    assert "共 1 笔，合计 30000.00 元" in page
    county = login(users["county"]).get(reverse("credit:product", args=[product.pk]))
    assert "共 2 笔，合计 50000.00 元" in county.content.decode()
    r = login(users["village"]).get("/api/credit/loans/")
    assert r.json()["count"] == 1


def test_api_refuses_a_loan_over_the_product_maximum(product, household, login, users):
    client = login(users["village"])
    data = {
        "household": household.pk,
        "product": product.pk,
        "amount": "50000.01",
        "date": "2019-05-01",
        "term_months": 12,
        "purpose": "养牛",
    }
    r = client.post("/api/credit/loans/", data)
    assert r.status_code == 400 and "最高额度" in r.json()["amount"][0]
    data["amount"] = "50000"
    r = client.post("/api/credit/loans/", data)
    assert r.status_code == 201 and Loan.objects.get().amount == Decimal("50000")


def test_loan_form_repays_a_loan(product, household, login, users):
    loan = testing.make_loan(household, product)
    client = login(users["village"])
    url = reverse("credit:loan_edit", args=[loan.pk])
    data = {
        "household": household.pk,
        "product": product.pk,
        "amount": "30000",
        "date": "2019-04-01",
        "term_months": 36,
        "purpose": "种植半夏",
        "repayment": Repayment.REPAID,
        "repaid_date": "2019-03-01",
    }
    r = client.post(url, data)
    assert r.status_code == 200 and "还清日期不能早于放款日期" in r.content.decode()
    data["repaid_date"] = "2021-03-01"
    assert client.post(url, data).status_code == 302
    loan.refresh_from_db()
    assert loan.repayment == Repayment.REPAID and loan.repaid_date == D(2021, 3, 1)


def test_loan_figures_and_list_follow_a_household_moved_by_the_import(product, regions, tmp_path):
    """A loan is counted where its household is now: the registry import that moves the
    household to another village moves the loan's figure and its filtered list too."""
    from bangfu.core.figures import Period, region_figures
    from bangfu.registry.models import Household
    from bangfu.registry.services.importer import import_registry
    from bangfu.registry.tests.test_import_files import household_rows, to_csv

    import_registry(to_csv(household_rows("H001"), tmp_path / "a.csv"))
    household = Household.objects.get()
    testing.make_loan(household, product, amount=Decimal("20000"))
    from bangfu.accounts.models import User

    admin = User.objects.create_superuser("boss", password="x")

    def loans_in(code):
        sections = region_figures(code, admin, Period())
        return {f.label: f.value for s in sections if s.key == "credit" for f in s.figures}

    assert loans_in("451423100201")["贷款笔数"] == 1 and not loans_in("451423100202")
    rows = household_rows("H001", region="451423100202", village="罗回村")
    assert import_registry(to_csv(rows, tmp_path / "b.csv")).status == "done"
    assert not loans_in("451423100201")
    assert loans_in("451423100202")["贷款金额"] == Decimal("20000")
    assert Loan.objects.filter(region_id="451423100202").count() == 1
