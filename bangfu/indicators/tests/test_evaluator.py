"""The evaluator's figures: 错退率 over exited households' latest verdicts and the 漏评 proxy over
households not registered as poor, beside the < 2 % threshold."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from bangfu.core import testing
from bangfu.indicators.services import evaluator
from bangfu.registry.models import Household
from bangfu.standards.services.evaluate import evaluate

XINLIAN = "451423100201"


def exited(income=5000):
    return testing.make_household(XINLIAN, status="exited", income_per_person=income)


@pytest.mark.django_db
def test_wrong_exit_rate_uses_the_latest_verdict(regions):
    good = [exited() for _ in range(3)]
    bad = exited(income=1000)  # below the 2020 line: fails cn-household
    testing.make_household(XINLIAN, income_per_person=1000)  # still poor: not counted
    evaluate("cn-household", 2020, XINLIAN)
    share = evaluator.wrong_exits(Household.objects.all(), "cn-household", 2020)
    assert (share.evaluated, share.failing, share.rate) == (4, 1, Decimal("25.00"))
    assert share.within_limit is False
    # the household's figures corrected and evaluated again: the latest verdict counts
    bad.surveys.update(wage_income=Decimal(15000))  # 3 members: 5,000 each
    evaluate("cn-household", 2020, XINLIAN)
    share = evaluator.wrong_exits(Household.objects.all(), "cn-household", 2020)
    assert (share.evaluated, share.failing, share.within_limit) == (4, 0, True)
    assert good


@pytest.mark.django_db
def test_missed_proxy_only_where_data_exists(regions):
    share = evaluator.missed(Household.objects.all(), "cn-household", 2020)
    assert share.rate is None and share.within_limit is None
    h = testing.make_household(XINLIAN, income_per_person=1000)
    h.category = "non_poor"
    h.save()
    testing.make_household(XINLIAN, status="marginal")
    evaluate("cn-household", 2020, XINLIAN)
    share = evaluator.missed(Household.objects.all(), "cn-household", 2020)
    assert (share.evaluated, share.failing, share.rate) == (2, 1, Decimal("50.00"))


@pytest.mark.django_db
def test_page_api_and_household_list(users, login, client):
    exited()
    bad = exited(income=1000)
    far = testing.make_household("451122100201", status="exited", income_per_person=1000)
    evaluate("cn-household", 2020)
    c = login(users["county"])
    r = c.get(reverse("indicators:evaluator") + "?year=2020")
    html = r.content.decode()
    assert r.status_code == 200 and "50.00%" in html and "&lt; 2%" in html
    r = c.get(reverse("indicators:evaluator_households") + "?year=2020&kind=wrong_exits")
    assert [h.pk for h in r.context["households"]] == [bad.pk]  # never the other county's
    assert far.pk != bad.pk
    body = c.get("/api/indicators/evaluator/?year=2020").json()
    assert body["wrong_exits"] == {
        "evaluated": 2,
        "failing": 1,
        "without_verdict": 0,
        "rate": "50.00",
        "within_limit": False,
    }
