"""The rules of plans and measures: each broken rule names its field, nothing is written."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from bangfu.core import testing as core_testing
from bangfu.core.models import AuditEntry
from bangfu.plans import testing
from bangfu.plans.models import Measure, Plan
from bangfu.plans.services import plans
from bangfu.regions.models import Region

D = datetime.date


def _errors(exc) -> dict:
    return exc.value.message_dict


def test_household_plan_takes_the_households_region(household):
    plan = testing.make_plan(household)
    assert plan.region_id == household.region_id
    assert plan.kind == "household"
    assert AuditEntry.objects.filter(object_type="plans.plan", object_id=str(plan.pk)).exists()


def test_village_plan_takes_the_village_code(regions):
    plan = testing.make_plan(village="451423100201")
    assert plan.region_id == "451423100201" and plan.kind == "village"


def test_plan_is_for_a_village_or_a_household_not_both_not_neither(household):
    with pytest.raises(ValidationError) as exc:
        plans.create_plan(
            title="x",
            household=household,
            village=Region.objects.get(pk="451423100201"),
            start_date=D(2019, 1, 1),
            end_date=D(2020, 1, 1),
        )
    assert "只能针对一个村或一户" in _errors(exc)["household"][0]
    with pytest.raises(ValidationError) as exc:
        plans.create_plan(title="x", start_date=D(2019, 1, 1), end_date=D(2020, 1, 1))
    assert "household" in _errors(exc)
    assert Plan.objects.count() == 0


def test_plan_village_must_be_a_village(regions):
    with pytest.raises(ValidationError) as exc:
        testing.make_plan(village="451423100")
    assert _errors(exc)["village"] == ["请选择村级行政区划"]


def test_plan_end_after_start_and_target_not_negative(household):
    with pytest.raises(ValidationError) as exc:
        testing.make_plan(
            household,
            start_date=D(2020, 1, 1),
            end_date=D(2020, 1, 1),
            target_income_per_capita=Decimal("-1"),
        )
    errors = _errors(exc)
    assert errors["end_date"] == ["结束日期必须晚于开始日期"]
    assert errors["target_income_per_capita"] == ["目标人均纯收入不能为负数"]
    assert Plan.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="plans.plan").exists()


def test_completed_measure_needs_a_done_date_not_future_not_before_plan(household):
    plan = testing.make_plan(household)  # starts 2019-01-01
    with pytest.raises(ValidationError) as exc:
        testing.make_measure(plan, status="completed")
    assert _errors(exc)["done_date"] == ["措施状态为已完成时必须填写完成日期"]
    with pytest.raises(ValidationError) as exc:
        testing.make_measure(plan, status="completed", done_date=D(2018, 12, 31))
    assert "不能早于计划开始日期（2019-01-01）" in _errors(exc)["done_date"][0]
    future = timezone.localdate() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        testing.make_measure(plan, status="completed", done_date=future)
    assert "不能填写将来的日期" in _errors(exc)["done_date"][0]
    with pytest.raises(ValidationError) as exc:
        testing.make_measure(plan, status="planned", done_date=D(2019, 5, 1))
    assert _errors(exc)["done_date"] == ["只有已完成的措施才能填写完成日期"]
    with pytest.raises(ValidationError) as exc:
        testing.make_measure(plan, cost=Decimal("-0.01"))
    assert _errors(exc)["cost"] == ["投入资金不能为负数"]
    assert Measure.objects.count() == 0


def test_complete_measure_keeps_evidence_and_audits(household):
    plan = testing.make_plan(household)
    measure = testing.make_measure(plan, evidence="购牛发票")
    plans.complete_measure(measure, D(2019, 6, 1))
    measure.refresh_from_db()
    assert (measure.status, measure.done_date, measure.evidence) == (
        "completed",
        D(2019, 6, 1),
        "购牛发票",
    )
    entry = AuditEntry.objects.filter(object_type="plans.measure", action="update").get()
    assert entry.after["status"] == "completed"
    assert entry.subject_type == "registry.household" and entry.subject_id == str(household.pk)


def test_out_of_scope_result_is_refused_and_nothing_written(users, household, other_household):
    village_user = users["village"]
    with pytest.raises(ValidationError) as exc:
        plans.create_plan(
            user=village_user,
            title="x",
            household=other_household,
            start_date=D(2019, 1, 1),
            end_date=D(2020, 1, 1),
        )
    assert "不在您的管辖范围内" in exc.value.messages[0]
    assert Plan.objects.count() == 0


class DoneDateProperties(TestCase):
    """Whatever the dates, a measure is saved only when its done date is inside
    [plan start, today] and it is completed."""

    @classmethod
    def setUpTestData(cls):
        core_testing.make_regions()
        cls.household = core_testing.make_household()
        cls.plan = testing.make_plan(cls.household)

    @settings(max_examples=40, deadline=None)
    @given(
        done=st.one_of(st.none(), st.dates(D(2018, 1, 1), D(2035, 1, 1))),
        status=st.sampled_from(["planned", "in_progress", "completed", "cancelled"]),
    )
    def test_done_date(self, done, status):
        today = timezone.localdate()
        valid = (status == "completed") == (done is not None) and (
            done is None or D(2019, 1, 1) <= done <= today
        )
        try:
            m = testing.make_measure(self.plan, status=status, done_date=done)
        except ValidationError:
            assert not valid
        else:
            assert valid
            m.delete()
