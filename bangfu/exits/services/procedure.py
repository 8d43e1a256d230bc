"""The exit procedure: opening a case, recording its steps one at a time, objections during the
public notice, the notice period. Every page, API call and the demo write through these
functions, in one transaction each, with the case row locked (`select_for_update`) so two
clerks cannot record the same step twice.

Rules (standards.md "Procedures"):
- Steps are recorded in the order of `choices.STEPS_BY_KIND`; a skip, a repeat or a step of
  another kind of case is refused, naming the step expected next.
- A step is dated: not in the future, not before the previous step.
- A household case reaches its notice (村内公示) only if the household's latest verdict for the
  case's standard and year passes; otherwise the failed items are named.
- The notice lasts the case's `notice_days` (at least `default_notice_days()`, 7 unless an
  administrator sets `BANGFU_EXIT_NOTICE_DAYS`): the step after the notice may be dated from
  notice date + N days on (day N−1 refused, day N allowed), and not before the last objection
  was resolved.
- An objection (异议) may be raised only while the case is at its notice; while one is
  unresolved the case stops (status 异议处理中). Dismissed → the case goes on. Upheld → the case is
  closed (已终止): the household is not struck off in this round; once the matter is put right a
  new case starts from the first step.
- 国家评估 records 错退率, 漏评率 (each must be < 2 %) and 群众认可度 (≥ 90 %); 省批准 is refused
  while any of them misses its threshold.
- 销号 changes the household's status to 已脱贫 through the registry's `update_household` (a
  StatusChange dated the 销号 date, the case as reason, audited). The last step of a village or
  county case writes its `RegionExit`.
- Back-filling: a household the registry already records as exited in year Y (imported with its
  history) may get a case for Y, to record the procedure that led there; its 销号 writes no second
  status change. Any other exited household is refused.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core import audit
from bangfu.core.scoping import user_can_reach_region
from bangfu.registry.choices import POOR_STATUSES, Status
from bangfu.registry.models import Household

from ..choices import (
    DEFAULT_STANDARD,
    NOTICE_STEP,
    OPEN_STATUSES,
    REGION_LEVEL,
    STEPS_BY_KIND,
    CaseKind,
    CaseStatus,
    Outcome,
    Step,
)
from ..models import ExitCase, ExitStep, Objection, RegionExit, default_notice_days
from . import verdicts

# 国家评估 thresholds (standards.md): 错退率 < 2 %, 漏评率 < 2 %, 群众认可度 ≥ 90 %.
MAX_WRONG_EXIT = Decimal("2")
MAX_MISSED = Decimal("2")
MIN_SATISFACTION = Decimal("90")


def _label(step: str) -> str:
    return str(Step(step).label)


def _d(value: datetime.date) -> str:
    return value.strftime("%Y-%m-%d")


def _actor(user):
    return user if user is not None and user.is_authenticated else None


def _context(user):
    return audit.audit_context(user=user) if _actor(user) else audit.audit_context()


def _check_case_scope(user, case: ExitCase) -> None:
    if user is not None and not ExitCase.objects.for_user(user).filter(pk=case.pk).exists():
        raise PermissionDenied


def _check_date(value, field: str = "date") -> None:
    if value is None:
        raise ValidationError({field: _("请填写日期")})
    if value > timezone.localdate():
        raise ValidationError({field: _("不能填写将来的日期")})


def _locked(case: ExitCase) -> ExitCase:
    return (
        # `of=self`: PostgreSQL refuses FOR UPDATE on the nullable side of the household join.
        ExitCase.objects.select_for_update(of=("self",))
        .select_related("household", "region")
        .get(pk=case.pk)
    )


# ---- opening a case ----------------------------------------------------------------------


def open_case(
    user,
    kind: str,
    year: int,
    household: Household | None = None,
    region=None,
    standard_code: str | None = None,
    notice_days: int | None = None,
) -> ExitCase:
    """A new case for a household (kind `household`) or a village / county (`region`)."""
    if kind not in CaseKind.values:
        raise ValidationError({"kind": _("未知的退出类型")})
    this_year = timezone.localdate().year
    if not year or year < 2013 or year > this_year:
        raise ValidationError({"year": _("退出年度应在 2013 年至 %(y)d 年之间") % {"y": this_year}})
    minimum = default_notice_days()
    if notice_days is None:
        notice_days = minimum
    elif notice_days < minimum:
        raise ValidationError({"notice_days": _("公示天数不能少于 %(n)d 天") % {"n": minimum}})
    with transaction.atomic(), _context(user):
        if kind == CaseKind.HOUSEHOLD:
            if household is None:
                raise ValidationError({"household": _("请填写贫困户")})
            household = Household.objects.select_for_update().get(pk=household.pk)
            if user is not None and not user_can_reach_region(user, household.region_id):
                raise PermissionDenied
            if household.status not in POOR_STATUSES and not _backfill(household, year):
                raise ValidationError(
                    {
                        "household": _("该户户类型为「%(status)s」，只有未脱贫户才能办理退出")
                        % {"status": household.get_status_display()}
                    }
                )
            if year < household.registered_year:
                raise ValidationError({"year": _("退出年度不能早于该户纳入年度")})
            busy = ExitCase.objects.filter(household=household, status__in=OPEN_STATUSES)
            if busy.exists():
                raise ValidationError({"household": _("该户已有办理中的退出案件")})
            region = household.region
        else:
            if region is None:
                raise ValidationError({"region": _("请选择行政区划")})
            if region.level != REGION_LEVEL[kind]:
                raise ValidationError(
                    {
                        "region": _("%(kind)s的对象应为%(level)s级区划")
                        % {
                            "kind": CaseKind(kind).label,
                            "level": _("村") if kind == CaseKind.VILLAGE else _("县"),
                        }
                    }
                )
            if user is not None and not user_can_reach_region(user, region.pk):
                raise PermissionDenied
            if RegionExit.objects.filter(region=region).exists():
                raise ValidationError({"region": _("该区划已经退出")})
            if ExitCase.objects.filter(region=region, kind=kind, status__in=OPEN_STATUSES).exists():
                raise ValidationError({"region": _("该区划已有办理中的退出案件")})
            household = None
        case = ExitCase(
            kind=kind,
            household=household,
            region=region,
            year=year,
            standard_code=standard_code or DEFAULT_STANDARD[kind],
            notice_days=notice_days,
        )
        case.save()
    return case


def set_notice_days(case: ExitCase, days: int, user) -> ExitCase:
    """Change a case's notice length (county office: `exits.change_notice_days`); never below
    the default minimum, and not once the notice is over."""
    if user is not None and not user.has_perm("exits.change_notice_days"):
        raise PermissionDenied
    minimum = default_notice_days()
    if days is None or days < minimum:
        raise ValidationError({"notice_days": _("公示天数不能少于 %(n)d 天") % {"n": minimum}})
    with transaction.atomic(), _context(user):
        case = _locked(case)
        _check_case_scope(user, case)
        notice = NOTICE_STEP[case.kind]
        steps = STEPS_BY_KIND[case.kind]
        if case.current_step and steps.index(case.current_step) > steps.index(notice):
            raise ValidationError({"notice_days": _("公示已结束，不能再修改公示天数")})
        case.notice_days = days
        case.save()
    return case


# ---- steps -------------------------------------------------------------------------------


def notice_ends(case: ExitCase) -> datetime.date | None:
    """The first day the step after the notice may be dated (notice date + notice days), or None
    when the case has not reached its notice."""
    notice = case.steps.filter(step=NOTICE_STEP[case.kind]).values_list("date", flat=True).first()
    return notice + datetime.timedelta(days=case.notice_days) if notice else None


def _check_order(case: ExitCase, step: str) -> None:
    steps = STEPS_BY_KIND[case.kind]
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"step": _("该案件已终止，不能再登记步骤")})
    if case.status == CaseStatus.EXITED:
        raise ValidationError({"step": _("该案件已办结，不能再登记步骤")})
    if case.status == CaseStatus.OBJECTION:
        pending = case.objections.filter(outcome="").order_by("raised_on", "pk").first()
        raise ValidationError(
            {
                "step": _(
                    "公示期间有未处理的异议（%(who)s，%(date)s 提出），处理完毕前不能进入下一步"
                )
                % {"who": pending.raised_by, "date": _d(pending.raised_on)}
                if pending
                else _("公示期间有未处理的异议，处理完毕前不能进入下一步")
            }
        )
    if step not in steps:
        raise ValidationError(
            {
                "step": _("「%(step)s」不是%(kind)s的步骤")
                % {
                    "step": _label(step) if step in Step.values else step,
                    "kind": case.get_kind_display(),
                }
            }
        )
    expected = case.next_step
    if step != expected:
        if case.steps.filter(step=step).exists():
            raise ValidationError({"step": _("「%(step)s」已经登记过") % {"step": _label(step)}})
        raise ValidationError(
            {
                "step": _("不能跳过或颠倒步骤：下一步应为「%(expected)s」，不能登记「%(step)s」")
                % {"expected": _label(expected), "step": _label(step)}
            }
        )


def _check_verdict(case: ExitCase) -> None:
    info = verdicts.latest_household_verdict(case.household, case.standard_code, case.year)
    if info is None:
        raise ValidationError(
            {
                "step": _(
                    "该户没有 %(year)d 年度「%(standard)s」的评估结果，不能进入村内公示；请先评估"
                )
                % {"year": case.year, "standard": case.standard_code}
            }
        )
    if not info.passed:
        items = "、".join(
            f"{name}（{code}）" if name != code else code
            for code, name in zip(info.failed_codes, info.failed_names, strict=True)
        )
        raise ValidationError(
            {
                "step": _(
                    "该户 %(year)d 年度「%(standard)s」评估未达标，不能进入村内公示。"
                    "未达标条目：%(items)s"
                )
                % {"year": case.year, "standard": case.standard_code, "items": items or "—"}
            }
        )


def _check_notice_period(case: ExitCase, step: str, date: datetime.date) -> None:
    earliest = notice_ends(case)
    if earliest is None:
        return
    notice_date = earliest - datetime.timedelta(days=case.notice_days)
    if date < earliest:
        raise ValidationError(
            {
                "date": _(
                    "公示期为 %(n)d 天（%(start)s 起），「%(step)s」最早可在 %(earliest)s 登记"
                )
                % {
                    "n": case.notice_days,
                    "start": _d(notice_date),
                    "step": _label(step),
                    "earliest": _d(earliest),
                }
            }
        )
    resolved = (
        case.objections.exclude(resolved_on=None)
        .order_by("-resolved_on")
        .values_list("resolved_on", flat=True)
        .first()
    )
    if resolved and date < resolved:
        raise ValidationError(
            {
                "date": _("「%(step)s」不能早于异议处理日期 %(date)s")
                % {"step": _label(step), "date": _d(resolved)}
            }
        )


def assessment_failures(case: ExitCase) -> list[str]:
    """What the recorded 国家评估 figures miss (empty when all three pass)."""
    out = []
    if case.wrong_exit_rate is None or case.wrong_exit_rate >= MAX_WRONG_EXIT:
        out.append(_("错退率 %(v)s%% 未低于 2%%") % {"v": case.wrong_exit_rate})
    if case.missed_rate is None or case.missed_rate >= MAX_MISSED:
        out.append(_("漏评率 %(v)s%% 未低于 2%%") % {"v": case.missed_rate})
    if case.satisfaction is None or case.satisfaction < MIN_SATISFACTION:
        out.append(_("群众认可度 %(v)s%% 低于 90%%") % {"v": case.satisfaction})
    return out


def _rate(value, field: str, label: str) -> Decimal:
    if value is None or value == "":
        raise ValidationError({field: _("国家评估须填写%(label)s") % {"label": label}})
    try:
        value = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({field: _("%(label)s应为数字") % {"label": label}}) from None
    if not value.is_finite() or value < 0 or value > 100:
        raise ValidationError({field: _("%(label)s应在 0 到 100 之间") % {"label": label}})
    return value.quantize(Decimal("0.01"))


def _backfill(household: Household, year: int) -> bool:
    """A household the registry already records as exited in `year` (e.g. imported): its case
    for that year records the procedure that led there, and 销号 changes nothing."""
    return household.status == Status.EXITED and household.exit_year == year


def _strike_off(case: ExitCase, date: datetime.date) -> None:
    from bangfu.registry.services.households import update_household

    household = Household.objects.select_for_update().get(pk=case.household_id)
    if _backfill(household, case.year):
        return  # the status history already has the exit
    if household.status not in POOR_STATUSES:
        raise ValidationError(
            {
                "step": _("该户户类型已是「%(status)s」，不能销号")
                % {"status": household.get_status_display()}
            }
        )
    update_household(
        household,
        {"status": Status.EXITED, "exit_year": case.year},
        expected_version=household.version,
        # Stored data (like the registry's "建档立卡"): the same in every language.
        reason=f"脱贫退出销号（退出案件 {case.pk}）",
        status_date=date,
    )


def record_step(
    case: ExitCase,
    step: str,
    user,
    date: datetime.date,
    note: str = "",
    contact: str = "",
    wrong_exit_rate=None,
    missed_rate=None,
    satisfaction=None,
) -> ExitStep:
    """Record the next step of `case` (see the module's rules); refused with a Chinese
    ValidationError naming the field and the reason, writing nothing."""
    with transaction.atomic(), _context(user):
        case = _locked(case)
        _check_case_scope(user, case)
        _check_order(case, step)
        _check_date(date)
        if case.current_step_date and date < case.current_step_date:
            raise ValidationError(
                {
                    "date": _("日期 %(date)s 早于上一步骤「%(prev)s」的日期 %(prev_date)s")
                    % {
                        "date": _d(date),
                        "prev": _label(case.current_step),
                        "prev_date": _d(case.current_step_date),
                    }
                }
            )
        notice = NOTICE_STEP[case.kind]
        if step == notice:
            if case.kind == CaseKind.HOUSEHOLD:
                _check_verdict(case)
            contact = (contact or "").strip()
            if not contact:
                raise ValidationError(
                    {"contact": _("公示须写明异议受理联系方式（如村委会联系人及电话）")}
                )
        if case.current_step == notice:
            _check_notice_period(case, step, date)
        if step == Step.NATIONAL_ASSESSMENT:
            case.wrong_exit_rate = _rate(wrong_exit_rate, "wrong_exit_rate", _("错退率"))
            case.missed_rate = _rate(missed_rate, "missed_rate", _("漏评率"))
            case.satisfaction = _rate(satisfaction, "satisfaction", _("群众认可度"))
        if step == Step.PROVINCE_APPROVAL:
            failures = assessment_failures(case)
            if failures:
                raise ValidationError(
                    {
                        "step": _("国家评估未达到要求，不能批准退出：%(what)s")
                        % {"what": "；".join(failures)}
                    }
                )
        steps = STEPS_BY_KIND[case.kind]
        done = ExitStep(
            case=case,
            step=step,
            position=steps.index(step) + 1,
            date=date,
            recorded_by=_actor(user),
            note=(note or "").strip(),
            contact=contact if step == notice else "",
        )
        done.save()
        final = step == steps[-1]
        if step == Step.STRIKE:
            _strike_off(case, date)
        elif final:
            RegionExit(region=case.region, date=date, case=case).save()
        case.current_step = step
        case.current_step_date = date
        if final:
            case.status = CaseStatus.EXITED
        case.save()
    return done


# ---- objections --------------------------------------------------------------------------


def raise_objection(
    case: ExitCase, user, raised_by: str, raised_on: datetime.date, content: str
) -> Objection:
    """An objection during the notice: the case stops until it is resolved."""
    raised_by, content = (raised_by or "").strip(), (content or "").strip()
    with transaction.atomic(), _context(user):
        case = _locked(case)
        _check_case_scope(user, case)
        notice = NOTICE_STEP[case.kind]
        if case.current_step != notice or case.status not in OPEN_STATUSES:
            raise ValidationError(_("只能在「%(step)s」期间提出异议") % {"step": _label(notice)})
        if not raised_by:
            raise ValidationError({"raised_by": _("请填写异议人")})
        if not content:
            raise ValidationError({"content": _("请填写异议内容")})
        _check_date(raised_on, "raised_on")
        if raised_on < case.current_step_date:
            raise ValidationError(
                {
                    "raised_on": _("异议日期不能早于公示开始日期 %(date)s")
                    % {"date": _d(case.current_step_date)}
                }
            )
        objection = Objection(
            case=case,
            raised_by=raised_by,
            raised_on=raised_on,
            content=content,
            recorded_by=_actor(user),
        )
        objection.save()
        case.status = CaseStatus.OBJECTION
        case.save()
    return objection


def resolve_objection(
    objection: Objection, user, outcome: str, resolved_on: datetime.date, resolution: str = ""
) -> Objection:
    """Record how an objection was resolved. Upheld → the case is closed; dismissed → the case
    goes on once no other objection is pending."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择处理结果")})
    with transaction.atomic(), _context(user):
        case = _locked(objection.case)
        _check_case_scope(user, case)
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.outcome:
            raise ValidationError(_("该异议已经处理"))
        _check_date(resolved_on, "resolved_on")
        if resolved_on < objection.raised_on:
            raise ValidationError({"resolved_on": _("处理日期不能早于异议提出日期")})
        objection.outcome = outcome
        objection.resolved_on = resolved_on
        objection.resolution = (resolution or "").strip()
        objection.save()
        if outcome == Outcome.UPHELD:
            case.status = CaseStatus.CLOSED
        elif not case.objections.filter(outcome="").exists():
            case.status = CaseStatus.OPEN
        case.save()
    return objection
