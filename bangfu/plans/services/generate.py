"""Generated household plans (一户一策) for the demo county (seed 004: 41 cadres of 钟山's
县委组织部 writing one plan for each of their 76 paired households).

    generate_household_plans(
        pairings,              # iterable of assistance.Pairing (cadre ↔ household), e.g.
                               # Pairing.objects.filter(cadre__unit__in=…); select_related
                               # ("cadre", "household") saves queries
        *,
        start: date,           # the plans' period (inclusive), end after start
        end: date,
        seed: int = 0,         # same pairings + same seed → the same plans and measures
        today: date | None = None,   # measures due before it are mostly completed; default today
    ) -> list[Plan]

For each pairing's household it creates one household plan (author: the pairing's cadre,
responsible unit: the cadre's unit, status 执行中 or 已完成 by `end`, a target income per person
and industries) with 2–4 measures of different kinds owned by the cadre, with costs, due dates in
the period and — for those due before `today` — mostly completed with a done date and evidence.
A household that already has a household plan overlapping the period is skipped, so running it
again adds nothing. Everything is written in bulk (`bulk_create`, audit entries with
`core.audit.bulk_record`) in one transaction, in the current audit context.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bangfu.core.audit import bulk_record, entry, snapshot
from bangfu.core.choices import AuditAction

from ..choices import MeasureKind, MeasureStatus, PlanStatus
from ..filters import plan_period_q
from ..models import Measure, Plan

MEASURE_TEXTS = {
    MeasureKind.INDUSTRY: ("发展养牛 2 头", "种植砂糖橘 3 亩", "养殖土鸡 200 羽", "种植油茶 5 亩"),
    MeasureKind.EMPLOYMENT: ("推荐到广东务工", "安排生态护林员公益性岗位", "推荐到社区工厂就业"),
    MeasureKind.EDUCATION: ("落实雨露计划补助", "落实义务教育阶段资助"),
    MeasureKind.HEALTH: ("签约家庭医生", "落实慢性病门诊报销"),
    MeasureKind.HOUSING: ("危房改造",),
    MeasureKind.FINANCE: ("申请扶贫小额信贷 5 万元",),
    MeasureKind.SOCIAL_SECURITY: ("纳入农村低保",),
    MeasureKind.ECOLOGY: ("申请生态公益林补偿",),
}
KINDS = list(MEASURE_TEXTS)
WEIGHTS = [6, 5, 3, 3, 1, 2, 1, 1]
INDUSTRIES = ("养牛", "砂糖橘", "土鸡", "油茶", "蔬菜", "生猪")


def _days(start: datetime.date, end: datetime.date) -> int:
    return max(0, (end - start).days)


@transaction.atomic
def generate_household_plans(
    pairings: Iterable,
    *,
    start: datetime.date,
    end: datetime.date,
    seed: int = 0,
    today: datetime.date | None = None,
) -> list[Plan]:
    if end <= start:
        raise ValueError("end must be after start")
    today = today or timezone.localdate()
    rng = random.Random(seed)
    pairings = sorted(pairings, key=lambda p: (p.household_id, p.pk))
    planned = set(
        Plan.objects.filter(
            plan_period_q(start, end),
            household__in=[p.household_id for p in pairings],
        ).values_list("household_id", flat=True)
    )
    plans, seen = [], set()
    for pairing in pairings:
        household = pairing.household
        if household.pk in planned or household.pk in seen:
            continue
        seen.add(household.pk)
        industries = rng.sample(INDUSTRIES, 2)
        plans.append(
            Plan(
                title=f"{household.household_no} 一户一策（{start.year}–{end.year}）",
                household=household,
                region_id=household.region_id,
                unit_id=pairing.cadre.unit_id,
                author_id=pairing.cadre_id,
                start_date=start,
                end_date=end,
                target_income_per_capita=Decimal(rng.randrange(40, 70) * 100),
                industries="、".join(industries),
                other_goals="两不愁三保障全部达标",
                status=PlanStatus.COMPLETED if end < today else PlanStatus.ACTIVE,
            )
        )
    Plan.objects.bulk_create(plans)
    measures = []
    for plan in plans:
        kinds, wanted = [], rng.randint(2, 4)
        while len(kinds) < wanted:
            kind = rng.choices(KINDS, WEIGHTS)[0]
            if kind not in kinds:
                kinds.append(kind)
        for kind in kinds:
            due = start + datetime.timedelta(days=rng.randint(60, max(60, _days(start, end))))
            due = min(due, end)
            status, done, evidence = MeasureStatus.PLANNED, None, ""
            if due < today and rng.random() < 0.85:
                status = MeasureStatus.COMPLETED
                latest = min(due, today)
                done = latest - datetime.timedelta(
                    days=rng.randint(0, min(60, _days(start, latest)))
                )
                evidence = "已入户核实，资料已归档"
            elif due < today and rng.random() < 0.5:
                status = MeasureStatus.CANCELLED
            elif start <= today:
                status = rng.choice([MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS])
            measures.append(
                Measure(
                    plan=plan,
                    kind=kind,
                    description=rng.choice(MEASURE_TEXTS[kind]),
                    owner_id=plan.author_id,
                    cost=Decimal(rng.randrange(0, 60) * 500),
                    due_date=due,
                    status=status,
                    done_date=done,
                    evidence=evidence,
                )
            )
    Measure.objects.bulk_create(measures)
    audit = []
    for obj in [*plans, *measures]:
        subject = obj if isinstance(obj, Plan) else obj.plan
        subject = subject.household if subject.household_id else subject
        audit.append(
            entry(
                AuditAction.CREATE,
                obj._meta.label_lower,
                obj.pk,
                str(obj),
                subject._meta.label_lower,
                subject.pk,
                None,
                snapshot(obj, obj.get_audit_fields()),
            )
        )
    bulk_record(audit)
    return plans
