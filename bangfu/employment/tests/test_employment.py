"""Employment: agreement and job rules, scope (a county's agreement seen below it), pages, API
and the unit figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bangfu.assistance import testing as at
from bangfu.core.figures import Period, Subject
from bangfu.employment import testing
from bangfu.employment.choices import JobKind
from bangfu.employment.figures import unit_employment_figures
from bangfu.employment.models import Job

D = datetime.date


@pytest.fixture
def member(household):
    return household.members.order_by("pk").first()


@pytest.mark.parametrize(
    "fields, field, text",
    [
        ({"income": Decimal("-1")}, "income", "负数"),
        ({"income": Decimal("3600000")}, "income", "合理范围"),
        ({"months": 13}, "months", "1 到 12"),
        ({"end_date": D(2019, 1, 1)}, "end_date", "早于"),
        ({"year": 2999}, "year", "晚于今年"),
        ({"kind": JobKind.PUBLIC_WELFARE, "agreement": "county"}, "agreement", "只有劳务输出"),
        ({"agreement": "far"}, "agreement", "不覆盖"),
    ],
)
def test_bad_jobs_are_refused_naming_the_field(member, fields, field, text):
    agreements = {
        "county": testing.make_agreement("451423"),
        "far": testing.make_agreement("451122"),
    }
    if "agreement" in fields:
        fields["agreement"] = agreements[fields["agreement"]]
    with pytest.raises(ValidationError) as exc:
        testing.make_job(member, **fields)
    assert text in " ".join(exc.value.message_dict[field])
    assert not Job.objects.exists()


def test_agreement_rules(regions):
    with pytest.raises(ValidationError) as exc:
        testing.make_agreement(places=0)
    assert "places" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        testing.make_agreement(end_date=D(2018, 1, 1))
    assert "早于" in exc.value.message_dict["end_date"][0]


def test_village_user_sees_the_county_agreement_and_its_jobs_in_scope(
    member, other_household, users, login
):
    agreement = testing.make_agreement("451423")
    testing.make_job(member, agreement=agreement, income=Decimal("30000"))
    testing.make_job(other_household.members.first(), agreement=agreement)
    client = login(users["village"])
    page = client.get(reverse("employment:agreement", args=[agreement.pk])).content.decode()
    assert 'data-figure="jobs" href="/employment/?agreement=' in page
    assert ">1</a> · 30000.00" in page
    assert client.get("/api/employment/jobs/").json()["count"] == 1
    assert login(users["county"]).get("/api/employment/jobs/").json()["count"] == 2


def test_job_form_refuses_thirteen_months(member, users, login):
    client = login(users["village"])
    data = {
        "member": member.pk,
        "kind": JobKind.NEARBY,
        "employer": "县城工地",
        "year": 2019,
        "months": 13,
        "income": "12000",
        "start_date": "2019-02-01",
    }
    r = client.post(reverse("employment:job_add"), data)
    assert r.status_code == 200 and "务工月数应在 1 到 12 之间" in r.content.decode()
    data["months"] = 6
    assert client.post(reverse("employment:job_add"), data).status_code == 302
    assert Job.objects.get().income == Decimal("12000")


def test_unit_figures_count_brokered_agreements_and_their_jobs(member):
    world = at.make_world()
    agreement = testing.make_agreement("451423", unit=world.county, places=40)
    testing.make_job(member, agreement=agreement, income=Decimal("20000"))
    from bangfu.accounts.models import User
    from bangfu.assistance.models import Unit

    admin = User.objects.create_superuser("boss", password="x")
    section = unit_employment_figures(
        Subject.for_unit(Unit.objects.subtree(world.hall).values("pk")), admin, Period()
    )
    values = {f.label: f.value for f in section.figures}
    assert values["促成的劳务输出协议"] == 1 and values["协议岗位"] == 40
    assert values["协议下就业"] == 1 and values["协议下务工收入"] == Decimal("20000")


def test_region_figures_and_their_list_follow_a_household_that_moves(member, users, login):
    """The jobs figure of a village reads the job's copied region (registry/copies.py): after
    the household moves village on its page, the figure and its filtered list move with it."""
    from bangfu.core.figures import region_figures
    from bangfu.registry.tests.test_forms import household_data

    testing.make_job(member, kind=JobKind.NEARBY, income=Decimal("12000"))

    def jobs_in(code):
        sections = region_figures(code, users["county"], Period())
        figures = {f.label: f for s in sections if s.key == "employment" for f in s.figures}
        figure = figures.get(JobKind.NEARBY.label)
        if figure is None:
            return 0, None
        listed = login(users["county"]).get(figure.url).content.decode()
        return figure.value, listed

    n, page = jobs_in("451423100201")
    assert n == 1 and member.name in page
    assert jobs_in("451423100202") == (0, None)
    household = member.household
    r = login(users["county"]).post(
        reverse("registry:household_edit", kwargs={"pk": household.pk}),
        household_data(household, region="451423100202"),
    )
    assert r.status_code == 302
    assert jobs_in("451423100201") == (0, None)
    n, page = jobs_in("451423100202")
    assert n == 1 and member.name in page
