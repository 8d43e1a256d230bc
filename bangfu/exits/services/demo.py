"""Demo exit cases (a step of `bangfu demo`, appended to assistance's `STEPS`): household exit
cases in 钟山县 at different steps (民主评议 … 销号), and the village exit of 大桥村 (脱贫出列 2018).

The demo registry's households have all exited by 2020, so the cases are mostly back-filled
(`services.procedure`: a household the registry records as exited in year Y may get a case for
Y; its 销号 writes no second status change); households still poor, when there are any, come
first and are really struck off. Everything goes through `services.procedure`, so the demo
obeys the rules it shows: a case reaches its notice only if the household's latest cn-household
verdict for the case year passes (the step evaluates 钟山 for those years first); households
that fail stop before the notice. Dates are in the past (September of the exit year, before the
registry's exit date), the notice period respected. Running it again adds nothing.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from bangfu.core import audit
from bangfu.core.choices import ChangeSource
from bangfu.registry.models import Household

from ..choices import STEPS_BY_KIND, CaseKind, Step
from ..models import ExitCase, RegionExit
from . import procedure, verdicts

D = datetime.date
ZHONGSHAN = "451122"
DAQIAO = "451122100201"
YEAR = 2020  # the case year of households still poor
CONTACT = "大桥村村民委员会 0774-8981234"
# Where the demo's household cases stop, in order of the households chosen.
TARGETS = (Step.REVIEW, Step.VERIFY, Step.CONSENT, Step.NOTICE, Step.ANNOUNCE, Step.STRIKE)
NOTES = {
    Step.REVIEW: "村两委会议民主评议，同意列入 2020 年拟退出名单",
    Step.VERIFY: "村两委和驻村工作队入户核实收入与两不愁三保障情况",
    Step.CONSENT: "户主签字认可",
    Step.NOTICE: "在村委会公示栏公示",
    Step.ANNOUNCE: "公示期满无异议，公告退出",
    Step.STRIKE: "系统标注脱贫",
    Step.TOWNSHIP_REVIEW: "公安镇审核大桥村贫困发生率及基础设施",
    Step.TOWNSHIP_NOTICE: "在公安镇政府公示栏公示",
}


def _walk(case: ExitCase, until: str, start: D) -> None:
    day = start
    for step in STEPS_BY_KIND[case.kind]:
        case.refresh_from_db()
        extra = {}
        if step in (Step.NOTICE, Step.TOWNSHIP_NOTICE):
            extra["contact"] = CONTACT
        if case.current_step in (Step.NOTICE, Step.TOWNSHIP_NOTICE):
            day = case.current_step_date + datetime.timedelta(days=case.notice_days)
        procedure.record_step(case, step, None, day, note=NOTES.get(step, ""), **extra)
        day += datetime.timedelta(days=3)
        if step == until:
            return


def build(seed: int = 0, households: int = 0):
    from bangfu.assistance.services.demo import StepResult

    made = {"cases": 0, "announced": 0, "villages": 0}
    with audit.audit_context(source=ChangeSource.DEMO):
        # Households still poor first; then (the demo registry's households have all exited by
        # 2020) households whose exit the registry records, back-filling their procedure.
        candidates = list(
            Household.objects.filter(region__pk__startswith=ZHONGSHAN)
            .exclude(exit_cases__isnull=False)
            .filter(Q(status="not_exited") | Q(status="exited", exit_year__isnull=False))
            .order_by("-status", "-exit_year", "household_no")  # not_exited first
            .values_list("pk", "status", "exit_year")[:200]
        )
        if ExitCase.objects.filter(
            kind=CaseKind.HOUSEHOLD, region__pk__startswith=ZHONGSHAN
        ).exists():
            candidates = []  # already run
        if candidates:
            years = {YEAR} | {y for _pk, status, y in candidates if status == "exited"}
            for year in sorted(years):
                verdicts.evaluate_region("cn-household", year, ZHONGSHAN)
        passing, failing = [], []
        by_pk = Household.objects.in_bulk([pk for pk, _s, _y in candidates])
        for pk, status, exit_year in candidates:
            household = by_pk[pk]
            year = exit_year if status == "exited" else YEAR
            info = verdicts.latest_household_verdict(household, "cn-household", year)
            (passing if info is not None and info.passed else failing).append((household, year))
        for target in TARGETS:
            needs_pass = target in (Step.NOTICE, Step.ANNOUNCE, Step.STRIKE)
            pool = passing if needs_pass else (failing or passing)
            if not pool:
                continue
            household, year = pool.pop(0)
            case = procedure.open_case(None, CaseKind.HOUSEHOLD, year, household=household)
            _walk(case, target, D(year, 9, 1))
            made["cases"] += 1
            made["announced"] += target in (Step.ANNOUNCE, Step.STRIKE)
        village = ExitCase.objects.filter(region_id=DAQIAO, kind=CaseKind.VILLAGE)
        if not village.exists() and not RegionExit.objects.filter(region_id=DAQIAO).exists():
            from bangfu.regions.models import Region

            daqiao = Region.objects.filter(pk=DAQIAO).first()
            if daqiao is not None:
                case = procedure.open_case(None, CaseKind.VILLAGE, 2018, region=daqiao)
                _walk(case, Step.ANNOUNCE, D(2018, 11, 5))
                made["villages"] += 1
    return StepResult(
        summary=_(
            "退出案件演示数据：钟山县 %(cases)d 个贫困户退出案件（%(announced)d 个已公告），%(villages)d 个贫困村退出"
        )
        % made
        + " / demo exit cases: {cases} household cases in 钟山 ({announced} announced), "
        "{villages} village exits".format(**made),
        counts=made,
    )
