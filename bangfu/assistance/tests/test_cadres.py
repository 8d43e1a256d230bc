"""Cadres and postings: ID numbers, overlapping postings, first secretaries, deletion."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bangfu.assistance import testing
from bangfu.assistance.choices import PostingRole
from bangfu.assistance.models import Cadre, CadreHasHistory, Posting
from bangfu.assistance.services import rules, units
from bangfu.core.models import AuditEntry
from bangfu.registry import idnumber

D = datetime.date
FS, LEADER, MEMBER = PostingRole.FIRST_SECRETARY, PostingRole.TEAM_LEADER, PostingRole.TEAM_MEMBER


def test_id_number_is_validated_when_given(world):
    with pytest.raises(ValidationError) as exc:
        testing.make_cadre(world.county, id_number="45142319800101001X")
    assert "id_number" in exc.value.message_dict
    good = idnumber.make("451423", D(1980, 1, 1), 3)
    cadre = testing.make_cadre(world.county, id_number=good.lower())
    assert cadre.id_number == good
    assert cadre.sex == idnumber.sex(good)
    assert testing.make_cadre(world.county).id_number == ""


def test_posting_end_before_start_refused_end_equal_start_allowed(world):
    with pytest.raises(ValidationError) as exc:
        testing.make_posting(world.officer, start=D(2016, 3, 2), end_date=D(2016, 3, 1))
    assert "end_date" in exc.value.message_dict
    assert testing.make_posting(world.officer, start=D(2016, 3, 2), end_date=D(2016, 3, 2)).pk


def test_overlapping_postings_same_cadre_same_role_refused_same_day_counts(world):
    p = testing.make_posting(world.officer, role=MEMBER, start=D(2016, 1, 1))
    units.end_posting(p, D(2017, 12, 31))
    with pytest.raises(ValidationError) as exc:
        testing.make_posting(world.officer, testing.LUOHUI, role=MEMBER, start=D(2017, 12, 31))
    assert "start_date" in exc.value.message_dict
    assert testing.make_posting(world.officer, testing.LUOHUI, role=MEMBER, start=D(2018, 1, 1))
    # a posting running into an open-ended one is an overlap too
    with pytest.raises(ValidationError):
        testing.make_posting(
            world.officer, role=MEMBER, start=D(2015, 6, 1), end_date=D(2018, 1, 1)
        )


def test_another_role_at_the_same_time_is_allowed(world):
    testing.make_posting(world.officer, role=LEADER)
    assert testing.make_posting(world.officer, role=MEMBER, full_time=False).pk


def test_two_first_secretaries_of_one_village_at_once_refused(world):
    first = testing.make_posting(world.secretary, start=D(2015, 1, 1))
    with pytest.raises(ValidationError) as exc:
        testing.make_posting(world.officer, start=D(2017, 1, 1))
    assert "黄书记" in exc.value.message_dict["role"][0]
    units.end_posting(first, D(2016, 12, 31))
    assert testing.make_posting(world.officer, start=D(2017, 1, 1)).pk
    # another village may have its own first secretary at the same time
    assert testing.make_posting(world.city_officer, testing.LUOHUI, start=D(2017, 1, 1)).pk


def test_postings_are_audited(world):
    p = testing.make_posting(world.secretary)
    units.end_posting(p, D(2020, 12, 31))
    entries = AuditEntry.objects.filter(object_type="assistance.posting", object_id=str(p.pk))
    assert sorted(e.action for e in entries) == ["create", "update"]
    assert entries.get(action="update").after["end_date"] == "2020-12-31"


def test_deleting_a_cadre_with_history_is_refused(world, household):
    testing.make_posting(world.secretary)
    with pytest.raises(CadreHasHistory) as exc:
        world.secretary.delete()
    assert "请结束其驻村任职" in str(exc.value.args[0])
    with pytest.raises(ValidationError) as exc:
        units.delete_cadre(world.secretary)
    assert "不能删除" in exc.value.messages[0]
    assert Cadre.objects.filter(pk=world.secretary.pk).exists()
    assert Posting.objects.count() == 1
    testing.make_pairing(world.officer, household)
    with pytest.raises(ValidationError):
        units.delete_cadre(world.officer)


def test_deleting_a_cadre_without_history_works_and_is_audited(world):
    pk = world.city_officer.pk
    units.delete_cadre(world.city_officer)
    assert not Cadre.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(
        object_type="assistance.cadre", object_id=str(pk), action="delete"
    ).exists()


def test_future_posting_allowed_future_visit_date_refused(world):
    assert testing.make_posting(world.secretary, start=D(2099, 1, 1)).pk
    today = D(2020, 6, 1)
    assert rules.ensure_not_future(today, "date", today=today) == today
    with pytest.raises(ValidationError) as exc:
        rules.ensure_not_future(D(2020, 6, 2), "date", today=today)
    assert list(exc.value.message_dict) == ["date"]
