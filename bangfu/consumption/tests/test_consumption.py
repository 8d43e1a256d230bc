"""Consumption purchases: rules, the cooperative's village, scope, API and the unit figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bangfu.assistance import testing as at
from bangfu.assistance.models import Unit
from bangfu.consumption import testing
from bangfu.consumption.figures import unit_purchase_figures
from bangfu.consumption.models import Purchase
from bangfu.cooperatives import testing as coop_testing
from bangfu.core.figures import Period, Subject

D = datetime.date


@pytest.fixture
def world(regions):
    return at.make_world()


def test_a_purchase_from_a_cooperative_takes_its_village(world):
    coop = coop_testing.make_cooperative("451423100202")
    p = testing.make_purchase(world.county, None, cooperative=coop)
    assert p.village_id == "451423100202" and p.seller == coop.name


@pytest.mark.parametrize(
    "fields, field, text",
    [
        ({"amount": Decimal("-3")}, "amount", "负数"),
        ({"amount": Decimal("1e10")}, "amount", "合理范围"),
        ({"date": D(2999, 1, 1)}, "date", "晚于今天"),
        ({"village": None}, "village", "请选择销售村"),
        ({"village": "451423100"}, "village", "村级"),
        ({"coop": True}, "village", "不一致"),
    ],
)
def test_bad_purchases_are_refused_naming_the_field(world, fields, field, text):
    if fields.pop("coop", False):
        fields["cooperative"] = coop_testing.make_cooperative("451423100202")
    args = {"village": "451423100201", **fields}
    with pytest.raises(ValidationError) as exc:
        testing.make_purchase(world.county, **args)
    assert text in " ".join(exc.value.message_dict[field])
    assert not Purchase.objects.exists()


def test_scope_and_api(world, users, login):
    testing.make_purchase(world.county, "451423100201", amount=Decimal("100"))
    testing.make_purchase(world.county, "451423100202", amount=Decimal("200"))
    client = login(users["village"])
    assert client.get("/api/consumption/purchases/").json()["count"] == 1
    page = client.get("/consumption/").content.decode()
    assert "共 1 笔，合计 100.00 元" in page
    r = client.post(
        "/api/consumption/purchases/",
        {"unit": world.hall.pk, "village": "451423100201", "product": "茶叶", "amount": "0"},
    )
    assert r.status_code == 400


def test_unit_figures_sum_the_unit_trees_purchases_in_the_period(world):
    testing.make_purchase(world.county, "451423100201", amount=Decimal("100"), date=D(2019, 5, 1))
    testing.make_purchase(world.hall, "451423100202", amount=Decimal("250"), date=D(2019, 6, 1))
    testing.make_purchase(world.hall, "451423100202", amount=Decimal("999"), date=D(2018, 6, 1))
    testing.make_purchase(world.other, "451122100201", amount=Decimal("7"), date=D(2019, 6, 1))
    from bangfu.accounts.models import User

    admin = User.objects.create_superuser("boss", password="x")
    section = unit_purchase_figures(
        Subject.for_unit(Unit.objects.subtree(world.hall).values("pk")),
        admin,
        Period(D(2019, 1, 1), D(2019, 12, 31)),
    )
    values = {f.label: f.value for f in section.figures}
    assert values["采购"] == 2 and values["采购金额"] == Decimal("350")
    assert values["采购涉及村"] == 2
    assert "start=2019-01-01" in section.figures[0].url
