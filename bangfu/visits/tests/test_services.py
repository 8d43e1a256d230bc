"""The rules of recording a visit and its follow-ups (services.visits), as the user meets them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bangfu.core.attachments.testing import pdf_bytes, png_upload, upload
from bangfu.core.models import Attachment, AuditEntry
from bangfu.regions.models import Region
from bangfu.visits.choices import FollowUpStatus, Purpose
from bangfu.visits.models import FollowUp, Visit
from bangfu.visits.services import visits
from bangfu.visits.testing import make_follow_up, make_visit


def files(directory):
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []


def test_a_household_visit_takes_the_households_region_and_is_audited(world, household):
    visit = make_visit(world.secretary, household, findings="房屋已加固")
    assert visit.region_id == household.region_id
    entry = AuditEntry.objects.for_subject(household).get(object_type="visits.visit")
    assert entry.after["findings"] == "房屋已加固"


def test_a_village_visit(world, regions):
    visit = make_visit(world.secretary, village="451423100201", purpose=Purpose.POLICY)
    assert visit.region_id == "451423100201" and visit.household_id is None


def test_a_visit_dated_in_the_future_is_refused_with_the_date(world, household):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        make_visit(world.secretary, household, date=tomorrow)
    assert "date" in info.value.message_dict
    assert tomorrow.isoformat() in info.value.message_dict["date"][0]
    assert "未来" in info.value.message_dict["date"][0]
    assert not Visit.objects.exists()


def test_today_is_accepted(world, household):
    assert make_visit(world.secretary, household, date=timezone.localdate()).pk


def test_neither_household_nor_village(world, regions):
    with pytest.raises(ValidationError, match="请选择走访的贫困户或村"):
        make_visit(world.secretary)


def test_the_place_must_be_a_village(world, regions):
    with pytest.raises(ValidationError) as info:
        make_visit(world.secretary, village="451423100")
    assert "不是村" in info.value.message_dict["region"][0]


def test_household_outside_the_chosen_village(world, household):
    with pytest.raises(ValidationError) as info:
        make_visit(world.secretary, household, village="451423100202")
    assert household.household_no in info.value.message_dict["household"][0]


def test_a_cadre_user_may_visit_only_their_paired_households(
    world, cadre_user, household, other_household
):
    ok = make_visit(world.secretary, household, user=cadre_user)
    assert ok.pk
    with pytest.raises(ValidationError) as info:
        make_visit(world.secretary, other_household, user=cadre_user)
    assert "不是您的结对帮扶户" in info.value.message_dict["household"][0]
    # and only as themselves
    with pytest.raises(ValidationError) as info:
        make_visit(world.officer, household, user=cadre_user)
    assert "cadre" in info.value.message_dict


def test_a_region_user_within_their_scope(world, users, household, other_household):
    assert make_visit(world.secretary, household, user=users["village"]).pk
    with pytest.raises(ValidationError) as info:
        make_visit(world.secretary, other_household, user=users["village"])
    assert "不在您的管理范围内" in info.value.message_dict["household"][0]
    with pytest.raises(ValidationError) as info:
        make_visit(world.secretary, village="451423100202", user=users["village"])
    assert "region" in info.value.message_dict


def test_follow_up_rules(world, household):
    visit = make_visit(world.secretary, household)
    with pytest.raises(ValidationError) as info:
        visits.add_follow_up(visit, "补办低保", visit.date - datetime.timedelta(days=1))
    assert "早于走访日期" in info.value.message_dict["due_date"][0]
    follow_up = make_follow_up(visit)
    assert follow_up.status == FollowUpStatus.OPEN and follow_up.owner == world.secretary
    assert follow_up.is_overdue  # due in 2020
    with pytest.raises(ValidationError) as info:
        visits.complete_follow_up(follow_up, timezone.localdate() + datetime.timedelta(days=2))
    assert "晚于今天" in info.value.message_dict["done_date"][0]
    follow_up = FollowUp.objects.get(pk=follow_up.pk)
    visits.complete_follow_up(follow_up, visit.date + datetime.timedelta(days=3), "已办")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE and not follow_up.is_overdue


def test_quick_entry_is_all_or_nothing(world, cadre_user, household, attachment_dir):
    today = timezone.localdate()
    visit = visits.quick_entry(
        cadre_user,
        cadre=world.secretary,
        date=today,
        purpose=Purpose.CARE,
        household=household,
        findings="缺少劳动力",
        follow_up_action="申请公益性岗位",
        follow_up_due_date=today + datetime.timedelta(days=7),
        photos=[png_upload()],
    )
    assert visit.follow_ups.count() == 1
    assert Attachment.objects.of(visit).count() == 1
    assert len(files(attachment_dir)) == 1
    # a bad photo: the visit and the follow-up are not written either, no file stays
    with pytest.raises(ValidationError) as info:
        visits.quick_entry(
            cadre_user,
            cadre=world.secretary,
            date=today,
            purpose=Purpose.CARE,
            household=household,
            follow_up_action="再次核实",
            follow_up_due_date=today,
            photos=[upload("照片.jpg", pdf_bytes(), "image/jpeg")],
        )
    assert "照片.jpg" in info.value.message_dict["photo"][0]
    assert Visit.objects.count() == 1 and FollowUp.objects.count() == 1
    assert len(files(attachment_dir)) == 1


def test_quick_entry_follow_up_errors_name_the_follow_up_field(world, cadre_user, household):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as info:
        visits.quick_entry(
            cadre_user,
            cadre=world.secretary,
            date=today,
            purpose=Purpose.CARE,
            household=household,
            follow_up_action="x",
            follow_up_due_date=today - datetime.timedelta(days=1),
        )
    assert "follow_up_due_date" in info.value.message_dict
    assert not Visit.objects.exists()


def test_scope_of_visits(world, users, cadre_user, unit_user, household, other_household):
    mine = make_visit(world.secretary, household)
    other = make_visit(world.city_officer, other_household)
    far = make_visit(world.other_cadre, village=Region.objects.get(pk="451122100201"))
    assert set(Visit.objects.for_user(users["village"])) == {mine}
    assert set(Visit.objects.for_user(users["county"])) == {mine, other}
    assert set(Visit.objects.for_user(cadre_user)) == {mine}
    assert set(Visit.objects.for_user(unit_user)) == {mine, other}
    assert set(Visit.objects.for_user(users["admin"])) == {mine, other, far}
    assert set(FollowUp.objects.for_user(cadre_user)) == set()
    make_follow_up(mine)
    assert FollowUp.objects.for_user(cadre_user).count() == 1
