"""Demo money for the demo registry (`bangfu demo-funds`), in the seeds' proportions, written
through the services so the books reconcile by construction (`bangfu reconcile-funds` is clean):

- per village with households: a 财政专项资金 source of 100–300万元 (a village received 471万 in
  one seed), 2–6 projects of 4 kinds or so (产业, 基础设施, 危房改造, 村集体经济, 教育, 党群服务阵地,
  文化设施 …) with budgets of 10–100万, funded 50–100 % from the source, with outputs (公里 of
  road, 盏 of lights, 亩 of orchard, 个岗位) and beneficiaries from the village; industry
  subsidies (产业奖补) of 1,000–5,000元 to about 30 % of its households, household by household;
- per county: three companies' donations of 100万 each (300多万 from three companies) and a
  危房改造资金池 filled with 20多万 of them, from which 18 households get 1.2万 each (aid);
- then cooperatives, loans (半夏贷), labour agreements and jobs, consumption purchases and the
  bank's monthly promise to a family's students (`bangfu.cooperatives.services.demo`).

Deterministic for a seed; units are the ones assigned to the village when the assistance demo
exists, else none.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from bangfu.assistance.models import Assignment
from bangfu.regions.choices import Level
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from ..choices import AllocationKind, DonorKind, ProjectKind, ProjectStatus, SourceKind
from ..models import Donation, FundPool, FundSource, Project
from . import allocations, funds, projects

OUTPUTS = {
    ProjectKind.INFRASTRUCTURE: [("硬化道路", "公里", 1, 12), ("太阳能路灯", "盏", 20, 120)],
    ProjectKind.INDUSTRY: [("种植基地", "亩", 50, 600), ("带动就业", "个岗位", 5, 40)],
    ProjectKind.HOUSING: [("危房改造", "户", 5, 30)],
    ProjectKind.COLLECTIVE: [("标准厂房", "平方米", 200, 1500)],
    ProjectKind.EDUCATION: [("改造教室", "间", 2, 12)],
    ProjectKind.PARTY: [("村级活动场所", "个", 1, 1)],
    ProjectKind.CULTURE: [("文化广场", "个", 1, 2)],
    ProjectKind.ECOLOGY: [("植树造林", "亩", 100, 800)],
}
KIND_WEIGHTS = [
    (ProjectKind.INDUSTRY, 30),
    (ProjectKind.INFRASTRUCTURE, 30),
    (ProjectKind.HOUSING, 10),
    (ProjectKind.COLLECTIVE, 10),
    (ProjectKind.EDUCATION, 6),
    (ProjectKind.PARTY, 6),
    (ProjectKind.CULTURE, 4),
    (ProjectKind.ECOLOGY, 4),
]
COMPANIES = ["广西某药业有限公司", "某建设集团有限公司", "某农业科技有限公司"]


@dataclass
class DemoFunds:
    sources: int = 0
    projects: int = 0
    allocations: int = 0
    economy: dict = field(default_factory=dict)  # cooperatives, loans, jobs … (their counts)


def _wan(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) * 100  # whole hundreds of yuan


def _unit_of(village: str):
    a = Assignment.objects.filter(village_id=village).select_related("unit").first()
    return a.unit if a else None


@transaction.atomic
def build(seed: int = 0, region: str = "") -> DemoFunds:
    rng = random.Random(seed)
    result = DemoFunds()
    # Villages with households in them or in their groups (村民小组: the battle-zone county
    # registers households at group level).
    with_households = Household.objects.values("region_id")
    villages = (
        Region.objects.filter(code__startswith=region, level=Level.VILLAGE)
        .filter(Q(pk__in=with_households) | Q(children__pk__in=with_households))
        .distinct()
        .order_by("code")
    )
    day = datetime.date(2019, 3, 1)
    counties: dict[str, list[Household]] = {}
    for village in villages:
        unit = _unit_of(village.code)
        households = list(
            Household.objects.filter(region__pk__startswith=village.code).order_by("pk")
        )
        counties.setdefault(village.code[:6], []).extend(households)
        source = funds.save_source(
            FundSource(
                kind=SourceKind.FISCAL,
                name=f"{village.name}2019年财政专项扶贫资金",
                year=2019,
                amount=_wan(rng, 100, 300),
                unit=unit,
                region=village,
                date=day,
                document_no=f"龙财农〔2019〕{rng.randint(1, 99)}号",
            )
        )
        result.sources += 1
        left = source.amount
        kinds = [k for k, _ in KIND_WEIGHTS]
        weights = [w for _, w in KIND_WEIGHTS]
        for i in range(rng.randint(2, 6)):
            kind = rng.choices(kinds, weights)[0]
            budget = _wan(rng, 10, 100)
            done = rng.random() < 0.6
            project = projects.save_project(
                Project(
                    kind=kind,
                    name=f"{village.name}{ProjectKind(kind).label}项目{i + 1}",
                    village=village,
                    unit=unit,
                    budget=budget,
                    status=ProjectStatus.ACCEPTED if done else ProjectStatus.UNDERWAY,
                    start_date=datetime.date(2019, rng.randint(3, 9), 1),
                    completion_date=datetime.date(2020, rng.randint(1, 9), 1) if done else None,
                )
            )
            result.projects += 1
            for name, measure, low, high in OUTPUTS.get(kind, []):
                projects.add_output(project, name, Decimal(rng.randint(low, high)), measure)
            if households:
                projects.set_beneficiaries(
                    project, rng.sample(households, min(len(households), rng.randint(5, 40)))
                )
            funded = min(
                left, (budget * Decimal(rng.randint(50, 100)) / 100).quantize(Decimal("1"))
            )
            if funded > 0:
                allocations.allocate(
                    amount=funded,
                    date=datetime.date(2019, rng.randint(4, 12), 1),
                    purpose=f"{project.name}建设资金",
                    source=source,
                    project=project,
                    unit=unit,
                )
                left -= funded
                result.allocations += 1
        for household in households:
            if rng.random() < 0.3:
                amount = Decimal(rng.randint(10, 50) * 100)
                if amount > left:
                    break
                allocations.allocate(
                    amount=amount,
                    date=datetime.date(2019, rng.randint(5, 12), rng.randint(1, 28)),
                    purpose="产业奖补",
                    kind=AllocationKind.AWARD,
                    source=source,
                    household=household,
                    unit=unit,
                )
                left -= amount
                result.allocations += 1
    for county_code, households in counties.items():
        county = Region.objects.get(pk=county_code)
        pool = funds.save_pool(
            FundPool(name=f"{county.name}危房改造资金池", purpose="危房改造", region=county)
        )
        for i, company in enumerate(COMPANIES):
            donation = funds.save_donation(
                Donation(
                    donor_name=company,
                    donor_kind=DonorKind.COMPANY,
                    amount=Decimal("1000000.00"),
                    date=datetime.date(2019, 6, 1 + i),
                    purpose="产业发展和危房改造",
                    region=county,
                )
            )
            result.sources += 1
            allocations.put_into_pool(
                pool, donation.source, Decimal("72000.00"), day.replace(month=7)
            )
        for household in rng.sample(households, min(18, len(households))):
            allocations.allocate(
                amount=Decimal("12000.00"),
                date=datetime.date(2019, rng.randint(8, 12), 1),
                purpose="危房改造补助",
                kind=AllocationKind.AID,
                pool=pool,
                household=household,
            )
            result.allocations += 1
    # What the money builds around the households (cooperatives, loans, jobs, purchases, the
    # bank's promise to students): other apps, none of it money of a fund source.
    from bangfu.cooperatives.services.demo import build as build_economy

    result.economy = build_economy(list(villages), seed=seed).counts
    return result
