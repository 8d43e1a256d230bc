"""Edit forms: the import's rules, errors next to their fields, optimistic locking, scope."""

import datetime

import pytest
from django.urls import reverse

from bangfu.core.models import AuditEntry
from bangfu.registry import idnumber
from bangfu.registry.forms import HouseholdForm, MemberForm
from bangfu.registry.models import Household, Member, MemberSurvey, StatusChange, Survey
from bangfu.registry.services.households import ConcurrentEditError, update_household


def household_data(h, **overrides):
    data = {
        "household_no": h.household_no,
        "region": h.region_id,
        "group_name": h.group_name,
        "category": h.category,
        "status": h.status,
        "registered_year": h.registered_year,
        "exit_year": h.exit_year or "",
        "main_cause": h.main_cause,
        "other_causes": h.other_cause_list,
        "phone": h.phone,
        "version": h.version,
        "status_date": "",
        "status_reason": "",
    }
    data.update(overrides)
    return data


def edit_url(h):
    return reverse("registry:household_edit", kwargs={"pk": h.pk})


def field_error(html: str, field: str, message: str) -> bool:
    """The message is shown inside the field's own block."""
    start = html.find(f'id="id_{field}"')
    if start < 0:
        start = html.find(f'name="{field}"')
    assert start >= 0, f"no field {field}"
    block_start = html.rfind('<div class="field', 0, start)
    block_end = html.find('<div class="field', start)
    return message in html[block_start:block_end]


@pytest.mark.django_db
def test_household_edit_saves_and_audits(users, household, login):
    c = login(users["village"])
    r = c.post(
        edit_url(household), household_data(household, phone="13700001111", group_name="三组")
    )
    assert r.status_code == 302
    household.refresh_from_db()
    assert (household.phone, household.group_name, household.version) == ("13700001111", "三组", 2)
    entry = AuditEntry.objects.for_subject(household).get(action="update")
    assert entry.after["phone"] == "13700001111" and entry.username == "village"


@pytest.mark.django_db
def test_validation_errors_are_shown_next_to_fields(users, household, login):
    c = login(users["village"])
    r = c.post(
        edit_url(household),
        household_data(
            household,
            status="exited",
            exit_year="",
            registered_year=2012,
            phone="12345",
            status_reason="验收",
        ),
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert field_error(html, "registered_year", "纳入年度应为 2014 年或以后")
    assert field_error(html, "phone", "联系电话应为 11 位手机号或固定电话")
    r = c.post(
        edit_url(household),
        household_data(household, status="exited", exit_year="", status_reason="验收"),
    )
    assert field_error(r.content.decode(), "exit_year", "户类型为已脱贫时必须填写脱贫年度")
    household.refresh_from_db()
    assert household.status == "not_exited" and household.version == 1


@pytest.mark.django_db
def test_status_change_through_the_edit_form_needs_a_reason(users, household, login):
    c = login(users["village"])
    r = c.post(edit_url(household), household_data(household, status="unstable"))
    assert field_error(r.content.decode(), "status_reason", "户类型改变时请填写原因")
    r = c.post(
        edit_url(household),
        household_data(
            household, status="unstable", status_reason="因病", status_date="2026-05-02"
        ),
    )
    assert r.status_code == 302
    change = StatusChange.objects.filter(household=household).latest("id")
    assert (change.status, change.previous_status, change.reason, change.date) == (
        "unstable",
        "not_exited",
        "因病",
        datetime.date(2026, 5, 2),
    )


@pytest.mark.django_db
def test_concurrent_edit_is_refused_and_nothing_is_lost(users, household, login):
    from django.test import Client

    c = login(users["village"])
    # Both users open the form at version 1.
    assert c.get(edit_url(household)).context["form"]["version"].value() == 1
    stale = household_data(household, phone="13911112222")
    # The county user saves first.
    other = Client()
    other.force_login(users["county"])
    assert (
        other.post(edit_url(household), household_data(household, group_name="二组")).status_code
        == 302
    )
    # The village user's save against version 1 is refused ...
    r = c.post(edit_url(household), stale)
    assert r.status_code == 200
    html = r.content.decode()
    assert "该户已被其他用户修改（county 于" in html and "请刷新后重试。" in html
    # ... their input is still in the form ...
    assert 'value="13911112222"' in html
    # ... and the first user's change is kept.
    household.refresh_from_db()
    assert household.group_name == "二组" and household.phone != "13911112222"
    assert household.version == 2


@pytest.mark.django_db
def test_update_household_service_is_a_conditional_update(household):
    update_household(household, {"phone": "13800000001"}, expected_version=1)
    assert household.version == 2
    with pytest.raises(ConcurrentEditError) as exc:
        update_household(household, {"phone": "13800000002"}, expected_version=1)
    assert "该户已被其他用户修改" in exc.value.messages[0]
    assert Household.objects.get(pk=household.pk).phone == "13800000001"


@pytest.mark.django_db
def test_new_household_only_in_scope(users, regions, login):
    c = login(users["village"])
    data = {
        "household_no": "451423100201-N1",
        "region": "451423100202",  # another village
        "category": "ordinary",
        "status": "not_exited",
        "registered_year": 2016,
        "main_cause": "illness",
        "phone": "",
    }
    r = c.post(reverse("registry:household_add"), data)
    assert r.status_code == 200
    assert not Household.objects.filter(household_no="451423100201-N1").exists()
    form = r.context["form"]
    assert "region" in form.errors
    assert [str(code) for code, _ in form.fields["region"].choices if code] == ["451423100201"]
    data["region"] = "451423100201"
    r = c.post(reverse("registry:household_add"), data)
    assert r.status_code == 302
    h = Household.objects.get(household_no="451423100201-N1")
    assert h.status_changes.get().reason == "建档立卡"


def test_household_form_region_choices_are_scoped(db, users):
    form = HouseholdForm(user=users["township"])
    codes = {r.code for r in form.fields["region"].queryset}
    assert codes == {"451423100201", "451423100202"}


@pytest.mark.django_db
def test_member_id_is_validated_and_unique(users, household, other_household, login):
    c = login(users["county"])
    url = reverse("registry:member_add", kwargs={"pk": household.pk})
    base = {"name": "新成员", "relation": "son", "ethnicity": "壮族"}
    # wrong check character
    good = idnumber.make("451423", datetime.date(2001, 2, 3), 15)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    r = c.post(url, {**base, "id_number": bad})
    assert field_error(r.content.decode(), "id_number", "校验码错误")
    # already registered in another household: the message names it
    taken = other_household.members.first().id_number
    r = c.post(url, {**base, "id_number": taken})
    assert field_error(r.content.decode(), "id_number", other_household.household_no)
    # a second head
    r = c.post(url, {**base, "relation": "head", "id_number": good})
    assert "relation" in r.context["form"].errors
    # valid, with a lower-case x and full-width digits normalised; sex and birth date derived
    fullwidth = (
        good[:17].translate({ord("0") + i: 0xFF10 + i for i in range(10)}) + good[17].lower()
    )
    r = c.post(url, {**base, "id_number": fullwidth})
    assert r.status_code == 302
    m = Member.objects.get(id_number=good)
    assert m.sex == "male" and m.birth_date == datetime.date(2001, 2, 3)


def test_member_form_keeps_own_id_on_edit(db, household):
    member = household.members.first()
    form = MemberForm(
        data={
            "name": member.name,
            "id_number": member.id_number,
            "relation": member.relation,
            "ethnicity": "",
        },
        instance=member,
    )
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_survey_with_member_facts(users, household, login):
    c = login(users["village"])
    url = reverse("registry:survey_add", kwargs={"pk": household.pk})
    assert c.get(url).status_code == 200
    members = list(household.members.order_by("id"))
    data = {
        "year": 2021,
        "household_size": 3,
        "farmland_mu": "2.5",
        "housing_safety": "B",
        "relocated": "0",
        "safe_water": "1",
        "electricity": "1",
        "tv_access": "1",
        "road_hardened": "1",
        "food_clothing_secure": "1",
        "wage_income": "30000",
        "business_income": "6000",
        "property_income": "0",
        "transfer_income": "1000",
        "business_expense": "1000",
        "net_income_given": "9999",
    }
    for m in members:
        data.update(
            {
                f"m{m.pk}-schooling": "not_in_school",
                f"m{m.pk}-labour_ability": "ordinary",
                f"m{m.pk}-medical_insurance": "1",
                f"m{m.pk}-work_months": "6",
            }
        )
    # the given net income disagrees with the computed 12000.00
    r = c.post(url, data)
    assert r.status_code == 200
    assert field_error(r.content.decode(), "net_income_given", "12000.00")
    # a missing yes/no is an error, never read as 否
    data["net_income_given"] = "12000"
    del data["safe_water"]
    r = c.post(url, data)
    assert "safe_water" in r.context["form"].errors
    data["safe_water"] = "1"
    # a member's facts are checked too
    data[f"m{members[0].pk}-work_months"] = "13"
    r = c.post(url, data)
    assert r.status_code == 200 and r.context["member_forms"][0].errors
    data[f"m{members[0].pk}-work_months"] = "12"
    r = c.post(url, data)
    assert r.status_code == 302, r.context and r.context["form"].errors
    survey = Survey.objects.get(household=household, year=2021)
    assert survey.net_income_per_capita == 12000
    assert MemberSurvey.objects.filter(survey=survey).count() == 3
    # the same year twice is refused
    r = c.post(url, data)
    assert "year" in r.context["form"].errors
    # household size must match the members
    edit = reverse("registry:survey_edit", kwargs={"pk": survey.pk})
    r = c.post(edit, {**data, "household_size": 4})
    assert "household_size" in r.context["form"].errors


@pytest.mark.django_db
def test_survey_changes_show_in_history_by_year_and_member(users, household, login):
    c = login(users["county"])
    survey = household.surveys.get()
    ms = survey.member_surveys.select_related("member").first()
    ms.work_months = 11
    ms.save()
    html = c.get(reverse("registry:household", kwargs={"pk": household.pk})).content.decode()
    assert f"{ms.member.name} {survey.year}" in html
    assert "务工时间(月)：" in html


@pytest.mark.django_db
def test_member_delete_keeps_the_head(users, household, login):
    c = login(users["county"])
    head = household.head()
    other = household.members.exclude(pk=head.pk).first()
    r = c.post(reverse("registry:member_delete", kwargs={"pk": head.pk}))
    assert r.status_code == 302 and Member.objects.filter(pk=head.pk).exists()
    r = c.post(reverse("registry:member_delete", kwargs={"pk": other.pk}))
    assert r.status_code == 302 and not Member.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.for_subject(household).filter(action="delete").count() >= 1
