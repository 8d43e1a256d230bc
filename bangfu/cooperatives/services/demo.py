"""Demo records of issue 4 items 5–9 for the demo registry, in the seeds' proportions, written
through the apps' services (validated, audited). Run by the funds demo (`bangfu demo-funds`, and
the `money` step of `bangfu demo`) after the money, so the books still reconcile (none of these
records is money of a fund source).

- Cooperatives (seed 003): one per village with households, its industry, about a third of the
  village's registered households as members (shares 1,000–5,000元) and two or three members
  who are not registered; a purchase contract with a buyer; a year's profit and jobs for 2019
  and 2020 and dividends of 30 % of the profit by shares. The first village's cooperative is the
  seed's: 16万元 profit in 2019 with 12 registered households employed.
- Microcredit (seed 002): per county a loan product 半夏贷 (农业银行, 5万元, 36 months) and loans to
  one household in ten, 4.8万元 on average — the seed's 480万元 per 1,000 households; most
  current, some repaid, a few overdue.
- Employment: per county a labour-export agreement with a 广东 company brokered by the county's
  unit; jobs for one working-age member (18–55) of about 40 % of households, of the four kinds
  (劳务输出 under the agreement 50 %, 就近务工 25 %, 公益性岗位 15 %, 社区工厂/扶贫车间 10 %).
- Consumption assistance: each assigned unit buys its village cooperative's products twice a
  year.
- Recurring commitment (seed 004): in 钟山 (451122) a bank promises 1000元 a month to each
  student of one family (two at university, one at senior school) until graduation, with the
  payments made — one month missed, so the overdue check shows it.

Deterministic for a seed.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.db import transaction

from bangfu.assistance.models import Assignment
from bangfu.registry.models import Household, Member

from ..choices import Industry
from . import cooperatives as coop_service

D = datetime.date
CENT = Decimal("0.01")
INDUSTRIES = [
    (Industry.HERBS, "中药材", "广西某药业有限公司"),
    (Industry.PLANTING, "砂糖橘", "某果业有限公司"),
    (Industry.BREEDING, "生猪", "某食品有限公司"),
    (Industry.PLANTING, "百香果", "某农产品有限公司"),
    (Industry.BREEDING, "小龙虾", "某水产有限公司"),
]
JOB_KINDS = [("labour_export", 50), ("nearby", 25), ("public_welfare", 15), ("workshop", 10)]
STUDENT_DONOR = "广西农村信用社钟山支行"


@dataclass
class DemoEconomy:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


def _age(member: Member, on: datetime.date) -> int:
    b = member.birth_date
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


@transaction.atomic
def build(villages, seed: int = 0) -> DemoEconomy:
    """`villages`: the demo villages with households (Region rows), in code order."""
    from bangfu.commitments.services import commitments
    from bangfu.consumption.services.purchases import record_purchase
    from bangfu.credit.services import loans
    from bangfu.employment.services import jobs

    rng = random.Random(seed * 7919 + 4)
    made = DemoEconomy()
    counties: dict[str, dict] = {}
    for index, village in enumerate(villages):
        assignment = (
            Assignment.objects.filter(village_id=village.code).select_related("unit").first()
        )
        unit = assignment.unit if assignment else None
        households = list(
            Household.objects.filter(region__pk__startswith=village.code).order_by("pk")
        )
        if not households:
            continue
        county = counties.setdefault(
            village.code[:6], {"region": village.parent, "households": [], "unit": unit}
        )
        county["households"].extend(households)
        # --- the village cooperative (seed 003) ---
        industry, product, buyer = INDUSTRIES[index % len(INDUSTRIES)]
        coop = coop_service.create_cooperative(
            name=f"{village.name}{product}专业合作社",
            village=village,
            industry=industry,
            founded=D(2017, rng.randint(1, 12), 1),
            unit=unit,
        )
        made.add("cooperatives")
        members = []
        for household in rng.sample(households, max(1, len(households) // 3)):
            members.append(
                coop_service.add_member(
                    coop,
                    household=household,
                    shares=Decimal(rng.randint(1, 5) * 1000),
                    joined=D(2017, rng.randint(6, 12), 1),
                )
            )
        for name in ("陶荣升", "韦大山", "黄秀英")[: rng.randint(2, 3)]:
            members.append(
                coop_service.add_member(
                    coop, name=name, shares=Decimal(rng.randint(5, 20) * 1000), joined=D(2017, 5, 1)
                )
            )
        made.add("memberships", len(members))
        coop_service.add_contract(
            coop,
            buyer=buyer,
            product=product,
            start_date=D(2018, 1, 1),
            end_date=D(2022, 12, 31),
            quantity=f"{rng.randint(50, 300)}吨/年",
            price="保底价收购",
        )
        total_shares = sum(m.shares for m in members)
        for year in (2019, 2020):
            if index == 0 and year == 2019:
                profit, employed, poor = Decimal("160000"), 15, 12  # seed 003
            else:
                profit = Decimal(rng.randint(3, 12) * 10000)
                poor = rng.randint(2, 10)
                employed = poor + rng.randint(0, 5)
            coop_service.record_year(
                coop, year, profit=profit, jobs=employed, poor_jobs=min(poor, employed)
            )
            pot = profit * Decimal("0.3")
            for m in members:
                amount = (pot * m.shares / total_shares).quantize(CENT, rounding=ROUND_DOWN)
                if amount > 0:
                    coop_service.pay_dividend(
                        coop, year, amount, membership=m, paid_on=D(year + 1, 1, 20)
                    )
                    made.add("dividends")
        # --- consumption assistance: the village's unit buys the cooperative's products ---
        if unit is not None:
            for year in (2019, 2020):
                for month in (1, 9):
                    record_purchase(
                        unit=unit,
                        village=village,
                        cooperative=coop,
                        product=product,
                        quantity=f"{rng.randint(5, 40) * 100}斤",
                        amount=Decimal(rng.randint(20, 150) * 100),
                        date=D(year, month, rng.randint(5, 25)),
                    )
                    made.add("purchases")
    for _code, county in sorted(counties.items()):
        region, households = county["region"], county["households"]
        while region is not None and len(region.code) > 6:
            region = region.parent
        # --- microcredit (seed 002) ---
        product = loans.create_product(
            name="半夏贷",
            bank="中国农业银行",
            region=region,
            rate=Decimal("4.35"),
            max_amount=Decimal("50000"),
            term_months=36,
        )
        made.add("loan_products")
        for household in rng.sample(households, max(1, len(households) // 10)):
            date = D(2018, rng.randint(3, 12), rng.randint(1, 28))
            roll = rng.random()
            fields = {}
            if roll < 0.25:
                fields = {"repayment": "repaid", "repaid_date": D(2020, rng.randint(1, 12), 15)}
            elif roll < 0.32:
                fields = {"repayment": "overdue"}
            loans.record_loan(
                household=household,
                product=product,
                amount=Decimal(rng.randint(9, 10) * 5000),  # 4.5–5万, 4.8万 on average
                date=date,
                term_months=36,
                purpose=rng.choice(["种植半夏", "中蜂养殖", "种植花椒", "养殖生猪"]),
                **fields,
            )
            made.add("loans")
        # --- employment ---
        agreement = jobs.create_agreement(
            company="广东某电子科技有限公司",
            region=region,
            unit=county["unit"],
            start_date=D(2019, 2, 1),
            end_date=D(2021, 12, 31),
            places=max(10, len(households) // 4),
        )
        made.add("agreements")
        workers = list(
            Member.objects.filter(household__in=[h.pk for h in households]).order_by(
                "household_id", "pk"
            )
        )
        by_household: dict[int, list[Member]] = {}
        for m in workers:
            if 18 <= _age(m, D(2019, 1, 1)) <= 55:
                by_household.setdefault(m.household_id, []).append(m)
        kinds, weights = zip(*JOB_KINDS, strict=True)
        for household_id in sorted(by_household):
            if rng.random() >= 0.4:
                continue
            member = rng.choice(by_household[household_id])
            kind = rng.choices(kinds, weights)[0]
            months = rng.randint(6, 12) if kind != "public_welfare" else 12
            monthly = {"labour_export": 3500, "nearby": 2200, "public_welfare": 800}.get(kind, 1800)
            jobs.record_job(
                member=member,
                kind=kind,
                employer={
                    "labour_export": agreement.company,
                    "nearby": "本县某种植基地",
                    "public_welfare": "村民委员会（护林员、保洁员）",
                    "workshop": "村扶贫车间",
                }[kind],
                agreement=agreement if kind == "labour_export" else None,
                year=2019,
                months=months,
                income=Decimal(monthly * months),
                start_date=D(2019, 13 - months, 1),
                end_date=D(2019, 12, 31),
            )
            made.add("jobs")
    # --- the bank's promise to a family's students until graduation (seed 004) ---
    family = (
        Household.objects.filter(region__pk__startswith="451122", members__isnull=False)
        .order_by("pk")
        .first()
    )
    if family is not None:
        students = list(family.members.order_by("-birth_date", "pk")[:3])
        graduation = [D(2021, 6, 30), D(2022, 6, 30), D(2023, 6, 30)]
        for i, student in enumerate(students):
            commitment = commitments.make_commitment(
                household=family,
                member=student,
                donor=STUDENT_DONOR,
                purpose="在读学生生活费资助，每人每月1000元，直至毕业",
                amount=Decimal("1000"),
                period="monthly",
                start_date=D(2019, 9, 10),
                end_event="graduation",
            )
            commitment = commitments.record_end_event(commitment, graduation[i])
            made.add("commitments")
            due = D(2019, 9, 10)
            while due <= graduation[i]:
                if not (i == 0 and due == D(2020, 2, 10)):  # one month missed: overdue
                    commitments.record_payment(commitment, due, Decimal("1000"), date=due)
                    made.add("commitment_payments")
                due = D(due.year + due.month // 12, due.month % 12 + 1, 10)
    return made
