"""Pages of visits as a user meets them: the list and its filters, the visit page, the forms,
the phone quick entry, follow-ups, the household page section."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bangfu.core.attachments.testing import pdf_bytes, png_bytes, upload
from bangfu.core.models import Attachment
from bangfu.visits.choices import Purpose
from bangfu.visits.models import FollowUp, Visit
from bangfu.visits.testing import make_follow_up, make_visit


def test_list_filters(world, users, household, other_household, login):
    a = make_visit(world.secretary, household, date=datetime.date(2019, 3, 1))
    b = make_visit(world.city_officer, other_household, date=datetime.date(2020, 3, 1))
    c = make_visit(world.officer, village="451423100202", purpose=Purpose.POLICY)
    client = login(users["county"])
    url = reverse("visits:visit_list")

    def listed(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {v.pk for v in response.context["object_list"]}

    assert listed() == {a.pk, b.pk, c.pk}
    assert listed(unit=world.county.pk) == {a.pk, c.pk}
    assert listed(unit=world.city.pk) == {a.pk, b.pk, c.pk}  # with its backing unit's cadres
    assert listed(cadre=world.secretary.pk) == {a.pk}
    assert listed(household=other_household.pk) == {b.pk}
    assert listed(region="451423100202") == {b.pk, c.pk}
    assert listed(purpose=Purpose.POLICY) == {c.pk}
    assert listed(start="2019-06-01", end="2020-03-01") == {b.pk}
    assert listed(start="2020-01-01") == {b.pk, c.pk}


def test_list_is_scoped_and_bounded(
    world, users, household, other_household, login, django_assert_max_num_queries
):
    for i in range(30):
        make_visit(
            world.secretary, household, date=datetime.date(2020, 1, 1) + datetime.timedelta(i)
        )
    make_visit(world.city_officer, other_household)
    client = login(users["village"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("visits:visit_list"), {"per_page": 50})
    assert response.context["paginator"].count == 30


def test_visit_page_shows_follow_ups_and_attachments(world, users, household, login):
    visit = make_visit(world.secretary, household, findings="屋顶漏水")
    make_follow_up(visit, action="联系危改办")
    client = login(users["village"])
    response = client.get(reverse("visits:visit", kwargs={"pk": visit.pk}))
    text = response.content.decode()
    assert "屋顶漏水" in text and "联系危改办" in text and "已逾期" in text
    # upload a photo from the visit page
    upload_url = reverse("attachment_upload")
    page = reverse("visits:visit", kwargs={"pk": visit.pk})
    response = client.post(
        upload_url,
        {
            "owner": "visits.visit",
            "object_id": visit.pk,
            "next": page,
            "files": [upload("门前.png", png_bytes(), "image/png")],
        },
        follow=True,
    )
    assert "门前.png" in response.content.decode()
    assert Attachment.objects.of(visit).count() == 1


def test_add_and_edit(world, users, household, login):
    client = login(users["village"])
    data = {
        "cadre": world.secretary.pk,
        "household": household.household_no,
        "region": "",
        "date": "2020-05-04",
        "purpose": Purpose.INCOME,
        "people_met": "户主",
        "findings": "年收入约 8000 元",
        "note": "",
    }
    response = client.post(reverse("visits:visit_add"), data)
    visit = Visit.objects.get()
    assert response["Location"] == reverse("visits:visit", kwargs={"pk": visit.pk})
    assert visit.region_id == household.region_id
    response = client.post(
        reverse("visits:visit_edit", kwargs={"pk": visit.pk}),
        {**data, "region": "451423100201", "findings": "年收入约 9000 元"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.findings == "年收入约 9000 元"


def test_future_date_in_the_form_is_shown_next_to_the_field(world, users, household, login):
    client = login(users["village"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("visits:visit_add"),
        {
            "cadre": world.secretary.pk,
            "household": household.household_no,
            "date": tomorrow.isoformat(),
            "purpose": Purpose.CARE,
        },
    )
    assert response.status_code == 200
    assert "不能登记未来的走访" in " ".join(response.context["form"].errors["date"])
    assert not Visit.objects.exists()


def test_viewer_may_read_but_not_add(world, users, household, login):
    visit = make_visit(world.secretary, household)
    client = login(users["viewer"])
    assert client.get(reverse("visits:visit", kwargs={"pk": visit.pk})).status_code == 200
    assert client.get(reverse("visits:visit_add")).status_code == 403
    assert client.get(reverse("visits:quick")).status_code == 403


def test_quick_entry_for_a_cadre(world, cadre_user, household, other_household, login):
    client = login(cadre_user)
    response = client.get(reverse("visits:quick"))
    form = response.context["form"]
    assert list(form.fields["household"].queryset) == [household]
    assert form.initial["date"] == timezone.localdate()
    text = response.content.decode()
    assert 'capture="environment"' in text and 'accept="image/*"' in text
    today = timezone.localdate()
    response = client.post(
        reverse("visits:quick"),
        {
            "cadre": world.secretary.pk,
            "household": household.household_no,
            "date": today.isoformat(),
            "purpose": Purpose.CARE,
            "findings": "身体好转",
            "follow_up_action": "送药",
            "follow_up_due_date": (today + datetime.timedelta(days=3)).isoformat(),
            "photo": upload("p.png", png_bytes(), "image/png"),
        },
    )
    visit = Visit.objects.get()
    assert response["Location"] == reverse("visits:visit", kwargs={"pk": visit.pk})
    assert visit.cadre == world.secretary and visit.follow_ups.get().action == "送药"
    assert Attachment.objects.of(visit).count() == 1
    # a household not paired with them is not offered, and a posted one is refused
    response = client.post(
        reverse("visits:quick"),
        {
            "cadre": world.secretary.pk,
            "household": other_household.household_no,
            "date": today.isoformat(),
            "purpose": Purpose.CARE,
        },
    )
    assert "不在您的管理范围内" in " ".join(response.context["form"].errors["household"])
    assert Visit.objects.count() == 1


def test_quick_entry_refusals_write_nothing(world, cadre_user, household, login):
    client = login(cadre_user)
    today = timezone.localdate()
    base = {
        "cadre": world.secretary.pk,
        "household": household.household_no,
        "purpose": Purpose.CARE,
    }
    response = client.post(
        reverse("visits:quick"),
        {
            **base,
            "date": (today + datetime.timedelta(days=1)).isoformat(),
            "follow_up_action": "x",
            "follow_up_due_date": today.isoformat(),
        },
    )
    assert "不能登记未来的走访" in " ".join(response.context["form"].errors["date"])
    response = client.post(
        reverse("visits:quick"),
        {**base, "date": today.isoformat(), "photo": upload("a.png", pdf_bytes(), "image/png")},
    )
    assert "a.png" in " ".join(response.context["form"].errors["photo"])
    response = client.post(
        reverse("visits:quick"), {**base, "date": today.isoformat(), "follow_up_action": "x"}
    )
    assert "完成期限" in " ".join(response.context["form"].errors["follow_up_due_date"])
    assert not Visit.objects.exists() and not FollowUp.objects.exists()
    assert not Attachment.objects.exists()


def test_follow_up_add_and_done(world, users, household, login):
    visit = make_visit(world.secretary, household)
    client = login(users["village"])
    response = client.post(
        reverse("visits:follow_up_add", kwargs={"pk": visit.pk}),
        {"action": "协调小额信贷", "due_date": "2020-07-01", "owner": ""},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.owner == world.secretary
    response = client.post(
        reverse("visits:follow_up_done", kwargs={"pk": follow_up.pk}),
        {"done_date": "2020-05-01", "result": ""},
    )
    assert "早于走访日期" in " ".join(response.context["form"].errors["done_date"])
    response = client.post(
        reverse("visits:follow_up_done", kwargs={"pk": follow_up.pk}),
        {"done_date": "2020-06-20", "result": "已放贷"},
    )
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.result == "已放贷"


def test_follow_up_list_filters(world, users, household, login):
    visit = make_visit(world.secretary, household)
    overdue = make_follow_up(visit)
    later = make_follow_up(visit, due_date=timezone.localdate() + datetime.timedelta(days=5))
    client = login(users["county"])
    url = reverse("visits:follow_up_list")
    got = {f.pk for f in client.get(url, {"overdue": "true"}).context["object_list"]}
    assert got == {overdue.pk}
    got = {f.pk for f in client.get(url, {"status": "open"}).context["object_list"]}
    assert got == {overdue.pk, later.pk}


def test_household_page_shows_recent_visits(world, users, household, login):
    make_visit(world.secretary, household, findings="孩子已返校")
    response = login(users["village"]).get(
        reverse("registry:household", kwargs={"pk": household.pk})
    )
    text = response.content.decode()
    assert "走访记录" in text and "孩子已返校" in text
