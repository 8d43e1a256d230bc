"""Household pages: scope, masking, query counts, permissions by role, history."""

import re

import pytest
from django.urls import reverse

from bangfu.core import testing
from bangfu.core.models import AuditEntry
from bangfu.registry.models import Household, StatusChange

LIST = "/registry/households/"


def detail(h):
    return reverse("registry:household", kwargs={"pk": h.pk})


@pytest.mark.django_db
def test_login_required(client, household):
    for url in (LIST, detail(household), "/", "/regions/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/"), url


@pytest.mark.django_db
def test_village_user_sees_only_own_village(
    users, household, other_household, far_household, login
):
    c = login(users["village"])
    html = c.get(LIST).content.decode()
    assert household.household_no in html
    assert other_household.household_no not in html
    assert far_household.household_no not in html
    assert c.get(detail(household)).status_code == 200
    assert c.get(detail(other_household)).status_code == 404
    assert c.get(detail(far_household)).status_code == 404


@pytest.mark.django_db
def test_list_columns_and_search(users, household, other_household, login):
    c = login(users["county"])
    head = household.head()
    r = c.get(LIST, {"q": head.name})
    html = r.content.decode()
    assert household.household_no in html and other_household.household_no not in html
    row = r.context["page_obj"].object_list[0]
    assert row.head_name == head.name
    assert row.member_count == 3
    assert row.latest_income == household.surveys.get().net_income_per_capita
    # the last digits of an ID number find the household
    r = c.get(LIST, {"q": head.id_number[-6:]})
    assert [h.pk for h in r.context["page_obj"].object_list] == [household.pk]
    # filters
    r = c.get(LIST, {"status": "exited"})
    assert list(r.context["page_obj"].object_list) == []
    r = c.get(LIST, {"region": "451423100202"})
    assert [h.pk for h in r.context["page_obj"].object_list] == [other_household.pk]


@pytest.mark.django_db
def test_region_filter_offers_only_regions_in_scope(users, household, login):
    c = login(users["township"])
    r = c.get(LIST)
    codes = [code for code, _label in r.context["filter_form"].fields["region"].choices]
    assert "451423100201" in codes and "451423100" in codes
    assert "451423101201" not in codes and "451122100201" not in codes


@pytest.mark.django_db
def test_htmx_request_gets_only_the_results(users, household, login):
    c = login(users["county"])
    r = c.get(LIST, {"q": household.household_no}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "<html" not in html and household.household_no in html


@pytest.mark.django_db
def test_list_query_count_is_bounded(users, regions, login, django_assert_max_num_queries):
    for i in range(40):
        testing.make_household("451423100201" if i % 2 else "451423100202", members=4)
    c = login(users["county"])
    with django_assert_max_num_queries(10):
        r = c.get(LIST, {"per_page": 100})
    assert len(r.context["page_obj"].object_list) == 40


@pytest.mark.django_db
def test_detail_query_count_is_bounded(users, regions, login):
    """The household page (members, surveys, history, and the sections other apps add:
    responsibles, visits, plans …) costs the same number of queries for 1 member or 7."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login(users["county"])
    counts = []
    for size in (1, 7):
        household = testing.make_household("451423100201", members=size)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(detail(household)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 30


@pytest.mark.django_db
def test_id_numbers_and_phones_masked_without_permission(users, household, login):
    members = list(household.members.all())
    # a change to a member puts ID numbers into the audit log shown on the page
    m = members[1]
    m.name = "改名"
    m.save()
    household.phone = "13912345678"
    household.save()
    c = login(users["township"])  # no accounts.view_personal_data
    html = c.get(detail(household)).content.decode()
    for member in members:
        assert member.id_number not in html
        assert member.id_number[:4] + "**********" + member.id_number[-4:] in html
    assert "13912345678" not in html and "139****5678" in html
    # nor anywhere on the list page
    html = c.get(LIST).content.decode()
    assert not any(member.id_number in html for member in members)
    # a user with the permission sees them
    html = login(users["county"]).get(detail(household)).content.decode()
    assert members[0].id_number in html and "13912345678" in html


@pytest.mark.django_db
def test_detail_shows_members_with_age_surveys_and_history(users, household, login):
    c = login(users["county"])
    r = c.get(detail(household))
    html = r.content.decode()
    head = household.head()
    assert head.name in html
    assert r.context["members"][0]["age"] is not None
    assert r.context["members"][0]["facts"] is not None  # facts of the latest survey year
    assert "2020" in html
    assert "建档立卡" in html  # the first status change
    household.category = "dibao"
    household.save()
    html = c.get(detail(household)).content.decode()
    assert re.search(
        r"贫困户属性：<span class=\"before\">一般贫困户</span> → <span class=\"after\">低保贫困户</span>",
        html,
    )


@pytest.mark.django_db
def test_viewer_is_read_only(users, household, login):
    c = login(users["viewer"])
    html = c.get(detail(household)).content.decode()
    assert reverse("registry:household_edit", kwargs={"pk": household.pk}) not in html
    assert reverse("registry:member_add", kwargs={"pk": household.pk}) not in html
    assert "新增贫困户" not in c.get(LIST).content.decode()
    for name in ("household_edit", "status_change", "member_add", "survey_add"):
        url = reverse(f"registry:{name}", kwargs={"pk": household.pk})
        assert c.post(url, {"status": "exited"}).status_code == 403, name
    assert c.post(reverse("registry:household_add"), {}).status_code == 403
    assert Household.objects.get(pk=household.pk).version == household.version


@pytest.mark.django_db
def test_status_change_is_recorded_in_history_and_audit(users, household, login):
    c = login(users["village"])
    url = reverse("registry:status_change", kwargs={"pk": household.pk})
    assert c.get(url).status_code == 200
    r = c.post(
        url,
        {
            "status": "natural_decrease",
            "date": "2026-03-01",
            "reason": "户主死亡，无其他成员",
            "version": household.version,
        },
    )
    assert r.status_code == 302
    household.refresh_from_db()
    assert household.status == "natural_decrease"
    assert household.version == 2
    change = StatusChange.objects.filter(household=household).latest("id")
    assert (change.previous_status, change.status, change.reason) == (
        "not_exited",
        "natural_decrease",
        "户主死亡，无其他成员",
    )
    assert str(change.date) == "2026-03-01"
    entries = AuditEntry.objects.for_subject(household)
    update = entries.get(object_type="registry.household", action="update")
    assert update.before["status"] == "not_exited" and update.after["status"] == "natural_decrease"
    assert update.username == "village" and update.source == "ui"
    assert entries.filter(object_type="registry.statuschange", action="create").count() == 2
    html = c.get(detail(household)).content.decode()
    assert "户主死亡，无其他成员" in html and "自然减少" in html


@pytest.mark.django_db
def test_status_change_to_exited_needs_exit_year(users, household, login):
    c = login(users["village"])
    url = reverse("registry:status_change", kwargs={"pk": household.pk})
    r = c.post(url, {"status": "exited", "date": "2026-03-01", "reason": "稳定脱贫", "version": 1})
    assert r.status_code == 200
    assert "户类型为已脱贫时必须填写脱贫年度" in r.content.decode()
    household.refresh_from_db()
    assert household.status == "not_exited"


@pytest.mark.django_db
def test_bad_filter_values_do_not_break_the_list(users, household, login):
    c = login(users["village"])
    r = c.get(LIST, {"survey_year": "abc", "region": "451122100201", "page": "x"})
    assert r.status_code == 200
    assert "region" in r.context["filter_form"].errors  # out of scope: not a choice
