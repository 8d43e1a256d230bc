"""The exit procedure's rules, through `services.procedure`: order, dates, the verdict gate,
objections, the notice period, 销号 in the status history, village and county cases."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.models import AuditEntry
from bangfu.exits import testing
from bangfu.exits.choices import STEPS_BY_KIND, CaseKind, CaseStatus, Step
from bangfu.exits.models import ExitStep, RegionExit
from bangfu.exits.services import procedure
from bangfu.registry.models import StatusChange

D = datetime.date
HOUSEHOLD_STEPS = STEPS_BY_KIND[CaseKind.HOUSEHOLD]


def message(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


@pytest.fixture
def case(household, users):
    testing.make_verdict(household, passed=True)
    return testing.make_case(household, year=2020)


# ---- order -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(CaseKind))
def test_every_skip_and_reorder_is_refused(kind, household, regions):
    """From every position of every kind, each step other than the next one is refused and
    nothing is written; the next one is accepted."""
    testing.make_verdict(household, passed=True)
    if kind == CaseKind.HOUSEHOLD:
        case = testing.make_case(household)
    else:
        region = regions["451423100201" if kind == CaseKind.VILLAGE else "451423"]
        case = testing.make_case(region=region, kind=kind)
    steps = STEPS_BY_KIND[kind]
    for i, expected in enumerate(steps):
        case.refresh_from_db()
        for other in steps:
            if other == expected:
                continue
            with pytest.raises(ValidationError) as exc:
                procedure.record_step(case, other, None, D(2020, 12, 31))
            text = message(exc)
            assert str(Step(expected).label) in text or "已经登记过" in text, text
        assert ExitStep.objects.filter(case=case).count() == i
        testing.advance(case, expected)
    case.refresh_from_db()
    assert case.status == CaseStatus.EXITED
    assert case.next_step is None


def test_a_step_of_another_kind_is_refused(case):
    with pytest.raises(ValidationError) as exc:
        procedure.record_step(case, Step.TOWNSHIP_REVIEW, None, D(2020, 9, 1))
    assert "不是贫困户退出的步骤" in message(exc)


def test_a_step_dated_before_the_previous_one_is_refused(case):
    procedure.record_step(case, Step.REVIEW, None, D(2020, 9, 10))
    with pytest.raises(ValidationError) as exc:
        procedure.record_step(case, Step.VERIFY, None, D(2020, 9, 9))
    assert exc.value.error_dict.keys() == {"date"}
    assert "2020-09-09 早于上一步骤「村两委民主评议」的日期 2020-09-10" in message(exc)
    # the same day is allowed
    procedure.record_step(case, Step.VERIFY, None, D(2020, 9, 10))


def test_a_future_date_is_refused(case):
    with pytest.raises(ValidationError) as exc:
        procedure.record_step(
            case, Step.REVIEW, None, datetime.date.today() + datetime.timedelta(1)
        )
    assert "不能填写将来的日期" in message(exc)


def test_a_step_records_who_when_and_the_note_and_is_audited(case, users):
    done = procedure.record_step(case, Step.REVIEW, users["county"], D(2020, 9, 1), note="评议通过")
    assert (done.recorded_by, done.date, done.note, done.position) == (
        users["county"],
        D(2020, 9, 1),
        "评议通过",
        1,
    )
    entries = AuditEntry.objects.for_subject(case)
    assert entries.filter(object_type="exits.exitstep", action="create", username="county").exists()
    assert entries.filter(object_type="exits.exitcase", action="update").exists()


# ---- verdict gate ------------------------------------------------------------------------


def test_notice_is_refused_when_the_latest_verdict_fails_naming_the_items(household):
    testing.make_verdict(household, passed=True)
    testing.make_verdict(household, passed=False, failed_items="income;education")
    case = testing.advance(testing.make_case(household), Step.CONSENT)
    with pytest.raises(ValidationError) as exc:
        procedure.record_step(case, Step.NOTICE, None, D(2020, 9, 5), contact="村委会")
    text = message(exc)
    assert "评估未达标，不能进入村内公示" in text
    assert "income" in text and "education" in text
    case.refresh_from_db()
    assert case.current_step == Step.CONSENT


def test_notice_is_refused_without_a_verdict_for_the_case_year(household):
    testing.make_verdict(household, passed=True, year=2019)
    case = testing.advance(testing.make_case(household, year=2020), Step.CONSENT)
    with pytest.raises(ValidationError) as exc:
        procedure.record_step(case, Step.NOTICE, None, D(2020, 9, 5), contact="村委会")
    assert "没有 2020 年度「cn-household」的评估结果" in message(exc)


def test_the_case_standard_is_the_one_read(household):
    testing.make_verdict(household, passed=False, failed_items="income")
    testing.make_verdict(household, passed=True, standard="gx-household")
    case = testing.make_case(household, standard_code="gx-household")
    testing.advance(case, Step.NOTICE)
    assert case.current_step == Step.NOTICE


def test_a_later_passing_verdict_opens_the_notice(household):
    testing.make_verdict(household, passed=False, failed_items="income")
    case = testing.advance(testing.make_case(household), Step.CONSENT)
    with pytest.raises(ValidationError):
        testing.advance(case, Step.NOTICE)
    testing.make_verdict(household, passed=True)
    assert testing.advance(case, Step.NOTICE).current_step == Step.NOTICE


def test_notice_needs_the_contact_for_objections(case):
    testing.advance(case, Step.CONSENT)
    with pytest.raises(ValidationError) as exc:
        procedure.record_step(case, Step.NOTICE, None, D(2020, 9, 5))
    assert exc.value.error_dict.keys() == {"contact"}


# ---- notice period -----------------------------------------------------------------------


@pytest.mark.parametrize("days", [7, 10])
def test_notice_period_boundary(case, days, users):
    procedure.set_notice_days(case, days, users["county"])
    testing.advance(case, Step.NOTICE, start=D(2020, 9, 1))
    start = case.current_step_date
    with pytest.raises(ValidationError) as exc:
        procedure.record_step(case, Step.ANNOUNCE, None, start + datetime.timedelta(days - 1))
    assert exc.value.error_dict.keys() == {"date"}
    earliest = start + datetime.timedelta(days)
    assert f"公示期为 {days} 天" in message(exc)
    assert earliest.strftime("%Y-%m-%d") in message(exc)
    procedure.record_step(case, Step.ANNOUNCE, None, earliest)


def test_notice_days_never_below_the_default_minimum(case, users, settings):
    with pytest.raises(ValidationError) as exc:
        procedure.set_notice_days(case, 6, users["county"])
    assert "不能少于 7 天" in message(exc)
    settings.BANGFU_EXIT_NOTICE_DAYS = 5  # an administrator lowers the default
    procedure.set_notice_days(case, 5, users["county"])
    case.refresh_from_db()
    assert case.notice_days == 5


def test_only_the_county_office_may_change_notice_days(case, users):
    from django.core.exceptions import PermissionDenied

    for name in ("township", "village", "viewer"):
        with pytest.raises(PermissionDenied):
            procedure.set_notice_days(case, 10, users[name])
    with pytest.raises(PermissionDenied):  # a county office of another county
        procedure.set_notice_days(case, 10, users["other_county"])
    procedure.set_notice_days(case, 10, users["county"])


def test_notice_days_frozen_once_the_notice_is_over(case, users):
    testing.advance(case, Step.ANNOUNCE)
    with pytest.raises(ValidationError) as exc:
        procedure.set_notice_days(case, 10, users["county"])
    assert "公示已结束" in message(exc)


# ---- objections --------------------------------------------------------------------------


def test_objection_only_during_the_notice(case):
    testing.advance(case, Step.CONSENT)
    with pytest.raises(ValidationError) as exc:
        procedure.raise_objection(case, None, "村民甲", D(2020, 9, 4), "不实")
    assert "只能在「村内公示」期间提出异议" in message(exc)


def test_an_objection_stops_the_case_until_dismissed(case):
    testing.advance(case, Step.NOTICE)
    start = case.current_step_date
    objection = procedure.raise_objection(
        case, None, "村民甲", start + datetime.timedelta(2), "该户有车"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.OBJECTION
    late = start + datetime.timedelta(20)
    with pytest.raises(ValidationError) as exc:
        procedure.record_step(case, Step.ANNOUNCE, None, late)
    assert "未处理的异议（村民甲" in message(exc)
    procedure.resolve_objection(
        objection, None, "dismissed", start + datetime.timedelta(12), "经核实车辆已出售"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    # not before the objection was resolved, even after the notice period
    with pytest.raises(ValidationError) as exc:
        procedure.record_step(case, Step.ANNOUNCE, None, start + datetime.timedelta(11))
    assert "不能早于异议处理日期" in message(exc)
    procedure.record_step(case, Step.ANNOUNCE, None, start + datetime.timedelta(12))


def test_an_upheld_objection_closes_the_case(case, household):
    testing.advance(case, Step.NOTICE)
    objection = procedure.raise_objection(case, None, "村民乙", case.current_step_date, "收入不实")
    procedure.resolve_objection(objection, None, "upheld", case.current_step_date, "收入核实有误")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    with pytest.raises(ValidationError) as exc:
        procedure.record_step(case, Step.ANNOUNCE, None, D(2020, 12, 1))
    assert "已终止" in message(exc)
    household.refresh_from_db()
    assert household.status == "not_exited"
    # a new case may start again from the first step
    again = testing.make_case(household)
    assert again.next_step == Step.REVIEW


def test_two_objections_both_must_be_resolved(case):
    testing.advance(case, Step.NOTICE)
    day = case.current_step_date
    first = procedure.raise_objection(case, None, "甲", day, "一")
    second = procedure.raise_objection(case, None, "乙", day, "二")
    procedure.resolve_objection(first, None, "dismissed", day)
    case.refresh_from_db()
    assert case.status == CaseStatus.OBJECTION
    procedure.resolve_objection(second, None, "dismissed", day)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_objection_input_errors_name_the_field(case):
    testing.advance(case, Step.NOTICE)
    day = case.current_step_date
    with pytest.raises(ValidationError) as exc:
        procedure.raise_objection(case, None, "", day, "x")
    assert exc.value.error_dict.keys() == {"raised_by"}
    with pytest.raises(ValidationError) as exc:
        procedure.raise_objection(case, None, "甲", day - datetime.timedelta(1), "x")
    assert exc.value.error_dict.keys() == {"raised_on"}
    objection = procedure.raise_objection(case, None, "甲", day, "x")
    with pytest.raises(ValidationError) as exc:
        procedure.resolve_objection(objection, None, "dismissed", day - datetime.timedelta(1))
    assert exc.value.error_dict.keys() == {"resolved_on"}
    with pytest.raises(ValidationError):
        procedure.resolve_objection(objection, None, "maybe", day)


# ---- 销号 --------------------------------------------------------------------------------


def test_strike_off_updates_the_status_history_with_audit(case, household, users):
    testing.advance(case, Step.ANNOUNCE, user=users["county"])
    procedure.record_step(case, Step.STRIKE, users["county"], D(2020, 10, 20))
    household.refresh_from_db()
    assert (household.status, household.exit_year) == ("exited", 2020)
    change = StatusChange.objects.filter(household=household).latest("id")
    assert (change.date, change.status, change.previous_status) == (
        D(2020, 10, 20),
        "exited",
        "not_exited",
    )
    assert f"退出案件 {case.pk}" in change.reason
    entries = AuditEntry.objects.for_subject(household)
    assert entries.filter(object_type="registry.statuschange", action="create").exists()
    update = entries.get(object_type="registry.household", action="update")
    assert (update.before["status"], update.after["status"]) == ("not_exited", "exited")
    assert update.username == "county"
    case.refresh_from_db()
    assert case.status == CaseStatus.EXITED


def test_strike_off_refused_when_the_household_status_changed_meanwhile(case, household):
    testing.advance(case, Step.ANNOUNCE)
    household.status = "natural_decrease"
    household.save()
    with pytest.raises(ValidationError) as exc:
        procedure.record_step(case, Step.STRIKE, None, D(2020, 10, 20))
    assert "自然减少" in message(exc)
    assert not ExitStep.objects.filter(case=case, step=Step.STRIKE).exists()


def test_backfilled_case_of_a_household_already_exited(regions):
    """The registry already records the exit (imported): the case records the procedure, and
    销号 writes no second status change; any other year is refused."""
    from bangfu.core.testing import make_household

    exited = make_household("451423100201", status="exited", year=2019)  # exit_year 2019
    with pytest.raises(ValidationError):
        testing.make_case(exited, year=2020)
    testing.make_verdict(exited, year=2019)
    case = testing.advance(testing.make_case(exited, year=2019), Step.STRIKE, start=D(2019, 9, 1))
    assert case.status == CaseStatus.EXITED
    assert StatusChange.objects.filter(household=exited, status="exited").count() == 0
    exited.refresh_from_db()
    assert (exited.status, exited.exit_year) == ("exited", 2019)


# ---- opening cases -----------------------------------------------------------------------


def test_one_open_case_per_household_and_only_for_poor_households(case, household, regions):
    with pytest.raises(ValidationError) as exc:
        testing.make_case(household)
    assert "已有办理中的退出案件" in message(exc)
    from bangfu.core.testing import make_household

    exited = make_household("451423100201", status="exited")
    with pytest.raises(ValidationError) as exc:
        testing.make_case(exited)
    assert "只有未脱贫户才能办理退出" in message(exc)


def test_region_cases_need_the_right_level(regions):
    with pytest.raises(ValidationError) as exc:
        testing.make_case(region=regions["451423"], kind=CaseKind.VILLAGE)
    assert exc.value.error_dict.keys() == {"region"}
    with pytest.raises(ValidationError):
        testing.make_case(region=regions["451423100201"], kind=CaseKind.COUNTY)


def test_opening_out_of_scope_is_refused(users, other_household):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        procedure.open_case(users["village"], CaseKind.HOUSEHOLD, 2020, household=other_household)


# ---- village and county ------------------------------------------------------------------


def test_village_exit_marks_the_region_exited_on_the_announcement_date(regions):
    case = testing.make_case(region=regions["451423100201"], kind=CaseKind.VILLAGE)
    testing.advance(case, Step.ANNOUNCE, start=D(2020, 11, 1))
    mark = RegionExit.objects.get(region=regions["451423100201"])
    assert mark.case == case and mark.date == case.current_step_date
    with pytest.raises(ValidationError) as exc:
        testing.make_case(region=regions["451423100201"], kind=CaseKind.VILLAGE)
    assert "已经退出" in message(exc)


@pytest.mark.parametrize(
    ("wrong", "missed", "satisfaction", "fails"),
    [
        ("1.99", "1.99", "90", []),
        ("2", "0", "95", ["错退率"]),
        ("0", "2.00", "95", ["漏评率"]),
        ("0", "0", "89.99", ["群众认可度"]),
        ("2.5", "3", "80", ["错退率", "漏评率", "群众认可度"]),
    ],
)
def test_county_approval_checks_the_national_assessment(
    regions, wrong, missed, satisfaction, fails
):
    case = testing.make_case(region=regions["451423"], kind=CaseKind.COUNTY)
    testing.advance(case, Step.PROVINCE_REVIEW)
    day = case.current_step_date + datetime.timedelta(1)
    procedure.record_step(
        case,
        Step.NATIONAL_ASSESSMENT,
        None,
        day,
        wrong_exit_rate=wrong,
        missed_rate=missed,
        satisfaction=satisfaction,
    )
    if fails:
        with pytest.raises(ValidationError) as exc:
            procedure.record_step(case, Step.PROVINCE_APPROVAL, None, day)
        for name in fails:
            assert name in message(exc)
        assert not RegionExit.objects.exists()
    else:
        procedure.record_step(case, Step.PROVINCE_APPROVAL, None, day)
        assert RegionExit.objects.get(region=regions["451423"]).date == day


def test_national_assessment_needs_its_three_figures(regions):
    case = testing.make_case(region=regions["451423"], kind=CaseKind.COUNTY)
    testing.advance(case, Step.PROVINCE_REVIEW)
    with pytest.raises(ValidationError) as exc:
        procedure.record_step(
            case, Step.NATIONAL_ASSESSMENT, None, D(2020, 12, 1), wrong_exit_rate="1"
        )
    assert "missed_rate" in exc.value.error_dict


def test_positions_follow_the_procedure(case):
    testing.advance(case, Step.STRIKE)
    rows = list(ExitStep.objects.filter(case=case).values_list("position", "step"))
    assert rows == list(zip(itertools.count(1), HOUSEHOLD_STEPS))
