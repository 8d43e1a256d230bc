"""Activities: the rules, the pages, the API, scope, the unit figures and the generator."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bangfu.activities import testing
from bangfu.activities.choices import ActivityKind
from bangfu.activities.figures import unit_activity_figures
from bangfu.activities.models import Activity
from bangfu.activities.services.generate import generate_activities
from bangfu.assistance import testing as at
from bangfu.assistance.models import Unit
from bangfu.core.figures import Period
from bangfu.core.models import AuditEntry

D = datetime.date


# --- rules -----------------------------------------------------------------------------------


def test_village_activity_sets_region_and_is_audited(world):
    a = testing.make_activity(world.county, at.XINLIAN, participants=45)
    assert a.region_id == at.XINLIAN
    assert AuditEntry.objects.filter(
        object_type="activities.activity", object_id=str(a.pk)
    ).exists()


def test_county_wide_activity_takes_a_county_region(world):
    a = testing.make_activity(world.hall, None, ActivityKind.DRILL, region="451423")
    assert a.village_id is None and a.region_id == "451423"


@pytest.mark.parametrize(
    "kwargs, field, text",
    [
        ({"date": D(2999, 1, 1)}, "date", "不能填写将来的日期"),
        ({"village": None}, "village", "请选择村"),
        ({"village": None, "region": "451423100201001"}, "region", "县或乡镇"),
        ({"village": at.DAQIAO}, "village", "不是"),
        ({"kind": ActivityKind.DISPUTE, "participants": 3}, "participants", "不记录参加人次"),
        ({"kind": ActivityKind.MEETING, "count": 2}, "count", "不记录数量"),
    ],
)
def test_bad_activities_are_refused_naming_the_field(world, kwargs, field, text):
    from bangfu.regions.models import Region

    if kwargs.get("region") and not Region.objects.filter(pk=kwargs["region"]).exists():
        Region.objects.create(code=kwargs["region"], name="一组", level=6, parent_id=at.XINLIAN)
    args = {"village": at.XINLIAN, **kwargs}
    with pytest.raises(ValidationError) as exc:
        testing.make_activity(world.county, **args)
    assert field in exc.value.message_dict
    assert text in " ".join(exc.value.message_dict[field])
    assert not Activity.objects.exists()


def test_cadre_must_belong_to_the_unit_tree(world):
    with pytest.raises(ValidationError) as exc:
        testing.make_activity(world.county, at.XINLIAN, cadre=world.city_officer)
    assert "不属于" in exc.value.message_dict["cadre"][0]
    assert testing.make_activity(world.city, at.XINLIAN, cadre=world.secretary).cadre_id


def test_village_not_assigned_on_the_date(world):
    with pytest.raises(ValidationError) as exc:
        testing.make_activity(world.county, at.XINLIAN, date=D(2014, 12, 31))
    assert "2014-12-31" in exc.value.message_dict["village"][0]


# --- pages -----------------------------------------------------------------------------------


def _rows(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return body.count("<tr")


def test_list_filters_by_kind_unit_tree_region_and_period(world, users, login):
    testing.make_activity(world.county, at.XINLIAN, ActivityKind.TRAINING, D(2019, 3, 1))
    testing.make_activity(world.city, at.LUOHUI, ActivityKind.MEETING, D(2019, 6, 1))
    testing.make_activity(world.hall, at.XINLIAN, ActivityKind.TRAINING, D(2020, 1, 1))
    testing.make_activity(world.other, at.DAQIAO, ActivityKind.TRAINING, D(2019, 3, 1))
    c = login(users["admin"])
    for query, n in [
        ("", 4),
        ("kind=training", 3),
        (f"unit={world.city.pk}", 2),  # the city bureau and its backing unit (county)
        (f"unit={world.hall.pk}", 3),
        ("region=451423100", 3),
        ("start=2019-01-01&end=2019-12-31", 3),
        (f"unit={world.hall.pk}&start=2019-06-01&end=2019-12-31&kind=meeting", 1),
    ]:
        html = c.get(f"/activities/?{query}").content.decode()
        assert _rows(html) == n, query


def test_add_through_the_form_and_see_errors(world, users, login):
    c = login(users["county"])
    data = {
        "kind": "dispute",
        "date": "2019-05-05",
        "title": "排查化解纠纷",
        "unit": world.county.pk,
        "village": at.XINLIAN,
        "participants": "0",
        "count": "4",
    }
    bad = c.post("/activities/add/", {**data, "date": "2999-01-01"})
    assert bad.status_code == 200 and "不能填写将来的日期" in bad.content.decode()
    assert not Activity.objects.exists()
    r = c.post("/activities/add/", data)
    a = Activity.objects.get()
    assert r["Location"] == f"/activities/{a.pk}/"
    page = c.get(r["Location"]).content.decode()
    assert "排查化解纠纷" in page and "化解纠纷" in page


def test_unit_user_sees_only_their_tree(world, login):
    mine = testing.make_activity(world.county, at.XINLIAN)
    other = testing.make_activity(world.other, at.DAQIAO)
    user = at.make_unit_user("city-staff", world.city)
    c = login(user)
    assert c.get(f"/activities/{mine.pk}/").status_code == 200
    assert c.get(f"/activities/{other.pk}/").status_code == 404
    ids = {row["id"] for row in c.get("/api/activities/activities/").json()["results"]}
    assert ids == {mine.pk}


# --- API -------------------------------------------------------------------------------------


def test_api_create_filter_and_refuse(world, users, login):
    c = login(users["county"])
    url = "/api/activities/activities/"
    body = {
        "kind": "training",
        "date": "2019-04-01",
        "title": "养牛技术培训",
        "unit": world.county.pk,
        "village": at.XINLIAN,
        "participants": 60,
    }
    r = c.post(url, body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["region"] == at.XINLIAN and r.json()["kind_label"] == "培训"
    r = c.post(url, {**body, "participants": -1}, content_type="application/json")
    assert r.status_code == 400 and "participants" in r.json()
    r = c.post(url, {**body, "village": at.DAQIAO}, content_type="application/json")
    assert r.status_code == 400  # 钟山 is outside the county user's scope
    listing = c.get(url, {"unit": world.hall.pk, "start": "2019-04-01", "kind": "training"})
    assert listing.json()["count"] == 1
    assert c.get(url, {"end": "2019-03-31"}).json()["count"] == 0


# --- figures ---------------------------------------------------------------------------------


def test_unit_figures_by_kind_in_the_period(world, users):
    testing.make_activity(
        world.county, at.XINLIAN, ActivityKind.TRAINING, D(2019, 3, 1), participants=30
    )
    testing.make_activity(
        world.city, at.LUOHUI, ActivityKind.TRAINING, D(2019, 4, 1), participants=20
    )
    testing.make_activity(world.county, at.XINLIAN, ActivityKind.DISPUTE, D(2019, 5, 1), count=3)
    testing.make_activity(world.county, at.XINLIAN, ActivityKind.DISPUTE, D(2021, 5, 1), count=9)
    ids = Unit.objects.subtree(world.hall).values("pk")
    section = unit_activity_figures(ids, users["admin"], Period(D(2019, 1, 1), D(2019, 12, 31)))
    figures = {f.label: f for f in section.figures}
    assert figures["活动合计"].value == 3
    assert figures["培训"].value == 2
    assert figures["培训参加人次"].value == 50
    assert figures["化解纠纷"].value == 3
    url = figures["培训"].url
    assert f"unit={world.hall.pk}" in url and "kind=training" in url and "start=2019-01-01" in url
    # the village user sees only 新联村's activities in the same figures
    section = unit_activity_figures(ids, users["village"], Period(D(2019, 1, 1), None))
    assert {f.label: f.value for f in section.figures}["培训参加人次"] == 30


# --- generator -------------------------------------------------------------------------------


def test_generate_is_deterministic_valid_and_audited(world):
    n = generate_activities(D(2016, 1, 1), D(2016, 12, 31), seed=7)
    first = list(
        Activity.objects.order_by("pk").values_list("kind", "date", "unit_id", "region_id")
    )
    assert n == len(first) > 10
    assert AuditEntry.objects.filter(object_type="activities.activity").count() == n
    for activity in Activity.objects.all()[:50]:
        activity.full_clean()
    assert all(D(2016, 1, 1) <= d <= D(2016, 12, 31) for _, d, _, _ in first)
    Activity.objects.all().delete()
    assert generate_activities(D(2016, 1, 1), D(2016, 12, 31), seed=7) == n
    again = list(
        Activity.objects.order_by("pk").values_list("kind", "date", "unit_id", "region_id")
    )
    assert again == first
    assert generate_activities(D(2016, 1, 1), D(2016, 12, 31), units=[world.other], seed=7) < n


def test_generate_never_writes_future_dates(world):
    today = timezone.localdate()
    generate_activities(today - datetime.timedelta(days=60), today + datetime.timedelta(days=400))
    assert not Activity.objects.filter(date__gt=today).exists()
