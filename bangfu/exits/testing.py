"""Builders for exits tests (on top of core.testing)."""

from __future__ import annotations

import datetime

from .choices import NOTICE_STEP, STEPS_BY_KIND, CaseKind, Step
from .services import procedure

D = datetime.date
START = D(2020, 9, 1)


def make_verdict(
    household,
    passed: bool = True,
    failed_items: str = "",
    standard: str = "cn-household",
    year: int = 2020,
):
    """A stored verdict of the household (what the standards app's evaluation writes), so the
    exit tests do not depend on the engine's figures. Adapt here if the Verdict model changes."""
    from bangfu.standards.models import Standard, Verdict

    version = Standard.objects.get(code=standard).current_version()
    return Verdict.objects.create(
        version=version,
        year=year,
        household=household,
        region_id=household.region_id,
        passed=passed,
        failed_items=failed_items,
    )


def make_case(household=None, year: int = 2020, region=None, kind=None, **kwargs):
    kind = kind or (CaseKind.HOUSEHOLD if household is not None else CaseKind.VILLAGE)
    return procedure.open_case(None, kind, year, household=household, region=region, **kwargs)


def advance(case, until: str, start: D = START, user=None):
    """Record the steps of `case` up to and including `until`, a day apart (the step after the
    notice on the first day the notice period allows); a household case needs a passing
    verdict before its notice (`make_verdict`)."""
    case.refresh_from_db()
    day = max(start, case.current_step_date) if case.current_step_date else start
    for step in STEPS_BY_KIND[case.kind]:
        case.refresh_from_db()
        if case.current_step and STEPS_BY_KIND[case.kind].index(step) <= STEPS_BY_KIND[
            case.kind
        ].index(case.current_step):
            continue
        extra = {}
        if step == NOTICE_STEP[case.kind]:
            extra["contact"] = "村委会 黄主任 0771-1234567"
        if case.current_step == NOTICE_STEP[case.kind]:
            day = case.current_step_date + datetime.timedelta(days=case.notice_days)
        if step == Step.NATIONAL_ASSESSMENT:
            extra.update(wrong_exit_rate="0.5", missed_rate="0.8", satisfaction="96.5")
        procedure.record_step(case, step, user, day, note=f"{step} 测试", **extra)
        day += datetime.timedelta(days=1)
        if step == until:
            break
    case.refresh_from_db()
    return case
