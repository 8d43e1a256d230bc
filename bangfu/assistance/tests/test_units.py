"""Units as a tree with a materialised path; assignments of units to villages."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bangfu.assistance import testing
from bangfu.assistance.models import Assignment, Unit
from bangfu.assistance.services import units
from bangfu.core.models import AuditEntry
from bangfu.regions.models import Region

D = datetime.date


def test_path_is_the_chain_of_ids(world):
    assert world.hall.path == f"/{world.hall.pk}/"
    assert world.county.path == f"/{world.hall.pk}/{world.city.pk}/{world.county.pk}/"
    assert world.county.depth == 3
    assert world.county.ancestor_ids() == [world.hall.pk, world.city.pk]
    # the path is what is stored, not only what the instance says
    assert Unit.objects.get(pk=world.county.pk).path == world.county.path


def test_subtree_is_one_prefix_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = set(Unit.objects.subtree(world.city).values_list("name", flat=True))
    assert names == {"崇左市公安局", "龙州县公安局"}
    assert Unit.objects.subtree(world.hall).count() == 3


def test_prefix_does_not_confuse_ids_sharing_digits(regions):
    units_ = [testing.make_unit() for _ in range(12)]  # ids 1..12: "/1/" must not match "/12/"
    child = testing.make_unit(parent=units_[0])
    assert set(Unit.objects.subtree(units_[0])) == {units_[0], child}


def test_moving_a_unit_moves_its_subtree(world):
    world.city.parent = world.other
    world.city.full_clean()
    world.city.save()
    county = Unit.objects.get(pk=world.county.pk)
    assert county.path == f"/{world.other.pk}/{world.city.pk}/{world.county.pk}/"
    assert set(Unit.objects.subtree(world.hall)) == {world.hall}


def test_a_unit_cannot_be_under_its_own_backing_unit(world):
    world.hall.parent = world.county
    with pytest.raises(ValidationError) as exc:
        world.hall.full_clean()
    assert "parent" in exc.value.message_dict
    world.hall.parent = world.hall
    with pytest.raises(ValidationError):
        world.hall.full_clean()


def test_unit_changes_are_audited(world):
    world.hall.contact_phone = "0771-1234567"
    world.hall.save()
    entries = AuditEntry.objects.for_subject(world.hall)
    assert [e.action for e in entries.order_by("pk")] == ["create", "update"]
    assert entries.order_by("pk").last().after["contact_phone"] == "0771-1234567"


def test_assignment_is_to_a_village(world):
    township = Region.objects.get(pk="451423100")
    with pytest.raises(ValidationError) as exc:
        units.assign(world.other, township, D(2016, 1, 1))
    assert "village" in exc.value.message_dict


def test_backing_unit_must_be_in_the_units_subtree(world):
    village = Region.objects.get(pk=testing.XIAGANG)
    with pytest.raises(ValidationError) as exc:
        units.assign(world.hall, village, D(2016, 1, 1), backing_unit=world.other)
    assert "backing_unit" in exc.value.message_dict
    with pytest.raises(ValidationError):
        units.assign(world.hall, village, D(2016, 1, 1), backing_unit=world.hall)
    # any depth below the unit is fine
    assert units.assign(world.hall, village, D(2016, 1, 1), backing_unit=world.county).pk


def test_end_before_start_is_refused_end_equal_start_allowed(world):
    village = Region.objects.get(pk=testing.XIAGANG)
    with pytest.raises(ValidationError) as exc:
        units.assign(world.other, village, D(2016, 1, 2), end_date=D(2016, 1, 1))
    assert exc.value.message_dict == {"end_date": ["结束日期不能早于开始日期"]}
    assert units.assign(world.other, village, D(2016, 1, 2), end_date=D(2016, 1, 2)).pk


def test_same_unit_twice_on_a_village_at_once_is_refused_same_day_counts(world):
    a = world.assignments[testing.DAQIAO]
    units.end_assignment(a, D(2018, 6, 30))
    village = a.village
    with pytest.raises(ValidationError) as exc:
        units.assign(world.other, village, D(2018, 6, 30))
    assert "start_date" in exc.value.message_dict
    assert units.assign(world.other, village, D(2018, 7, 1)).pk


def test_several_units_over_time_history_kept(world):
    a = world.assignments[testing.DAQIAO]
    units.end_assignment(a, D(2017, 12, 31))
    units.assign(world.hall, a.village, D(2018, 1, 1))
    rows = Assignment.objects.filter(village=a.village).order_by("start_date")
    assert [(r.unit.name, r.end_date) for r in rows] == [
        ("钟山县委组织部", D(2017, 12, 31)),
        ("广西壮族自治区公安厅", None),
    ]
    actions = AuditEntry.objects.filter(object_type="assistance.assignment", object_id=str(a.pk))
    assert sorted(actions.values_list("action", flat=True)) == ["create", "update"]


def test_future_start_is_allowed_for_planning(world):
    village = Region.objects.get(pk=testing.XIAGANG)
    assert units.assign(world.other, village, D(2099, 1, 1)).pk


def test_a_refused_assignment_writes_nothing(world):
    before = (Assignment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError):
        units.assign(world.other, Region.objects.get(pk="451423"), D(2016, 1, 1))
    assert (Assignment.objects.count(), AuditEntry.objects.count()) == before


def test_a_save_skipping_clean_cannot_put_a_unit_under_its_subtree(world):
    world.hall.parent = world.county
    with pytest.raises(ValueError):
        world.hall.save()
    assert Unit.objects.get(pk=world.county.pk).path.startswith(f"/{world.hall.pk}/")
    assert Unit.objects.get(pk=world.hall.pk).parent_id is None
