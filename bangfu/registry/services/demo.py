"""The demo registry: a fictional but realistic county registry modelled on the seed reports.

`build(seed, households)` writes, in a few set-based statements:

* the region tree: 广西壮族自治区 (45, western region) › 崇左市 › 龙州县 with five townships and the
  seven poor villages backed by 自治区公安厅 in seed 000 (新联, 罗回, 峡岗, 思奇, 独山, 贯明, 北胜),
  贺州市 › 钟山县 › 公安镇 › 大桥村, 江台村 of seed 004, three non-poor villages, and a few
  村民小组 (15-digit codes) under 新联村 and 大桥村;
* households spread over the villages in proportion to the seeds (the seven villages of seed 000
  share 1,442 poor households: 1,412 exited = 97.9 %; 大桥村 166 and 江台村 67, i.e. the 159 and
  61 households in industry at 95.78 % and 91 % coverage), scaled to the requested total;
* members with plausible family structures, fictional names (surname + given-name lists), valid
  ID numbers under the county's code (birth date from the member's age, odd sequence for men);
  every member is born before September 2015, so the household is the same in every survey year;
* a survey per household for every year 2015–2020 with the members' facts: income rising from
  below the poverty line of the year to above it in the exit year, dilapidated housing (C/D) and
  missing water, road, TV, insurance and schooling fixed by the exit year at the latest;
* a status history: 建档立卡 in the registered year (2014–2016), 已脱贫 at the end of the exit
  year (2016–2020), and for about 1.5 % a fall back (返贫) the next year and a second exit;
* the demo users (password ``bangfu-demo``) and one audit entry per household and per region.

Same seed and size → the same data, row for row (only database ids and times differ).

Rural population (户籍人口) assumed per village, the denominator of poverty incidence: later
issues store it as a village fact (``rural_population``). The values below are for the seed-sized
registry (the "base" households); for another size they scale with the village's household count
(`rural_population()` gives the value for a run). At the default 2,000 households they are:
新联 3,947 · 罗回 2,202 · 峡岗 3,596 · 思奇 3,474 · 独山 3,355 · 贯明 3,712 · 北胜 3,601 ·
大桥 2,313 · 江台 1,164 · 春秀 2,530 · 共和 2,333 · 荷塘 1,867 (base values: `VILLAGES`).
The households still poor at the end of 2020 are chosen (small households with illness, disability
or no labour first) so that their members over that population give the incidence of the seeds:
0.32 % or less in the seven villages of seed 000, 0.64 % in 大桥村, 0.82 % in 江台村, about
0.05 % in the three non-poor villages. About 97.5 % of the households have exited by the end of
2020 (98 % in the seven villages of seed 000).
"""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from bangfu.accounts.choices import Role
from bangfu.accounts.models import User
from bangfu.core import audit
from bangfu.core.choices import AuditAction, ChangeSource
from bangfu.regions.codes import level_of, parent_code
from bangfu.regions.models import Region
from bangfu.registry import idnumber
from bangfu.registry.models import Household, Member, MemberSurvey, StatusChange, Survey

DEFAULT_SEED = 2015
DEFAULT_HOUSEHOLDS = 2000
PASSWORD = "bangfu-demo"
YEARS = tuple(range(2015, 2021))
# standards.md defaults, yuan per person per year.
POVERTY_LINE = {2014: 2800, 2015: 2855, 2016: 2952, 2017: 2952, 2018: 2995, 2019: 3218, 2020: 4000}

# code → (name, registered poor). Every region is in the western region (Guangxi).
REGIONS: dict[str, tuple[str, bool]] = {
    "45": ("广西壮族自治区", False),
    "4514": ("崇左市", False),
    "451423": ("龙州县", True),
    "451423100": ("下冻镇", False),
    "451423100201": ("新联村", True),
    "451423100202": ("罗回村", True),
    "451423100203": ("春秀村", False),
    "451423101": ("水口镇", False),
    "451423101201": ("峡岗村", True),
    "451423101202": ("共和村", False),
    "451423102": ("金龙镇", False),
    "451423102201": ("贯明村", True),
    "451423102202": ("北胜村", True),
    "451423200": ("武德乡", False),
    "451423200201": ("独山村", True),
    "451423201": ("上降乡", False),
    "451423201201": ("思奇村", True),
    "4511": ("贺州市", False),
    "451122": ("钟山县", False),
    "451122100": ("公安镇", False),
    "451122100201": ("大桥村", True),
    "451122100202": ("江台村", True),
    "451122100203": ("荷塘村", False),
}
# 村民小组 with their own codes (households keep the village as region, the group as group_name).
GROUPS: dict[str, list[str]] = {
    "451423100201": ["那堪屯", "弄平屯", "板孟屯", "陇良屯", "那江屯"],
    "451122100201": ["大桥街", "新邓塘", "土塘", "老屋", "石龙"],
}


@dataclass(frozen=True)
class VillagePlan:
    code: str
    base_households: int  # registered poor households in the seed-sized registry
    base_rural_population: int  # 户籍人口 assumed for the seed-sized registry
    incidence_2020: float  # target poverty incidence at the end of 2020, in %
    exit_peak: int  # the year most of its households exited (the village's 脱贫出列)


VILLAGES: tuple[VillagePlan, ...] = (
    VillagePlan("451423100201", 230, 3400, 0.30, 2018),  # 新联
    VillagePlan("451423100202", 245, 1900, 0.32, 2018),  # 罗回 (139 in the duck cooperative)
    VillagePlan("451423101201", 200, 3100, 0.29, 2017),  # 峡岗
    VillagePlan("451423201201", 190, 3000, 0.31, 2019),  # 思奇
    VillagePlan("451423200201", 185, 2900, 0.30, 2019),  # 独山
    VillagePlan("451423102201", 200, 3200, 0.32, 2018),  # 贯明
    VillagePlan("451423102202", 192, 3100, 0.30, 2019),  # 北胜
    VillagePlan("451122100201", 166, 2000, 0.64, 2018),  # 大桥 (脱贫出列 2018)
    VillagePlan("451122100202", 67, 1000, 0.82, 2019),  # 江台
    VillagePlan("451423100203", 20, 2200, 0.05, 2017),  # 春秀 (not a poor village)
    VillagePlan("451423101202", 18, 2000, 0.05, 2017),  # 共和 (not a poor village)
    VillagePlan("451122100203", 12, 1600, 0.06, 2017),  # 荷塘 (not a poor village)
)

# --- names (fictional: built from lists, not taken from people) ------------------------------

SURNAMES = {
    "451423": "农黄李赵陆韦梁蒙覃闭马苏冯凌许何莫沈邓卢廖谭零言",
    "451122": "陶郭钟陈黄李廖邓刘董莫罗张彭林叶吴盘赵",
    "610928": "王张李刘陈杨吴周胡徐柯童蔡邹金程龚罗",
}
GIVEN_OLD = {
    "male": "文明志强国华建军海伟勇平春德福贵成林光荣永新宏家俊斌涛雄庆金宝松忠武安和祥生才发东锋",
    "female": "秀英兰芳桂丽梅玉红燕琴霞萍娟莲凤花月珍婷敏静艳春美妹金秋雪慧",
}
GIVEN_YOUNG = {
    "male": "浩宇轩杰博晨睿铭嘉子梓俊鑫磊豪航泽宏昊毅阳天",
    "female": "欣怡雨佳思琪萱涵诗婉瑶婷可馨雯悦彤蕾妍晴心",
}
GROUP_PREFIX = {
    "451423": "那弄板陇岜百念叫",
    "451122": "上下新老石黄岭塘",
    "610928": "东西南北前后上下",
}
GROUP_SUFFIX = {
    "451423": "堪平孟良浪江坡湾岭造旺门怀桑利",
    "451122": "湾竹脚冲屋村寨岗坪垌",
    "610928": "沟湾坪垭岭坡梁院",
}
# (ethnicity, weight) per county: 壮族 in 龙州; 汉族 with 瑶族 in 钟山.
ETHNICITIES = {
    "451423": (("壮族", 88), ("汉族", 9), ("瑶族", 2), ("苗族", 1)),
    "451122": (("汉族", 80), ("瑶族", 13), ("壮族", 7)),
    "610928": (("汉族", 99), ("回族", 1)),
}
PHONE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "177 180 181 182 183 185 186 187 188 189 198 199"
).split()

CAUSES = (
    ("illness", 25),
    ("lack_funds", 22),
    ("lack_skills", 20),
    ("schooling", 8),
    ("lack_labour", 8),
    ("disability", 6),
    ("poor_transport", 4),
    ("lack_land", 3),
    ("disaster", 2),
    ("lack_motivation", 2),
)


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def allocate(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder, deterministic)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def village_counts(households: int = DEFAULT_HOUSEHOLDS) -> dict[str, int]:
    counts = allocate(households, [v.base_households for v in VILLAGES])
    return {v.code: n for v, n in zip(VILLAGES, counts, strict=True)}


def rural_population(code: str, households: int = DEFAULT_HOUSEHOLDS) -> int:
    """The rural registered population assumed for a village in a demo of `households`."""
    plan = next(v for v in VILLAGES if v.code == code)
    n = village_counts(households)[code]
    return round(plan.base_rural_population * n / plan.base_households)


# --- the plan of one household, built in Python ------------------------------------------------


@dataclass
class PersonPlan:
    name: str
    relation: str
    sex: str
    born: datetime.date
    ethnicity: str
    id_number: str = ""
    attainment: str = "junior"  # 文化程度 once out of school
    health: str = "healthy"
    destination: str = "none"  # where a working adult works once the household is better off
    skilled: bool = False
    secondary_track: str = "senior"  # after junior school: senior, secondary_vocational, work
    tertiary: bool = False
    pension: bool = True


@dataclass
class HouseholdPlan:
    village: str
    number: int
    group_name: str
    members: list[PersonPlan]
    category: str = "ordinary"
    main_cause: str = "lack_funds"
    other_causes: list[str] = field(default_factory=list)
    registered_year: int = 2014
    phone: str = ""
    template: str = "nuclear"
    exit_year: int | None = None  # final exit, None when still poor
    first_exit: int | None = None
    fallback_year: int | None = None
    prosperity: float = 0.5
    farmland: Decimal = Decimal("2.0")
    fixed: dict = field(default_factory=dict)  # fact → first year it holds
    dilapidated: str = ""  # C or D before housing is fixed
    relocation_year: int | None = None
    dropout: tuple[int, int] | None = None  # (member index, last year out of school)
    uninsured: int | None = None  # member index without medical insurance before fixed year
    remaining_failure: str = ""  # why a household above the line in 2020 is still poor
    surveys: list = field(default_factory=list)  # (year, survey facts, [member facts])

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def household_no(self) -> str:
        return f"{self.village}{self.number:04d}"

    def poor_in(self, year: int) -> bool:
        if self.exit_year is None:
            return True
        if self.fallback_year == year:
            return True
        return year < (self.first_exit or self.exit_year)


def age_on(born: datetime.date, year: int) -> int:
    """Full years on 1 September of `year` (standards.md)."""
    ref = datetime.date(year, 9, 1)
    return ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))


class _Generator:
    def __init__(self, seed: int, households: int):
        self.rng = random.Random(seed)
        self.households = households
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()

    # -- people
    def born(self, year_from: int, year_to: int) -> datetime.date:
        year = self.rng.randint(year_from, year_to)
        last_month = 8 if year == 2015 else 12
        return datetime.date(year, self.rng.randint(1, last_month), self.rng.randint(1, 28))

    def given(self, sex: str, born: datetime.date) -> str:
        chars = GIVEN_YOUNG[sex] if born.year >= 1995 else GIVEN_OLD[sex]
        if self.rng.random() < 0.7:
            return "".join(self.rng.sample(chars, 2))
        return self.rng.choice(chars)

    def person(self, county, surname, relation, sex, born, ethnicity) -> PersonPlan:
        rng = self.rng
        p = PersonPlan(
            name=surname + self.given(sex, born),
            relation=relation,
            sex=sex,
            born=born,
            ethnicity=ethnicity,
        )
        while True:
            seq = rng.randrange(1 if sex == "male" else 0, 1000, 2)
            value = idnumber.make(county, born, seq)
            if value not in self.used_ids:
                self.used_ids.add(value)
                p.id_number = value
                break
        y = born.year
        if y < 1955:
            p.attainment = _weighted(rng, (("illiterate", 40), ("primary", 60)))
        elif y < 1976:
            p.attainment = _weighted(rng, (("primary", 50), ("junior", 45), ("senior", 5)))
        else:
            p.attainment = _weighted(
                rng,
                (
                    ("primary", 12),
                    ("junior", 60),
                    ("senior", 15),
                    ("secondary_vocational", 9),
                    ("college", 4),
                ),
            )
        p.destination = _weighted(
            rng,
            (("outside", 40), ("province", 15), ("county", 20), ("township", 10), ("none", 15)),
        )
        p.skilled = rng.random() < 0.15
        p.secondary_track = _weighted(
            rng, (("senior", 45), ("secondary_vocational", 30), ("work", 25))
        )
        p.tertiary = rng.random() < 0.2
        p.pension = rng.random() < 0.9
        if y < 1950 and rng.random() < 0.35:
            p.health = "chronic"
        return p

    def ethnicity(self, county: str) -> str:
        return _weighted(self.rng, ETHNICITIES[county])

    def surname(self, county: str, avoid: str = "") -> str:
        while True:
            s = self.rng.choice(SURNAMES[county])
            if s != avoid:
                return s

    def family(self, county: str) -> tuple[str, list[PersonPlan]]:
        rng = self.rng
        template = _weighted(
            rng,
            (
                ("nuclear", 45),
                ("three_generation", 20),
                ("elderly_couple", 12),
                ("single_elderly", 10),
                ("single_parent", 8),
                ("single_adult", 5),
            ),
        )
        eth = self.ethnicity(county)
        surname = self.surname(county)
        members: list[PersonPlan] = []

        def add(relation, sex, born, family_name=None, ethnicity=None):
            p = self.person(county, family_name or surname, relation, sex, born, ethnicity or eth)
            members.append(p)
            return p

        def other_eth():
            return eth if rng.random() < 0.85 else self.ethnicity(county)

        def children(parent_born: datetime.date, n: int, family_name=None, grand=False):
            lo = max(parent_born.year + 20, 1990 if not grand else 2000)
            hi = min(parent_born.year + 40, 2015)
            if lo > hi:
                return
            for _ in range(n):
                sex = "male" if rng.random() < 0.53 else "female"
                if grand:
                    relation = "grandson" if sex == "male" else "granddaughter"
                else:
                    relation = "son" if sex == "male" else "daughter"
                add(relation, sex, self.born(lo, hi), family_name)

        if template == "nuclear":
            head = add("head", "male" if rng.random() < 0.92 else "female", self.born(1966, 1986))
            spouse_sex = "female" if head.sex == "male" else "male"
            offset = rng.randint(-2, 5) if head.sex == "male" else rng.randint(-5, 2)
            spouse_year = min(max(head.born.year + offset, 1960), 1990)
            spouse = add(
                "spouse",
                spouse_sex,
                self.born(spouse_year, spouse_year),
                self.surname(county, surname),
                other_eth(),
            )
            mother_of_kids = spouse if spouse.sex == "female" else head
            kids_surname = surname if head.sex == "male" else spouse.name[0]
            children(mother_of_kids.born, _weighted(rng, ((1, 35), (2, 45), (3, 20))), kids_surname)
            if rng.random() < 0.4 and head.born.year - 32 >= 1930:
                fy = head.born.year - rng.randint(24, 32)
                if rng.random() < 0.6:
                    add("father", "male", self.born(fy, fy))
                add("mother", "female", self.born(fy + 2, fy + 5), self.surname(county, surname))
        elif template == "three_generation":
            head = add("head", "male", self.born(1948, 1964))
            sy = head.born.year + rng.randint(-1, 4)
            add("spouse", "female", self.born(sy, sy), self.surname(county, surname), other_eth())
            son_year = max(head.born.year + rng.randint(21, 28), 1972)
            son = add("son", "male", self.born(son_year, min(son_year, 1994)))
            dil_year = son.born.year + rng.randint(-1, 4)
            add(
                "daughter_in_law",
                "female",
                self.born(min(dil_year, 1995), min(dil_year, 1995)),
                self.surname(county, surname),
                other_eth(),
            )
            children(son.born, _weighted(rng, ((1, 40), (2, 45), (3, 15))), surname, grand=True)
            if rng.random() < 0.25:
                dy = head.born.year + rng.randint(26, 34)
                add("daughter", "female", self.born(min(dy, 1998), min(dy, 1998)))
        elif template == "elderly_couple":
            head = add("head", "male", self.born(1938, 1958))
            sy = head.born.year + rng.randint(-1, 5)
            add("spouse", "female", self.born(sy, sy), self.surname(county, surname), other_eth())
            if rng.random() < 0.2:
                add("son", "male", self.born(head.born.year + 24, head.born.year + 32))
        elif template == "single_elderly":
            add("head", "male" if rng.random() < 0.65 else "female", self.born(1928, 1955))
        elif template == "single_parent":
            head = add("head", "female" if rng.random() < 0.7 else "male", self.born(1968, 1985))
            children(head.born, _weighted(rng, ((1, 50), (2, 40), (3, 10))))
        else:  # single_adult
            head = add("head", "male", self.born(1960, 1988))
            if rng.random() < 0.5 and head.born.year - 30 >= 1932:
                my = head.born.year - rng.randint(22, 32)
                add("mother", "female", self.born(my, my), self.surname(county, surname))
        return template, members

    # -- households
    def household(self, plan: VillagePlan, number: int, groups: list[str]) -> HouseholdPlan:
        rng = self.rng
        county = plan.code[:6]
        template, members = self.family(county)
        h = HouseholdPlan(
            village=plan.code,
            number=number,
            group_name=rng.choice(groups),
            members=members,
            template=template,
        )
        # cause, category
        if template == "single_elderly":
            h.main_cause = _weighted(
                rng, (("lack_labour", 50), ("illness", 35), ("disability", 15))
            )
            h.category = _weighted(rng, (("tekun", 45), ("dibao", 35), ("ordinary", 20)))
        else:
            h.main_cause = _weighted(rng, CAUSES)
            if h.main_cause == "schooling" and not any(
                1999 <= m.born.year <= 2012 for m in members if m.relation != "head"
            ):
                h.main_cause = "lack_funds"
            if h.main_cause in ("disability", "illness", "lack_labour"):
                h.category = _weighted(rng, (("dibao", 25), ("ordinary", 73), ("tekun", 2)))
            else:
                h.category = _weighted(rng, (("ordinary", 93), ("dibao", 7)))
        extra = [c for c, _ in CAUSES if c != h.main_cause]
        h.other_causes = sorted(
            rng.sample(extra, _weighted(rng, ((0, 35), (1, 45), (2, 20)))),
            key=lambda c: [x for x, _ in CAUSES].index(c),
        )
        if h.main_cause in ("illness", "disability"):
            adults = [m for m in members if m.born.year < 2000] or members
            sick = rng.choice(adults)
            sick.health = (
                "disabled"
                if h.main_cause == "disability"
                else _weighted(rng, (("serious_illness", 40), ("chronic", 60)))
            )
        h.registered_year = _weighted(rng, ((2014, 50), (2015, 38), (2016, 12)))
        if rng.random() < 0.92 or template not in ("single_elderly", "elderly_couple"):
            while True:
                phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
                if phone not in self.used_phones:
                    self.used_phones.add(phone)
                    h.phone = phone
                    break
        h.prosperity = rng.random()
        h.farmland = Decimal(str(round(rng.uniform(0.3, 1.6) * len(members), 1)))
        return h

    def choose_remaining(self, plan: VillagePlan, households: list[HouseholdPlan], target: int):
        """Mark households still poor in 2020 until their members reach `target` persons."""
        rng = self.rng
        hard = ("illness", "disability", "lack_labour")
        keyed = [
            (0 if h.main_cause in hard else 1, {2: 0, 3: 0, 1: 1}.get(h.size, 2), rng.random(), i)
            for i, h in enumerate(households)
        ]
        keyed.sort()
        persons = 0
        remaining = set()
        for *_, i in keyed:
            if persons >= target:
                break
            if persons + households[i].size <= target:
                remaining.add(i)
                persons += households[i].size
        return remaining

    def schedule(self, plan: VillagePlan, h: HouseholdPlan, still_poor: bool):
        """Exit year, fallbacks and the years in which each missing fact gets fixed."""
        rng = self.rng
        if not still_poor:
            p = plan.exit_peak
            year = _weighted(rng, ((p - 2, 15), (p - 1, 30), (p, 35), (p + 1, 15), (p + 2, 5)))
            year = min(max(year, 2016, h.registered_year + 1), 2020)
            h.first_exit = h.exit_year = year
            if year <= 2018 and rng.random() < 0.015:
                h.fallback_year = year + 1
                h.exit_year = year + 2
        deadline = h.first_exit or 2020

        def fix_year(already: float) -> int:
            if rng.random() < already:
                return 2015
            return rng.randint(2016, max(2016, deadline))

        h.fixed = {
            "safe_water": fix_year(0.7),
            "electricity": fix_year(0.96),
            "tv_access": fix_year(0.5),
            "road_hardened": fix_year(0.55),
            "food_clothing_secure": fix_year(0.85),
            "critical_illness_insurance": fix_year(0.5),
        }
        if rng.random() < 0.34:  # 解决无稳固住房 493 of 1,442 households
            h.dilapidated = "D" if rng.random() < 0.35 else "C"
            h.fixed["housing"] = rng.randint(2016, max(2016, deadline))
            if rng.random() < 0.2:
                h.relocation_year = h.fixed["housing"]
        else:
            h.fixed["housing"] = 2015
        if rng.random() < 0.08:
            h.uninsured = rng.randrange(h.size)
            h.fixed["medical"] = rng.randint(2016, min(2017, deadline))
        # a child of 12–15 out of school in 2015 (劝返 102 of ~5,250 people)
        teens = [i for i, m in enumerate(h.members) if 12 <= age_on(m.born, 2015) <= 14]
        if teens and rng.random() < 0.12:
            h.dropout = (rng.choice(teens), rng.choice((2015, 2016)) if deadline > 2016 else 2015)
        if still_poor:
            if rng.random() < 0.3:
                h.remaining_failure = "housing"
                h.dilapidated = h.dilapidated or "C"
                h.fixed["housing"] = 2021
                h.relocation_year = None
            elif rng.random() < 0.15:
                h.remaining_failure = "safe_water"
                h.fixed["safe_water"] = 2021

    # -- surveys
    def member_year(self, h: HouseholdPlan, index: int, m: PersonPlan, year: int) -> dict:
        rng = self.rng
        age = age_on(m.born, year)
        poor = h.poor_in(year)
        schooling = "not_in_school"
        if age < 3:
            schooling = "not_in_school"
        elif age < 6:
            schooling = "preschool"
        elif age <= 11:
            schooling = "primary"
        elif age <= 14:
            schooling = "junior"
        elif age <= 17:
            if age == 15 and m.secondary_track == "work":
                schooling = "junior"
            elif m.secondary_track != "work":
                schooling = m.secondary_track
        elif age <= 21 and m.tertiary and m.secondary_track != "work":
            schooling = (
                "higher_vocational" if m.secondary_track == "secondary_vocational" else "college"
            )
        if h.dropout and h.dropout[0] == index and year <= h.dropout[1]:
            schooling = "dropped_out"
        if m.health == "disabled" and 6 <= age <= 15:
            schooling = "home_taught"
        in_school = schooling not in ("not_in_school", "dropped_out")
        if age < 6:
            education = "preschool_child"
        elif in_school or schooling == "dropped_out":
            education = {
                "primary": "primary",
                "junior": "primary" if age <= 12 else "junior",
                "senior": "junior",
                "secondary_vocational": "junior",
                "higher_vocational": "secondary_vocational",
                "college": "senior",
                "home_taught": "primary",
                "dropped_out": "primary",
                "preschool": "preschool_child",
            }.get(schooling, "primary")
        else:
            education = (
                m.attainment
                if age >= 22
                else (
                    "junior"
                    if m.secondary_track == "work"
                    else ("senior" if m.secondary_track == "senior" else "secondary_vocational")
                )
            )
        # labour and work
        if age < 16 or in_school:
            labour = "none"
        elif m.health == "serious_illness":
            labour = "lost" if age >= 50 else "weak"
        elif m.health == "disabled":
            labour = "lost"
        elif age >= 70:
            labour = "none"
        elif age >= 60 or m.health == "chronic":
            labour = "weak"
        else:
            trained = (
                h.main_cause == "lack_skills"
                and not poor
                and m.relation in ("head", "spouse", "son")
            )
            labour = "skilled" if (m.skilled or trained) else "ordinary"
        work_status, months = "none", 0
        if labour in ("ordinary", "skilled"):
            if poor:
                work_status = m.destination if rng.random() < 0.5 else "none"
                if work_status in ("outside", "province"):
                    work_status = "county" if rng.random() < 0.4 else work_status
                months = rng.randint(3, 8) if work_status != "none" else 0
            else:
                work_status = m.destination
                months = rng.randint(7, 11) if work_status != "none" else 0
        elif labour == "weak" and rng.random() < (0.15 if poor else 0.35):
            work_status, months = "township", rng.randint(2, 6)
        insured = not (h.uninsured == index and year < h.fixed.get("medical", 2015))
        adult = age >= 16 and not in_school
        return {
            "education": education,
            "schooling": schooling,
            "health": m.health,
            "labour_ability": labour,
            "work_status": work_status,
            "work_months": months,
            "medical_insurance": insured,
            "critical_illness_insurance": insured and year >= h.fixed["critical_illness_insurance"],
            "pension_insurance": (m.pension or year >= 2018) if adult else None,
        }

    def income(self, h: HouseholdPlan, year: int, workers: int) -> dict:
        """Income components whose net per person is below or above the line as the plan says."""
        rng = self.rng
        line = POVERTY_LINE[year]
        p = h.prosperity
        if h.exit_year is None and year == 2020:
            # still poor: most below the line, some above it but failing another item
            ratio = rng.uniform(1.03, 1.2) if h.remaining_failure else rng.uniform(0.72, 0.97)
        elif h.poor_in(year):
            ratio = min(0.55 + 0.3 * p + 0.04 * (year - 2015), 0.95)
        else:
            since = year - (h.first_exit or year)
            ratio = 1.12 + 0.8 * p + 0.1 * since + rng.uniform(0, 0.1)
        total = round(line * ratio * h.size)
        transfer_share = (
            rng.uniform(0.35, 0.75) if h.category in ("dibao", "tekun") else rng.uniform(0.04, 0.14)
        )
        property_share = rng.uniform(0.02, 0.06) if year >= 2017 else 0.0
        wage_share = rng.uniform(0.4, 0.7) if workers else 0.0
        transfer = round(total * transfer_share)
        prop = round(total * property_share)
        wage = round(total * wage_share)
        if transfer + prop + wage > total:
            wage = max(total - transfer - prop, 0)
        business_net = total - transfer - prop - wage
        expense = round(business_net * rng.uniform(0.25, 0.45))
        return {
            "wage_income": Decimal(wage),
            "business_income": Decimal(business_net + expense),
            "property_income": Decimal(prop),
            "transfer_income": Decimal(transfer),
            "business_expense": Decimal(expense),
        }

    def survey_facts(self, h: HouseholdPlan, year: int) -> dict:
        relocated = h.relocation_year is not None and year >= h.relocation_year
        fixed_housing = year >= h.fixed["housing"]
        if relocated:
            housing = "A"
        elif fixed_housing:
            housing = "B" if h.dilapidated else ("A" if h.prosperity > 0.4 else "B")
        else:
            housing = h.dilapidated or "B"
        return {
            "farmland_mu": h.farmland,
            "housing_safety": housing,
            "relocated": relocated,
            "safe_water": year >= h.fixed["safe_water"],
            "electricity": year >= h.fixed["electricity"],
            "tv_access": year >= h.fixed["tv_access"],
            "road_hardened": year >= h.fixed["road_hardened"],
            "food_clothing_secure": year >= h.fixed["food_clothing_secure"],
        }


@dataclass
class DemoResult:
    regions: int = 0
    households: int = 0
    members: int = 0
    surveys: int = 0
    member_surveys: int = 0
    status_changes: int = 0
    audit_entries: int = 0
    users: list[str] = field(default_factory=list)
    exited: int = 0
    seconds: float = 0.0
    per_village: dict = field(default_factory=dict)


USERS = (
    # username, role, region, may see personal data, name shown
    ("admin", Role.ADMIN, None, True, "系统管理员"),
    ("longzhou", Role.COUNTY, "451423", True, "龙州县扶贫办"),
    ("xiadong", Role.TOWNSHIP, "451423100", False, "下冻镇"),
    ("xinlian", Role.VILLAGE, "451423100201", False, "新联村第一书记"),
    ("daqiao", Role.VILLAGE, "451122100201", False, "大桥村第一书记"),
    ("zhongshan", Role.COUNTY, "451122", True, "钟山县扶贫办"),
    ("viewer", Role.VIEWER, "451423", False, "龙州县（只读）"),
)


def ensure_regions(
    regions: dict[str, tuple[str, bool]] | None = None, groups: dict[str, list[str]] | None = None
) -> list[Region]:
    """Create the demo regions that do not exist yet (default: `REGIONS` and `GROUPS`; other
    demo steps pass their own trees); returns the created ones."""
    wanted: dict[str, tuple[str, bool]] = dict(REGIONS if regions is None else regions)
    for village, names in (GROUPS if groups is None else groups).items():
        for i, name in enumerate(names, start=1):
            wanted[f"{village}{i:03d}"] = (name, False)
    existing = set(Region.objects.filter(pk__in=list(wanted)).values_list("pk", flat=True))
    created = [
        Region(
            code=code,
            name=name,
            level=level_of(code),
            parent_id=parent_code(code),
            western_region=True,
            is_registered_poor=poor,
        )
        for code, (name, poor) in sorted(wanted.items(), key=lambda kv: (len(kv[0]), kv[0]))
        if code not in existing
    ]
    Region.objects.bulk_create(created)
    audit.bulk_record(
        [
            audit.entry(
                AuditAction.CREATE,
                "regions.region",
                r.pk,
                r.name,
                "regions.region",
                r.pk,
                None,
                audit.snapshot(r, Region.get_audit_fields()),
            )
            for r in created
        ]
    )
    return created


def ensure_users() -> list[str]:
    """Create the demo users that do not exist yet (existing ones are left as they are)."""
    existing = set(
        User.objects.filter(username__in=[u[0] for u in USERS]).values_list("username", flat=True)
    )
    hashed = make_password(PASSWORD)
    perm = Permission.objects.get(codename="view_personal_data", content_type__app_label="accounts")
    created = []
    for username, role, region, personal, label in USERS:
        if username in existing:
            continue
        user = User.objects.create(
            username=username,
            password=hashed,
            role=role,
            region_id=region,
            first_name=label,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        if personal:
            user.user_permissions.add(perm)
        created.append(username)
    return created


def plan(
    seed: int = DEFAULT_SEED,
    households: int = DEFAULT_HOUSEHOLDS,
    villages: tuple[VillagePlan, ...] = VILLAGES,
) -> list[HouseholdPlan]:
    """The households of a demo as plain Python objects (no database access). Other demo steps
    pass their own `villages` (the battle-zone county of the assistance demo)."""
    gen = _Generator(seed, households)
    counts = dict(
        zip(
            [v.code for v in villages],
            allocate(households, [v.base_households for v in villages]),
            strict=True,
        )
    )
    plans: list[HouseholdPlan] = []
    for village in villages:
        county = village.code[:6]
        groups = GROUPS.get(village.code) or sorted(
            {
                gen.rng.choice(GROUP_PREFIX[county])
                + gen.rng.choice(GROUP_SUFFIX[county])
                + ("屯" if county == "451423" else "")
                for _ in range(7)
            }
        )
        hs = [gen.household(village, i + 1, groups) for i in range(counts[village.code])]
        population = round(
            village.base_rural_population * counts[village.code] / village.base_households
        )
        target = round(population * village.incidence_2020 / 100)
        remaining = gen.choose_remaining(village, hs, target)
        for i, h in enumerate(hs):
            gen.schedule(village, h, i in remaining)
        plans.extend(hs)
    # surveys draw from the same stream, after every household is planned
    for h in plans:
        for year in YEARS:
            members = [gen.member_year(h, i, m, year) for i, m in enumerate(h.members)]
            workers = sum(1 for m in members if m["work_status"] != "none")
            facts = gen.survey_facts(h, year)
            facts.update(gen.income(h, year, workers))
            h.surveys.append((year, facts, members))
    return plans


def _status_changes(h: HouseholdPlan, rng: random.Random) -> list[StatusChange]:
    def day(year, months):
        return datetime.date(year, rng.choice(months), rng.randint(1, 28))

    reg_months = {2014: (8, 9, 10), 2015: (11, 12), 2016: (6, 7, 8)}[h.registered_year]
    rows = [
        StatusChange(
            date=day(h.registered_year, reg_months),
            status="not_exited",
            previous_status="",
            reason="建档立卡识别（民主评议、两次公示后录入）",
        )
    ]
    if h.first_exit:
        rows.append(
            StatusChange(
                date=day(h.first_exit, (11, 12)),
                status="exited",
                previous_status="not_exited",
                reason="达到脱贫标准，经民主评议、核实、公示后标注脱贫",
            )
        )
    if h.fallback_year:
        rows.append(
            StatusChange(
                date=day(h.fallback_year, (3, 4, 5, 6)),
                status="not_exited",
                previous_status="exited",
                reason="返贫：家庭成员患大病，医疗支出大",
            )
        )
        rows.append(
            StatusChange(
                date=day(h.exit_year, (11, 12)),
                status="exited",
                previous_status="not_exited",
                reason="再次达到脱贫标准，标注脱贫",
            )
        )
    return rows


@transaction.atomic
def build(seed: int = DEFAULT_SEED, households: int = DEFAULT_HOUSEHOLDS) -> DemoResult:
    """Write the demo registry. The registry must be empty of the demo's household numbers."""
    start = time.monotonic()
    result = DemoResult()
    with audit.audit_context(source=ChangeSource.DEMO):
        result.regions = len(ensure_regions())
        result.users = ensure_users()
        plans = plan(seed, households)
        rng = random.Random(seed * 7919 + 1)
        counts = write_plans(plans, rng)
    result.households = counts["households"]
    result.members = counts["members"]
    result.surveys = counts["surveys"]
    result.member_surveys = counts["member_surveys"]
    result.status_changes = counts["status_changes"]
    result.audit_entries = counts["households"] + result.regions
    result.exited = sum(1 for h in plans if h.exit_year)
    result.per_village = dict(Counter(h.village for h in plans))
    result.seconds = time.monotonic() - start
    return result


def write_plans(plans: list[HouseholdPlan], rng: random.Random, region_of=None) -> dict[str, int]:
    """Bulk-write planned households with their members, surveys and status history, and one
    audit entry per household (in the caller's audit context and transaction). `region_of(h)`
    may register a household at a group (村民小组) rather than its village. Returns row counts."""
    # Primary keys are assigned here, so every row can name its parent without a round trip
    # per table; the sequences are moved past them afterwards (PostgreSQL).
    next_pk = {
        model: (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        for model in (Household, Member, Survey, MemberSurvey, StatusChange)
    }

    def pk(model) -> int:
        value = next_pk[model]
        next_pk[model] = value + 1
        return value

    household_rows, member_rows, survey_rows, ms_rows, status_rows = [], [], [], [], []
    for h in plans:
        hh = Household(
            id=pk(Household),
            household_no=h.household_no,
            region_id=region_of(h) if region_of else h.village,
            group_name=h.group_name,
            category=h.category,
            status="exited" if h.exit_year else "not_exited",
            registered_year=h.registered_year,
            exit_year=h.exit_year,
            main_cause=h.main_cause,
            other_causes=";".join(h.other_causes),
            phone=h.phone,
        )
        household_rows.append(hh)
        member_ids = []
        for m in h.members:
            member = Member(
                id=pk(Member),
                household_id=hh.id,
                name=m.name,
                id_number=m.id_number,
                relation=m.relation,
                sex=m.sex,
                birth_date=m.born,
                ethnicity=m.ethnicity,
            )
            member_rows.append(member)
            member_ids.append(member.id)
        for year, facts, member_facts in h.surveys:
            survey = Survey(
                id=pk(Survey), household_id=hh.id, year=year, household_size=h.size, **facts
            )
            survey.net_income_per_capita = Survey.compute_net_income_per_capita(
                survey.wage_income,
                survey.business_income,
                survey.property_income,
                survey.transfer_income,
                survey.business_expense,
                survey.household_size,
            )
            survey_rows.append(survey)
            for member_id, mf in zip(member_ids, member_facts, strict=True):
                ms_rows.append(
                    MemberSurvey(
                        id=pk(MemberSurvey), survey_id=survey.id, member_id=member_id, **mf
                    )
                )
        for sc in _status_changes(h, rng):
            sc.id = pk(StatusChange)
            sc.household_id = hh.id
            status_rows.append(sc)

    batch = 2000
    Household.objects.bulk_create(household_rows, batch_size=batch)
    Member.objects.bulk_create(member_rows, batch_size=batch)
    Survey.objects.bulk_create(survey_rows, batch_size=batch)
    MemberSurvey.objects.bulk_create(ms_rows, batch_size=batch)
    StatusChange.objects.bulk_create(status_rows, batch_size=batch)
    reset = connection.ops.sequence_reset_sql(no_style(), list(next_pk))
    if reset:
        with connection.cursor() as cursor:
            for statement in reset:
                cursor.execute(statement)
    entries = [
        audit.entry(
            AuditAction.CREATE,
            "registry.household",
            hh.pk,
            str(hh),
            "registry.household",
            hh.pk,
            None,
            audit.snapshot(hh, Household.audit_fields),
        )
        for hh in household_rows
    ]
    audit.bulk_record(entries)
    return {
        "households": len(household_rows),
        "members": len(member_rows),
        "surveys": len(survey_rows),
        "member_surveys": len(ms_rows),
        "status_changes": len(status_rows),
    }
