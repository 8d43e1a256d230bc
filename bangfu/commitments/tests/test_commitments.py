"""Commitments: the rules, the computed schedule, payments, the graduation event, the overdue
check (SQL agreeing with the page's schedule), pages, API and scope."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.commitments import testing
from bangfu.commitments.checks import overdue_commitments
from bangfu.commitments.choices import EndEvent, Period
from bangfu.commitments.models import Commitment, CommitmentPayment
from bangfu.commitments.services import commitments
from bangfu.commitments.services.schedule import due_dates, overdue, schedule, with_overdue

D = datetime.date


def test_monthly_schedule_runs_until_the_end_date(household):
    c = testing.make_commitment(household, D(2019, 9, 5), end_date=D(2020, 1, 4))
    assert due_dates(c, D(2030, 1, 1)) == [
        D(2019, 9, 5),
        D(2019, 10, 5),
        D(2019, 11, 5),
        D(2019, 12, 5),
    ]
    q = testing.make_commitment(household, D(2019, 11, 20), period=Period.QUARTERLY)
    assert due_dates(q, D(2020, 8, 19)) == [D(2019, 11, 20), D(2020, 2, 20), D(2020, 5, 20)]


@pytest.mark.parametrize(
    "fields, field, text",
    [
        ({"amount": Decimal("-1000")}, "amount", "负数"),
        ({"amount": Decimal("2000000000")}, "amount", "合理范围"),
        ({"end_date": D(2019, 1, 1)}, "end_date", "早于"),
        ({"donor": ""}, "unit", "承诺人"),
        ({"start": D(2019, 9, 30)}, "start_date", "1–28"),
    ],
)
def test_bad_commitments_are_refused_naming_the_field(household, fields, field, text):
    start = fields.pop("start", D(2019, 9, 1))
    with pytest.raises(ValidationError) as exc:
        testing.make_commitment(household, start, **fields)
    assert text in " ".join(exc.value.message_dict[field])
    assert not Commitment.objects.exists()


def test_member_of_another_household_is_refused(household, other_household):
    with pytest.raises(ValidationError) as exc:
        testing.make_commitment(household, member=other_household.members.first())
    assert "不属于" in exc.value.message_dict["member"][0]


def test_payment_must_cover_a_due_period_once(household):
    c = testing.make_commitment(household, D(2019, 9, 1))
    commitments.record_payment(c, D(2019, 10, 1), Decimal("1000"))
    with pytest.raises(ValidationError) as exc:
        commitments.record_payment(c, D(2019, 10, 15), Decimal("1000"))
    assert "不是该承诺的应发日期" in exc.value.message_dict["period_start"][0]
    with pytest.raises(ValidationError):
        commitments.record_payment(c, D(2019, 10, 1), Decimal("1000"))
    with pytest.raises(ValidationError) as exc:
        commitments.record_payment(c, D(2019, 11, 1), Decimal("0"))
    assert "amount" in exc.value.message_dict
    assert CommitmentPayment.objects.count() == 1


def test_graduation_ends_the_schedule_and_the_overdue_periods(household):
    student = household.members.last()
    c = testing.make_commitment(
        household, D(2019, 9, 1), member=student, end_event=EndEvent.GRADUATION
    )
    for month in (9, 10, 11, 12):
        commitments.record_payment(c, D(2019, month, 1), Decimal("1000"))
    assert overdue(Commitment.objects.all(), D(2020, 6, 30)).get().periods_overdue == 6
    commitments.record_end_event(c, D(2019, 12, 20))
    c.refresh_from_db()
    assert c.end_date == D(2019, 12, 20) and c.event_date == D(2019, 12, 20)
    assert due_dates(c, D(2030, 1, 1))[-1] == D(2019, 12, 1)
    assert not overdue(Commitment.objects.all(), D(2020, 6, 30)).exists()


def test_a_short_payment_leaves_its_period_overdue(household):
    c = testing.make_commitment(household, D(2019, 9, 1), end_date=D(2019, 10, 31))
    commitments.record_payment(c, D(2019, 9, 1), Decimal("1000"))
    commitments.record_payment(c, D(2019, 10, 1), Decimal("600"))
    row = with_overdue(Commitment.objects.all(), D(2020, 1, 1)).get()
    assert (row.periods_due, row.periods_paid, row.periods_overdue) == (2, 1, 1)
    states = [r["state"] for r in schedule(c, D(2020, 1, 1))]
    assert states == ["paid", "short"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(D(2015, 1, 1), D(2020, 12, 28)).map(lambda d: d.replace(day=min(d.day, 28))),
    period=st.sampled_from(list(Period)),
    months=st.one_of(st.none(), st.integers(0, 60)),
    on=st.dates(D(2015, 1, 1), D(2024, 12, 31)),
    paid=st.lists(st.booleans(), max_size=30),
)
def test_sql_overdue_count_agrees_with_the_schedule(household, start, period, months, on, paid):
    end = start + datetime.timedelta(days=30 * months) if months is not None else None
    Commitment.objects.all().delete()
    c = testing.make_commitment(household, start, period=period, end_date=end)
    dates = due_dates(c, D(2025, 1, 1))
    for day, full in zip(dates, paid, strict=False):
        if day <= D(2025, 1, 1) and full is not None:
            CommitmentPayment.objects.create(
                commitment=c, period_start=day, date=day, amount=Decimal("1000" if full else "10")
            )
    expected_due = [d for d in dates if d <= on]
    expected_unpaid = [d for i, d in enumerate(expected_due) if not (i < len(paid) and paid[i])]
    rows = list(with_overdue(Commitment.objects.filter(pk=c.pk), on))
    if not expected_due:
        assert not rows or rows[0].periods_due == 0
        return
    assert rows[0].periods_due == len(expected_due)
    assert rows[0].periods_overdue == len(expected_unpaid)


def test_check_lists_overdue_commitments_in_scope_only(household, other_household, users, login):
    from django.utils import timezone

    start = timezone.localdate().replace(day=1) - datetime.timedelta(days=120)
    start = start.replace(day=1)
    late = testing.make_commitment(household, start, donor="新联捐助人")
    testing.make_commitment(other_household, start, donor="罗回捐助人")
    for day in due_dates(late, timezone.localdate())[:1]:
        commitments.record_payment(late, day, Decimal("1000"))
    rows = list(overdue_commitments(users["village"], {}))
    assert [r.pk for r in rows] == [late.pk] and rows[0].periods_overdue >= 2
    assert len(list(overdue_commitments(users["county"], {}))) == 2
    page = login(users["county"]).get(reverse("assistance:coverage")).content.decode()
    assert "承诺发放逾期" in page and "新联捐助人" in page
    export = login(users["county"]).get(
        reverse("assistance:coverage"), {"export": "commitments_overdue"}
    )
    assert household.household_no in export.content.decode("utf-8-sig")


def test_page_shows_the_schedule_and_a_payment_form(household, users, login):
    c = testing.make_commitment(household, D(2019, 9, 1), end_date=D(2019, 11, 30))
    commitments.record_payment(c, D(2019, 9, 1), Decimal("1000"))
    client = login(users["village"])
    page = client.get(reverse("commitments:commitment", args=[c.pk])).content.decode()
    assert page.count('data-state="paid"') == 1 and page.count('data-state="overdue"') == 2
    assert 'data-figure="overdue">2<' in page
    url = reverse("commitments:payment_add", args=[c.pk])
    r = client.post(url, {"period_start": "2019-10-01", "date": "2019-10-03", "amount": "1000"})
    assert r.status_code == 302
    r = client.post(url, {"period_start": "2019-10-02", "date": "2019-10-03", "amount": "1000"})
    assert r.status_code == 200 and "不是该承诺的应发日期" in r.content.decode()


def test_api_creates_a_commitment_in_scope_only(household, other_household, users, login):
    client = login(users["village"])
    data = {
        "household": household.pk,
        "donor": "某企业",
        "purpose": "助学",
        "amount": "500",
        "period": "quarterly",
        "start_date": "2020-03-01",
    }
    assert client.post("/api/commitments/commitments/", data).status_code == 201
    data["household"] = other_household.pk
    assert client.post("/api/commitments/commitments/", data).status_code == 400
    data["household"], data["amount"] = household.pk, "-5"
    r = client.post("/api/commitments/commitments/", data)
    assert r.status_code == 400 and "amount" in r.json()


def test_commitment_and_payment_lists_follow_a_household_moved_through_the_api(
    household, users, login
):
    """The region filter of the commitment and payment lists (and the scope of a village user)
    reads the commitment's copied region: a household moved through the API takes both along."""
    commitment = testing.make_commitment(household)
    commitments.record_payment(
        commitment=commitment,
        period_start=datetime.date(2019, 9, 1),
        date=datetime.date(2019, 9, 5),
        amount=Decimal("1000"),
    )
    county = login(users["county"])

    def counts(region):
        return tuple(
            county.get(f"/api/commitments/{kind}/?region={region}").json()["count"]
            for kind in ("commitments", "payments")
        )

    assert counts("451423100201") == (1, 1) and counts("451423100202") == (0, 0)
    r = county.patch(
        f"/api/households/{household.pk}/",
        {"region": "451423100202", "version": household.version},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert counts("451423100201") == (0, 0) and counts("451423100202") == (1, 1)
    other = login(users["other_village"])
    assert other.get("/api/commitments/payments/").json()["count"] == 1
    assert login(users["village"]).get("/api/commitments/payments/").json()["count"] == 0
