"""Cooperatives: the dividend rule, money rules, pages, API, scope and the unit figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bangfu.assistance import testing as at
from bangfu.cooperatives import testing
from bangfu.cooperatives.figures import unit_cooperative_figures
from bangfu.cooperatives.models import Dividend, Membership
from bangfu.cooperatives.services import cooperatives
from bangfu.core.figures import Period, Subject
from bangfu.core.models import AuditEntry
from bangfu.core.testing import make_household
from bangfu.registry.choices import Category

D = datetime.date


@pytest.fixture
def coop(regions):
    return testing.make_cooperative(name="新联半夏合作社")


def test_dividend_to_a_member_of_that_year_is_paid_and_audited(coop, household):
    testing.make_member(coop, household, joined=D(2018, 3, 1))
    d = cooperatives.pay_dividend(coop, 2019, Decimal("850.50"), household=household)
    assert d.amount == Decimal("850.50") and d.membership.household == household
    assert AuditEntry.objects.filter(object_type="cooperatives.dividend").exists()


@pytest.mark.parametrize(
    "joined, left, year",
    [(D(2020, 1, 1), None, 2019), (D(2016, 1, 1), D(2018, 6, 30), 2019)],
)
def test_dividend_to_a_household_not_a_member_that_year_is_refused(
    coop, household, joined, left, year
):
    member = testing.make_member(coop, household, joined=joined, left=left)
    with pytest.raises(ValidationError) as exc:
        cooperatives.pay_dividend(coop, year, Decimal("100"), household=household)
    assert "不是" in exc.value.message_dict["membership"][0]
    assert str(year) in exc.value.message_dict["membership"][0]
    # Through the membership itself (the API's way) the same rule holds.
    with pytest.raises(ValidationError) as exc:
        cooperatives.pay_dividend(coop, year, Decimal("100"), membership=member)
    assert "不能分红" in exc.value.message_dict["membership"][0]
    assert not Dividend.objects.exists()


def test_dividend_to_a_household_that_never_joined_is_refused(coop, household):
    with pytest.raises(ValidationError) as exc:
        cooperatives.pay_dividend(coop, 2019, Decimal("100"), household=household)
    assert "不是新联半夏合作社的社员" in exc.value.message_dict["membership"][0]


def test_membership_of_another_cooperative_is_refused(coop, household):
    other = testing.make_cooperative()
    member = testing.make_member(other, household)
    with pytest.raises(ValidationError) as exc:
        cooperatives.pay_dividend(coop, 2019, Decimal("1"), membership=member)
    assert "不属于" in exc.value.message_dict["membership"][0]


@pytest.mark.parametrize(
    "amount, text",
    [(Decimal("-5"), "负数"), (Decimal("0"), "大于 0"), (Decimal("5000000000"), "合理范围")],
)
def test_bad_dividend_amounts_are_refused(coop, household, amount, text):
    testing.make_member(coop, household)
    with pytest.raises(ValidationError) as exc:
        cooperatives.pay_dividend(coop, 2019, amount, household=household)
    assert text in exc.value.message_dict["amount"][0]
    assert not Dividend.objects.exists()


def test_member_left_before_joining_and_nameless_member_are_refused(coop, household):
    with pytest.raises(ValidationError) as exc:
        testing.make_member(coop, household, joined=D(2019, 1, 1), left=D(2018, 1, 1))
    assert "早于" in exc.value.message_dict["left"][0]
    with pytest.raises(ValidationError) as exc:
        testing.make_member(coop, None)
    assert "姓名" in exc.value.message_dict["household"][0]
    assert testing.make_member(coop, None, name="韦大山").pk
    assert Membership.objects.count() == 1


def test_cooperative_must_be_in_a_village(regions):
    with pytest.raises(ValidationError) as exc:
        testing.make_cooperative("451423100")
    assert "村级" in exc.value.message_dict["village"][0]


def test_page_counts_poor_and_other_members_and_dividends_per_year(coop, household, login, users):
    non_poor = make_household("451423100201")
    non_poor.category = Category.NON_POOR
    non_poor.save()
    m1 = testing.make_member(coop, household)
    testing.make_member(coop, non_poor)
    testing.make_member(coop, None, name="韦大山")
    cooperatives.pay_dividend(coop, 2019, Decimal("300"), membership=m1)
    cooperatives.pay_dividend(coop, 2020, Decimal("200"), membership=m1)
    html = login(users["village"]).get(reverse("cooperatives:cooperative", args=[coop.pk]))
    text = html.content.decode()
    assert html.status_code == 200
    assert 'data-figure="poor">1<' in text and 'data-figure="other">2<' in text
    assert 'data-year="2019"' in text and "300.00" in text and "200.00" in text


def test_list_is_scoped(coop, login, users):
    testing.make_cooperative("451423100202", name="罗回合作社")
    html = login(users["village"]).get(reverse("cooperatives:cooperative_list")).content.decode()
    assert "新联半夏合作社" in html and "罗回合作社" not in html
    html = login(users["county"]).get(reverse("cooperatives:cooperative_list")).content.decode()
    assert "罗回合作社" in html


def test_add_dividend_page_refuses_a_non_member_with_the_reason(coop, household, login, users):
    member = testing.make_member(coop, household, joined=D(2020, 1, 1))
    client = login(users["village"])
    url = reverse("cooperatives:dividend_add", args=[coop.pk])
    response = client.post(url, {"membership": member.pk, "year": 2019, "amount": "100"})
    assert response.status_code == 200
    assert "不能分红" in response.content.decode()
    assert not Dividend.objects.exists()
    response = client.post(url, {"membership": member.pk, "year": 2020, "amount": "100"})
    assert response.status_code == 302 and Dividend.objects.count() == 1


def test_api_refuses_a_dividend_to_a_non_member_naming_the_field(coop, household, login, users):
    member = testing.make_member(coop, household, joined=D(2020, 1, 1))
    client = login(users["village"])
    url = "/api/cooperatives/dividends/"
    r = client.post(
        url, {"cooperative": coop.pk, "membership": member.pk, "year": 2019, "amount": "9"}
    )
    assert r.status_code == 400 and "membership" in r.json()
    r = client.post(
        url, {"cooperative": coop.pk, "membership": member.pk, "year": 2021, "amount": "9.5"}
    )
    assert r.status_code == 201 and r.json()["amount"] == "9.50"


def test_unit_figures_count_members_and_dividends(regions, household):
    world = at.make_world()
    coop = testing.make_cooperative(unit=world.county)
    member = testing.make_member(coop, household)
    testing.make_member(coop, None, name="韦大山")
    cooperatives.pay_dividend(coop, 2019, Decimal("120"), membership=member)
    from bangfu.accounts.models import User

    admin = User.objects.create_superuser("boss", password="x")
    from bangfu.assistance.models import Unit

    section = unit_cooperative_figures(
        Subject.for_unit(Unit.objects.subtree(world.hall).values("pk")), admin, Period()
    )
    values = {f.label: f.value for f in section.figures}
    assert values["帮扶的合作社"] == 1
    assert values["建档立卡户社员"] == 1 and values["其他社员"] == 1
    assert values["2019年分红"] == Decimal("120")
    assert all("unit=" in f.url for f in section.figures)
