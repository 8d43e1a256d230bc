"""Registry API: scope, masking, optimistic locking, validation messages, status changes, audit."""

import datetime
import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bangfu.core.models import AuditEntry
from bangfu.core.privacy import mask_id_number, mask_phone
from bangfu.core.testing import make_household, make_survey
from bangfu.registry import idnumber
from bangfu.registry.models import Household, Member, StatusChange, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    """api(user) → an APIClient authenticated with the user's token (Authorization: Token …)."""

    def _api(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _api


def new_household_payload(**overrides):
    data = {
        "household_no": "45142310020199999",
        "region": "451423100201",
        "category": "ordinary",
        "status": "not_exited",
        "registered_year": 2016,
        "main_cause": "illness",
        "other_causes": ["lack_funds", "lack_skills"],
        "phone": "13912345678",
    }
    data.update(overrides)
    return data


# --- authentication ---------------------------------------------------------------------------


def test_token_auth_works_and_anonymous_is_refused(api, users, household):
    assert api(None).get("/api/households/").status_code in (401, 403)
    response = api(users["village"]).get("/api/households/")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_bad_token_is_refused(users, household):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/households/")
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


# --- households: list, detail, filters --------------------------------------------------------


def test_household_list_is_scoped_and_counts_reflect_scope(
    api, users, household, other_household, far_household
):
    body = api(users["village"]).get("/api/households/").json()
    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [household.pk]
    body = api(users["county"]).get("/api/households/").json()
    assert body["count"] == 2
    assert {row["id"] for row in body["results"]} == {household.pk, other_household.pk}
    assert api(users["admin"]).get("/api/households/").json()["count"] == 3


def test_household_detail_nests_members_with_latest_facts(api, users, household):
    make_survey(
        household, 2021, farmland_mu=3, housing_safety="B", wage_income=30000, household_size=3
    )
    body = api(users["county"]).get(f"/api/households/{household.pk}/").json()
    assert body["latest_survey"]["year"] == 2021
    assert body["latest_survey"]["net_income_per_capita"] == "10000.00"
    assert len(body["members"]) == 3
    # The 2021 survey has no member facts yet: the latest survey's facts are shown, i.e. none.
    assert all(m["facts"] is None for m in body["members"])


def test_household_detail_member_facts_from_latest_survey(api, users, household):
    body = api(users["county"]).get(f"/api/households/{household.pk}/").json()
    assert body["latest_survey"]["year"] == 2020
    assert body["members"][0]["facts"]["schooling"] == "not_in_school"
    assert body["category_display"] == "一般贫困户"
    assert body["other_causes"] == ["lack_funds"]
    assert [c["status"] for c in body["status_changes"]] == ["not_exited"]


def test_household_list_has_no_n_plus_one(api, users, django_assert_max_num_queries):
    for _ in range(12):
        make_household("451423100201", members=4)
    client = api(users["county"])
    with django_assert_max_num_queries(9):  # token, count, page, region, members, changes, surveys…
        response = client.get("/api/households/")
    assert response.status_code == 200
    assert response.json()["count"] == 12


def test_filters_are_shared_with_the_ui(api, users, household, other_household):
    other_household.status = "exited"
    other_household.exit_year = 2019
    other_household.category = "dibao"
    other_household.save()
    client = api(users["county"])

    def ids(query):
        response = client.get(f"/api/households/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("status=exited") == {other_household.pk}
    assert ids("status=exited&status=not_exited") == {household.pk, other_household.pk}
    assert ids("category=dibao") == {other_household.pk}
    assert ids("region=451423100201") == {household.pk}
    assert ids("region=451423100000") == {household.pk, other_household.pk}  # 12-digit form
    member = household.members.first()
    assert ids(f"q={member.name}") == {household.pk}
    assert ids(f"q={member.id_number[-6:]}") == {household.pk}
    assert ids(f"q={other_household.household_no}") == {other_household.pk}
    assert client.get("/api/households/?status=nonsense").status_code == 400


def test_survey_and_status_change_filters(api, users, household, other_household):
    client = api(users["county"])
    body = client.get(f"/api/surveys/?household={household.household_no}").json()
    assert [row["household"] for row in body["results"]] == [household.pk]
    body = client.get("/api/surveys/?region=451423100202&year=2020").json()
    assert [row["household"] for row in body["results"]] == [other_household.pk]
    body = client.get(f"/api/status-changes/?household={other_household.household_no}").json()
    assert [row["household"] for row in body["results"]] == [other_household.pk]


# --- masking ----------------------------------------------------------------------------------


def test_masking_without_personal_data_permission(api, users, household):
    member = household.members.first()
    for user in (users["village"], users["township"], users["viewer"]):
        client = api(user)
        texts = [
            client.get("/api/households/").content.decode(),
            client.get(f"/api/households/{household.pk}/").content.decode(),
            client.get("/api/members/").content.decode(),
            client.get(f"/api/members/{member.pk}/").content.decode(),
        ]
        for text in texts:
            for m in household.members.all():
                assert m.id_number not in text
            assert household.phone not in text
        assert mask_id_number(member.id_number) in texts[3]
        assert mask_phone(household.phone) in texts[1]
    # Creating a member: the answer is masked too.
    born = datetime.date(1990, 5, 6)
    id_number = idnumber.make("451423", born, 123)
    response = api(users["village"]).post(
        "/api/members/",
        {"household": household.pk, "name": "新成员", "id_number": id_number, "relation": "son"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert id_number not in response.content.decode()


def test_full_values_with_personal_data_permission(api, users, household):
    member = household.members.first()
    text = api(users["county"]).get(f"/api/households/{household.pk}/").content.decode()
    assert member.id_number in text
    assert household.phone in text


# --- households: create and update ------------------------------------------------------------


def test_village_user_creates_household_in_own_village(api, users, regions):
    response = api(users["village"]).post(
        "/api/households/", new_household_payload(), format="json"
    )
    assert response.status_code == 201, response.content
    household = Household.objects.get(household_no="45142310020199999")
    assert household.region_id == "451423100201"
    assert household.other_causes == "lack_funds;lack_skills"
    assert household.status_changes.count() == 1
    entry = AuditEntry.objects.filter(object_type="registry.household", action="create").get()
    assert entry.source == "api" and entry.username == "village"


def test_village_user_cannot_create_household_in_another_village(api, users, regions):
    response = api(users["village"]).post(
        "/api/households/", new_household_payload(region="451423100202"), format="json"
    )
    assert response.status_code == 400
    assert "不在您的管辖范围内" in response.json()["region"][0]
    assert not Household.objects.exists()
    response = api(users["village"]).post(
        "/api/households/", new_household_payload(region="451122100201"), format="json"
    )
    assert response.status_code == 400
    assert not Household.objects.exists()


def test_household_must_be_in_a_village(api, users, regions):
    response = api(users["county"]).post(
        "/api/households/", new_household_payload(region="451423100"), format="json"
    )
    assert response.status_code == 400
    assert "村或村民小组" in response.json()["region"][0]


def test_village_user_cannot_move_household_out_of_scope(api, users, household):
    response = api(users["village"]).patch(
        f"/api/households/{household.pk}/",
        {"region": "451423100202", "version": household.version},
        format="json",
    )
    assert response.status_code == 400
    assert "region" in response.json()
    household.refresh_from_db()
    assert household.region_id == "451423100201"
    assert household.version == 1


def test_patch_with_current_version_bumps_it_and_is_audited(api, users, household):
    response = api(users["village"]).patch(
        f"/api/households/{household.pk}/",
        {"group_name": "一组", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    household.refresh_from_db()
    assert household.group_name == "一组" and household.version == 2
    entry = AuditEntry.objects.for_subject(household).filter(action="update").get()
    assert entry.source == "api"
    assert entry.username == "village"
    assert entry.user_id == users["village"].pk
    assert entry.after["group_name"] == "一组"


def test_stale_version_is_refused_with_409_and_nothing_written(api, users, household):
    before_entries = AuditEntry.objects.count()
    response = api(users["village"]).patch(
        f"/api/households/{household.pk}/",
        {"group_name": "二组", "version": 0},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "该户已被其他用户修改，请刷新后重试"
    assert response.json()["version"] == 1
    household.refresh_from_db()
    assert household.group_name == "" and household.version == 1
    assert AuditEntry.objects.count() == before_entries


def test_put_and_patch_require_version(api, users, household):
    client = api(users["village"])
    response = client.patch(f"/api/households/{household.pk}/", {"group_name": "x"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()
    data = client.get(f"/api/households/{household.pk}/").json()
    payload = {k: data[k] for k in new_household_payload()}
    payload["phone"] = "13800000000"
    payload["group_name"] = "三组"
    response = client.put(f"/api/households/{household.pk}/", payload, format="json")
    assert response.status_code == 400
    payload["version"] = data["version"]
    response = client.put(f"/api/households/{household.pk}/", payload, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2


def test_status_is_changed_only_through_status_changes(api, users, household):
    response = api(users["village"]).patch(
        f"/api/households/{household.pk}/", {"status": "exited", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "status" in response.json()


def test_years_are_checked_with_chinese_messages(api, users, regions):
    response = api(users["village"]).post(
        "/api/households/", new_household_payload(registered_year=2010), format="json"
    )
    assert response.status_code == 400
    assert "纳入年度" in response.json()["registered_year"][0]
    response = api(users["village"]).post(
        "/api/households/", new_household_payload(status="exited"), format="json"
    )
    assert response.status_code == 400
    assert "脱贫年度" in response.json()["exit_year"][0]


def test_duplicate_household_no_message_is_chinese(api, users, household):
    response = api(users["village"]).post(
        "/api/households/",
        new_household_payload(household_no=household.household_no),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["household_no"] == ["户编号已存在"]


def test_read_only_viewer_gets_403_on_writes(api, users, household):
    client = api(users["viewer"])
    assert client.get(f"/api/households/{household.pk}/").status_code == 200
    assert (
        client.post("/api/households/", new_household_payload(), format="json").status_code == 403
    )
    assert (
        client.patch(f"/api/households/{household.pk}/", {"version": 1}, format="json").status_code
        == 403
    )
    assert client.delete(f"/api/households/{household.pk}/").status_code == 403
    member = household.members.first()
    assert (
        client.patch(f"/api/members/{member.pk}/", {"name": "x"}, format="json").status_code == 403
    )
    assert (
        client.post(
            "/api/status-changes/",
            {"household": household.pk, "date": "2020-01-01", "status": "exited"},
            format="json",
        ).status_code
        == 403
    )
    household.refresh_from_db()
    assert household.version == 1


def test_village_user_may_not_delete(api, users, household):
    assert api(users["village"]).delete(f"/api/households/{household.pk}/").status_code == 403
    assert Household.objects.filter(pk=household.pk).exists()


def test_out_of_scope_writes_are_404(api, users, household, other_household):
    client = api(users["village"])
    assert (
        client.patch(
            f"/api/households/{other_household.pk}/",
            {"version": 1, "group_name": "x"},
            format="json",
        ).status_code
        == 404
    )
    member = other_household.members.first()
    assert (
        client.patch(f"/api/members/{member.pk}/", {"name": "x"}, format="json").status_code == 404
    )


# --- members ----------------------------------------------------------------------------------


def test_member_create_derives_sex_and_birth_date(api, users, household):
    id_number = idnumber.make("451423", datetime.date(2001, 2, 3), 124)  # even → female
    response = api(users["county"]).post(
        "/api/members/",
        {
            "household": household.pk,
            "name": "李四",
            "id_number": id_number.lower(),
            "relation": "daughter",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sex"] == "female"
    assert body["birth_date"] == "2001-02-03"
    assert body["id_number"] == id_number  # county users see personal data
    member = Member.objects.get(pk=body["id"])
    entry = AuditEntry.objects.filter(object_type="registry.member", object_id=str(member.pk)).get()
    assert entry.subject_id == str(household.pk) and entry.source == "api"


def test_invalid_id_number_is_400_naming_the_field_with_chinese_reason(api, users, household):
    good = idnumber.make("451423", datetime.date(1990, 1, 1), 11)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = api(users["village"]).post(
        "/api/members/",
        {"household": household.pk, "name": "张三", "id_number": bad, "relation": "son"},
        format="json",
    )
    assert response.status_code == 400
    assert "校验码错误" in response.json()["id_number"][0]
    response = api(users["village"]).post(
        "/api/members/",
        {"household": household.pk, "name": "张三", "id_number": "4.51423E+17", "relation": "son"},
        format="json",
    )
    assert response.status_code == 400
    assert "Excel" in response.json()["id_number"][0]


def test_duplicate_id_number_names_the_other_household(api, users, household, other_household):
    taken = other_household.members.first().id_number
    response = api(users["village"]).post(
        "/api/members/",
        {"household": household.pk, "name": "张三", "id_number": taken, "relation": "son"},
        format="json",
    )
    assert response.status_code == 400
    message = response.json()["id_number"][0]
    assert other_household.household_no in message
    assert "已登记在户" in message


def test_member_cannot_be_added_to_out_of_scope_household(api, users, other_household):
    id_number = idnumber.make("451423", datetime.date(1990, 1, 1), 55)
    response = api(users["village"]).post(
        "/api/members/",
        {
            "household": other_household.pk,
            "name": "张三",
            "id_number": id_number,
            "relation": "son",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "household" in response.json()
    assert not Member.objects.filter(id_number=id_number).exists()


def test_second_head_is_refused(api, users, household):
    id_number = idnumber.make("451423", datetime.date(1990, 1, 1), 57)
    response = api(users["village"]).post(
        "/api/members/",
        {"household": household.pk, "name": "张三", "id_number": id_number, "relation": "head"},
        format="json",
    )
    assert response.status_code == 400
    assert "户主" in response.json()["relation"][0]


def test_member_update_keeps_own_id_number(api, users, household):
    member = household.members.first()
    response = api(users["county"]).patch(
        f"/api/members/{member.pk}/", {"name": "改名", "id_number": member.id_number}, format="json"
    )
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert member.name == "改名"


# --- surveys ----------------------------------------------------------------------------------


def survey_payload(household, **overrides):
    data = {
        "household": household.pk,
        "year": 2021,
        "farmland_mu": "2.50",
        "housing_safety": "A",
        "relocated": False,
        "safe_water": True,
        "electricity": True,
        "tv_access": True,
        "road_hardened": True,
        "food_clothing_secure": True,
        "wage_income": "20000",
        "business_income": "5000",
        "property_income": "0",
        "transfer_income": "1000",
        "business_expense": "2000",
        "household_size": 3,
        "member_surveys": [
            {
                "member": m.pk,
                "schooling": "not_in_school",
                "labour_ability": "ordinary",
                "medical_insurance": True,
            }
            for m in household.members.all()
        ],
    }
    data.update(overrides)
    return data


def test_survey_create_computes_net_income_and_nests_member_facts(api, users, household):
    response = api(users["village"]).post("/api/surveys/", survey_payload(household), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["net_income_per_capita"] == "8000.00"
    assert len(body["member_surveys"]) == 3
    survey = Survey.objects.get(pk=body["id"])
    assert survey.member_surveys.count() == 3
    # Replace: only one member's facts given → the others are removed.
    one = [body["member_surveys"][0] | {"health": "chronic"}]
    response = api(users["village"]).patch(
        f"/api/surveys/{survey.pk}/", {"member_surveys": one, "household_size": 4}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["net_income_per_capita"] == "6000.00"
    assert survey.member_surveys.get().health == "chronic"


def test_survey_year_once_per_household(api, users, household):
    response = api(users["village"]).post(
        "/api/surveys/", survey_payload(household, year=2020), format="json"
    )
    assert response.status_code == 400
    assert "2020" in response.json()["year"][0]


def test_survey_member_facts_only_for_own_members(api, users, household, other_household):
    payload = survey_payload(household)
    payload["member_surveys"][0]["member"] = other_household.members.first().pk
    response = api(users["county"]).post("/api/surveys/", payload, format="json")
    assert response.status_code == 400
    assert "member_surveys" in response.json()


def test_survey_for_out_of_scope_household_is_refused(api, users, other_household):
    payload = survey_payload(other_household)
    payload["member_surveys"] = []
    response = api(users["village"]).post("/api/surveys/", payload, format="json")
    assert response.status_code == 400
    assert "household" in response.json()


# --- status changes ---------------------------------------------------------------------------


def test_status_change_updates_household_status_and_history(api, users, household):
    client = api(users["village"])
    response = client.post(
        "/api/status-changes/",
        {"household": household.pk, "date": "2020-12-01", "status": "exited", "reason": "达标"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["previous_status"] == "not_exited"
    household.refresh_from_db()
    assert household.status == "exited"
    assert household.exit_year == 2020
    assert household.version == 2
    history = list(
        StatusChange.objects.filter(household=household).values_list("status", flat=True)
    )
    assert history == ["not_exited", "exited"]
    body = client.get(f"/api/households/{household.pk}/").json()
    assert body["status"] == "exited"
    assert [c["status"] for c in body["status_changes"]] == ["not_exited", "exited"]
    entries = AuditEntry.objects.for_subject(household).filter(source="api", username="village")
    assert {e.object_type for e in entries} == {"registry.statuschange", "registry.household"}
    # Same status again → 400.
    response = client.post(
        "/api/status-changes/",
        {"household": household.pk, "date": "2021-01-01", "status": "exited"},
        format="json",
    )
    assert response.status_code == 400
    assert "status" in response.json()


def test_status_changes_are_not_editable(api, users, household):
    change = household.status_changes.first()
    client = api(users["county"])
    assert (
        client.patch(
            f"/api/status-changes/{change.pk}/", {"reason": "x"}, format="json"
        ).status_code
        == 405
    )
    assert client.delete(f"/api/status-changes/{change.pk}/").status_code == 405


def test_status_change_for_out_of_scope_household_is_refused(api, users, other_household):
    response = api(users["village"]).post(
        "/api/status-changes/",
        {"household": other_household.pk, "date": "2020-12-01", "status": "exited"},
        format="json",
    )
    assert response.status_code == 400
    other_household.refresh_from_db()
    assert other_household.status == "not_exited"


def test_error_bodies_are_json(api, users, household):
    response = api(users["village"]).post(
        "/api/households/", "not json", content_type="application/json"
    )
    assert response.status_code == 400
    json.loads(response.content)


def test_masked_values_sent_back_do_not_overwrite_the_real_ones(api, users, household):
    client = api(users["village"])
    data = client.get(f"/api/households/{household.pk}/").json()
    assert "*" in data["phone"]
    payload = {k: data[k] for k in new_household_payload()} | {"version": data["version"]}
    response = client.put(f"/api/households/{household.pk}/", payload, format="json")
    assert response.status_code == 200, response.content
    phone = household.phone
    household.refresh_from_db()
    assert household.phone == phone
    member = household.members.first()
    masked = client.get(f"/api/members/{member.pk}/").json()
    response = client.put(
        f"/api/members/{member.pk}/",
        {k: masked[k] for k in ("name", "id_number", "relation", "ethnicity")} | {"name": "改"},
        format="json",
    )
    assert response.status_code == 200, response.content
    full = member.id_number
    member.refresh_from_db()
    assert member.id_number == full and member.name == "改"
    response = client.patch(
        f"/api/households/{household.pk}/", {"phone": "138****0000", "version": 2}, format="json"
    )
    assert response.status_code == 400
    assert "联系电话" in response.json()["phone"][0]


def test_error_messages_mask_the_id_number_too(api, users, household, other_household):
    taken = other_household.members.first().id_number
    response = api(users["village"]).post(
        "/api/members/",
        {"household": household.pk, "name": "张三", "id_number": taken, "relation": "son"},
        format="json",
    )
    assert response.status_code == 400
    assert taken not in response.content.decode()
    assert mask_id_number(taken) in response.json()["id_number"][0]


def test_deletes_audit_every_dependent_record(api, users, household):
    members = list(household.members.values_list("pk", flat=True))
    client = api(users["county"])
    member_pk = members[-1]
    assert client.delete(f"/api/members/{member_pk}/").status_code == 204
    deleted = AuditEntry.objects.filter(action="delete", source="api", username="county")
    assert deleted.filter(object_type="registry.membersurvey").count() == 1
    assert client.delete(f"/api/households/{household.pk}/").status_code == 204
    assert not Household.objects.filter(pk=household.pk).exists()
    types = list(deleted.values_list("object_type", flat=True))
    assert types.count("registry.member") == len(members)
    assert types.count("registry.membersurvey") == len(members)
    assert types.count("registry.survey") == 1
    assert types.count("registry.statuschange") == 1
    assert types.count("registry.household") == 1
    assert deleted.filter(
        subject_type="registry.household", subject_id=str(household.pk)
    ).count() == len(types)


def test_not_found_and_required_messages_are_chinese(api, users, household, other_household):
    client = api(users["village"])
    missing = client.get("/api/households/999999/")
    hidden = client.get(f"/api/households/{other_household.pk}/")
    assert missing.status_code == hidden.status_code == 404
    assert missing.json() == hidden.json() == {"detail": "未找到。"}
    body = client.post("/api/households/", {}, format="json").json()
    assert body["household_no"] == ["该字段是必填项。"]


def test_no_api_get_response_carries_full_personal_data(
    regions, users, household, other_household, far_household
):
    """Every API GET endpoint (discovered, lists and in-scope details), as users without
    `accounts.view_personal_data`: no full ID number or phone in the raw response text."""
    from django.test import Client

    from bangfu.core import testing_access

    world = testing_access.World(regions, users, household, other_household, far_household)
    secrets = set(Member.objects.values_list("id_number", flat=True))
    secrets |= set(Household.objects.exclude(phone="").values_list("phone", flat=True))
    routes = [r for r in testing_access.collect_routes() if r.is_api and r.answers_get]
    assert routes
    for username in ("village", "township", "viewer"):
        client = Client()
        client.force_login(users[username])
        for route in routes:
            kwargs = {}
            if route.kwargs:
                objects = testing_access.objects_for(route.model, world)
                kwargs = {k: testing_access.KWARG_VALUES[k](objects[0]) for k in route.kwargs}
            response = client.get(route.url(**kwargs))
            text = response.content.decode()
            leaked = [s for s in secrets if s in text]
            assert not leaked, f"{route.display} as {username} shows {leaked}"
