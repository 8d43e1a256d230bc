"""The list pages behind the cooperative and commitment figures: members (poor or not, in a
period), dividends (by year) and commitment payments — scoped to the user, filtered by the same
FilterSet as the API and the export."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bangfu.commitments import testing as commitment_testing
from bangfu.commitments.services import commitments
from bangfu.cooperatives import testing
from bangfu.cooperatives.services import cooperatives

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def coops(household, other_household):
    here = testing.make_cooperative(name="新联村百香果合作社")
    member = testing.make_member(here, household)
    testing.make_member(here, None, name="韦大山", joined=D(2020, 6, 1))
    testing.make_member(here, None, name="黄老三", joined=D(2017, 1, 1), left=D(2018, 12, 31))
    cooperatives.pay_dividend(here, 2019, Decimal("480.00"), membership=member)
    cooperatives.pay_dividend(here, 2020, Decimal("520.00"), membership=member)
    there = testing.make_cooperative(village="451423100202", name="罗回村合作社")
    far_member = testing.make_member(there, other_household)
    cooperatives.pay_dividend(there, 2019, Decimal("300.00"), membership=far_member)
    promise = commitment_testing.make_commitment(household, start=D(2020, 1, 10))
    commitments.record_payment(promise, D(2020, 1, 10), Decimal("1000"))
    commitments.record_payment(promise, D(2020, 2, 10), Decimal("1000"))
    far_promise = commitment_testing.make_commitment(other_household, start=D(2020, 1, 10))
    commitments.record_payment(far_promise, D(2020, 1, 10), Decimal("1000"))
    return here


def names(response):
    return [str(row) for row in response.context["paginator"].object_list]


def test_member_list_filters_poor_and_period(coops, users, login):
    client = login(users["county"])
    url = reverse("cooperatives:membership_list")
    assert client.get(url).context["paginator"].count == 4
    poor = client.get(url, {"poor": "true"}).context["paginator"].object_list
    assert len(poor) == 2 and all(m.household_id for m in poor)  # the two registered households
    other = names(client.get(url, {"poor": "false", "region": "451423100201"}))
    assert set(other) == {"黄老三", "韦大山"}
    # in 2019: 黄老三 had left, 韦大山 had not joined
    in_2019 = client.get(
        url, {"region": "451423100201", "start": "2019-01-01", "end": "2019-12-31"}
    )
    assert in_2019.context["paginator"].count == 1


def test_lists_are_scoped_to_the_users_villages(coops, users, login):
    client = login(users["village"])  # 新联村 only
    assert client.get(reverse("cooperatives:membership_list")).context["paginator"].count == 3
    dividends = client.get(reverse("cooperatives:dividend_list")).context["paginator"]
    assert sorted(d.amount for d in dividends.object_list) == [
        Decimal("480.00"),
        Decimal("520.00"),
    ]
    payments = client.get(reverse("commitments:payment_list")).context["paginator"]
    assert payments.count == 2


def test_dividend_and_payment_lists_filter_by_year_and_period(coops, users, login):
    client = login(users["county"])
    by_year = client.get(reverse("cooperatives:dividend_list"), {"year": 2019})
    assert sorted(d.amount for d in by_year.context["paginator"].object_list) == [
        Decimal("300.00"),
        Decimal("480.00"),
    ]
    period = client.get(
        reverse("commitments:payment_list"),
        {"start": "2020-02-01", "end": "2020-12-31", "region": "451423100201"},
    )
    assert [p.amount for p in period.context["paginator"].object_list] == [Decimal("1000.00")]


def test_export_of_a_filtered_member_list(coops, users, login):
    client = login(users["county"])
    response = client.get(
        reverse("cooperatives:membership_list"), {"poor": "false", "export": "csv"}
    )
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3  # the header and the two members who are not registered households
    assert "韦大山" in response.content.decode("utf-8-sig")


def test_poor_member_figure_and_list_follow_a_category_change_on_the_household_page(
    coops, household, users, login
):
    """建档立卡户社员 counts the members' copied `poor` flag (registry/copies.py): a household
    set to 一般农户 on its page moves to 其他社员 in the figure and in the list it links to."""
    from bangfu.core.figures import Period, region_figures
    from bangfu.registry.tests.test_forms import household_data

    client = login(users["county"])

    def figures():
        sections = region_figures("451423100201", users["county"], Period())
        found = {f.label: f for s in sections if s.key == "cooperatives" for f in s.figures}
        poor, other = found["建档立卡户社员"], found["其他社员"]
        listed = client.get(poor.url).context["paginator"].count
        return poor.value, other.value, listed

    assert figures() == (1, 2, 1)
    r = client.post(
        reverse("registry:household_edit", kwargs={"pk": household.pk}),
        household_data(household, category="non_poor"),
    )
    assert r.status_code == 302
    assert figures() == (0, 3, 0)
