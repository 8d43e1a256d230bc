"""The demo of designated assistance, written after the demo registry (`bangfu demo`).

Modelled on the seed reports (`../shared/seeds/`):

* **龙州县** (seed 000): 广西壮族自治区公安厅 and its 27 backing units (后盾单位: the department's
  总队, 局, 处 and three city bureaus). Each of the seven poor villages gets a group of three or
  four backing units: the department's assignment (定点帮扶) names the group's lead as the
  responsible backing unit, the other units of the group are assigned to the village
  themselves. The assignments run 2015-10-08 → 2020-12-31 (脱贫攻坚); the department's
  assignment is renewed from 2021-01-01 for the transition period (巩固拓展脱贫攻坚成果过渡期), so
  the department's staff still see their villages today. Each village has a first secretary and
  two work-team members per two-year term (2015, 2017, 2019, 2021–). Cadres of the village's
  backing units are paired with every registered poor household of the village, two to six
  households each (a few over the load of five), and about one cadre in ten leaves in 2017–2019:
  their households are re-paired with a successor from the same unit, the old pairings ended the
  day before (history kept).
* **钟山县** (seed 004): 县委组织部 assigned to 大桥村 and 江台村 from 2016-03-01, six resident
  cadres (第一书记 and two 队员 in each village, full time), and 41 cadres of the department
  paired with 76 households of the two villages (35 with two households, 6 with one), every
  household still poor among them.
* **旬阳县** (seed 001, a battle-zone county): a small registry of its own (three townships, six
  villages, households registered at their 村民小组), 旬阳县公安局 assigned to the six villages
  from 2018-08-01, two battle zones (战区) with a commander each, grouping villages across
  townships into four combat units (作战单元) with their own commanders, a section chief per
  village (包村), a deputy per group (包组) and an officer paired with each household (包户);
  a first secretary of the bureau in each village, except that 大东沟村's left on 2021-06-30 and
  has no successor (so "villages without a first secretary" shows one village).
* Two more demo logins: `gxgat` (staff of 自治区公安厅: its villages) and `ganbu` (one of
  钟山's 41 cadres: their two households).

Small records go through the creating services (validation, audit on save); cadres and pairings,
the bulk of the rows, are written with `bulk_create` and their audit entries built in bulk, as
the registry demo does. Same seed and size → the same records.

Later demo steps (visits, plans, activities) are added to `STEPS`: each is called as
`step(seed=…, households=…)` after the registry, inside the command's transaction and audit
context, and returns a `StepResult`.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.accounts.choices import Role
from bangfu.accounts.models import User
from bangfu.core import audit
from bangfu.core.choices import AuditAction, ChangeSource
from bangfu.regions.services import demo as regions_demo
from bangfu.registry.models import Household, StatusChange
from bangfu.registry.services import demo as registry_demo

from ..choices import PostingRole, ResponsibilityLevel, UnitKind
from ..models import Cadre, Pairing, Unit
from . import units as unit_services
from . import zones as zone_services

D = datetime.date

# ---- 龙州县: 自治区公安厅 ---------------------------------------------------------------------

DEPARTMENT = "广西壮族自治区公安厅"
BACKING_UNITS = (
    "办公室",
    "政治部",
    "警务保障部",
    "指挥中心",
    "治安管理总队",
    "刑事侦查总队",
    "经济犯罪侦查总队",
    "禁毒总队",
    "交通警察总队",
    "出入境管理局",
    "网络安全保卫总队",
    "反恐怖总队",
    "特警总队",
    "警务督察总队",
    "法制总队",
    "监所管理总队",
    "科技信息化总队",
    "食品药品环境犯罪侦查总队",
    "机关党委",
    "离退休干部处",
    "警察训练部",
    "高速公路公安局",
    "机关服务中心",
    "广西警察学院",
    "南宁市公安局",
    "崇左市公安局",
    "百色市公安局",
)
SEVEN = (
    "451423100201",  # 新联
    "451423100202",  # 罗回
    "451423101201",  # 峡岗
    "451423201201",  # 思奇
    "451423200201",  # 独山
    "451423102201",  # 贯明
    "451423102202",  # 北胜
)
CAMPAIGN_START = D(2015, 10, 8)
CAMPAIGN_END = D(2020, 12, 31)
TRANSITION_START = D(2021, 1, 1)
# Two-year terms of first secretaries and work teams; the last one is still running.
TERMS = (
    (D(2015, 10, 8), D(2017, 9, 30)),
    (D(2017, 10, 1), D(2019, 9, 30)),
    (D(2019, 10, 1), D(2021, 5, 31)),
    (D(2021, 6, 1), None),
)
LOADS = ((2, 5), (3, 25), (4, 35), (5, 30), (6, 5))  # households per cadre, weights

# ---- 钟山县: 县委组织部 -----------------------------------------------------------------------

ORGANISATION_DEPARTMENT = "中共钟山县委组织部"
ZHONGSHAN_VILLAGES = ("451122100201", "451122100202")  # 大桥, 江台
ZHONGSHAN_START = D(2016, 3, 1)
ZHONGSHAN_CADRES = 41
ZHONGSHAN_HOUSEHOLDS = 76
ZHONGSHAN_RESIDENT = 6

# ---- 旬阳县 (seed 001): battle zones -----------------------------------------------------------

XUNYANG = "610928"
BATTLE_REGIONS: dict[str, tuple[str, bool]] = {
    "61": ("陕西省", False),
    "6109": ("安康市", False),
    "610928": ("旬阳县", True),
    "610928104": ("构元镇", False),
    "610928104201": ("金马塔村", True),
    "610928104202": ("开花村", True),
    "610928104203": ("羊山村", True),
    "610928110": ("蜀河镇", False),
    "610928110201": ("罗家坡村", True),
    "610928110202": ("大东沟村", True),
    "610928111": ("双河镇", False),
    "610928111201": ("黄坪村", True),
}
BATTLE_VILLAGES = tuple(
    registry_demo.VillagePlan(code, n, pop, 0.4, peak)
    for code, n, pop, peak in (
        ("610928104201", 40, 900, 2018),
        ("610928104202", 30, 700, 2019),
        ("610928104203", 35, 800, 2019),
        ("610928110201", 45, 1000, 2018),
        ("610928110202", 50, 1200, 2019),
        ("610928111201", 30, 700, 2020),
    )
)
# battle zone → combat units → villages (across townships: 黄坪村 of 双河镇 fights in 构元战区)
ZONES = (
    (
        "构元战区",
        (
            ("构元战区第一作战单元", ("610928104201", "610928104202")),
            ("构元战区第二作战单元", ("610928104203", "610928111201")),
        ),
    ),
    (
        "蜀河战区",
        (
            ("蜀河战区第一作战单元", ("610928110201",)),
            ("蜀河战区第二作战单元", ("610928110202",)),
        ),
    ),
)
BATTLE_START = D(2018, 8, 1)
BATTLE_RESPONSIBILITY_START = D(2018, 8, 10)
SECRETARY_GAP = ("610928110202", D(2021, 6, 30))  # 大东沟村: first secretary left, not replaced

# ---- demo logins -------------------------------------------------------------------------------

UNIT_USER = ("gxgat", "自治区公安厅扶贫办")
CADRE_USER = "ganbu"

DEMO_SURNAMES = "黄李韦陆梁覃蒙莫农廖罗陈刘张王杨周吴何苏卢谢唐"


@dataclass
class StepResult:
    """What a demo step wrote: a one-line summary and the demo logins it created."""

    summary: str
    users: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


class _Writer:
    """Cadres and pairings collected in memory and written in bulk, with audit entries."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed * 104729 + 17)
        self.used_names: set[str] = set()
        self.counts: dict[str, int] = defaultdict(int)

    def name(self, surnames: str = DEMO_SURNAMES) -> tuple[str, str]:
        rng = self.rng
        for _attempt in range(100):
            sex = "male" if rng.random() < 0.75 else "female"
            chars = registry_demo.GIVEN_OLD[sex]
            given = "".join(rng.sample(chars, 2)) if rng.random() < 0.8 else rng.choice(chars)
            name = rng.choice(surnames) + given
            if name not in self.used_names:
                self.used_names.add(name)
                return name, sex
        return name, sex

    def phone(self) -> str:
        return self.rng.choice(registry_demo.PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def cadres(self, specs: list[dict]) -> list[Cadre]:
        rows = [Cadre(**spec) for spec in specs]
        Cadre.objects.bulk_create(rows)
        audit.bulk_record(
            [
                audit.entry(
                    AuditAction.CREATE,
                    "assistance.cadre",
                    c.pk,
                    str(c),
                    "assistance.cadre",
                    c.pk,
                    None,
                    audit.snapshot(c, Cadre.get_audit_fields()),
                )
                for c in rows
            ]
        )
        self.counts["cadres"] += len(rows)
        return rows

    def new_cadres(self, unit: Unit, n: int, position, surnames=DEMO_SURNAMES, **extra):
        """`n` new cadres of `unit`; `position` is one title or a list of `n`."""
        positions = [position] * n if isinstance(position, str) else list(position)
        specs = []
        for position in positions:
            name, sex = self.name(surnames)
            specs.append(
                {
                    "unit": unit,
                    "name": name,
                    "sex": sex,
                    "phone": self.phone(),
                    "position": position,
                    **extra,
                }
            )
        return self.cadres(specs)

    def new_cadres_like(self, cadres: list[Cadre]) -> list[Cadre]:
        """Successors of leaving cadres: a new cadre of the same unit for each."""
        specs = []
        for c in cadres:
            name, sex = self.name()
            specs.append(
                {
                    "unit": c.unit,
                    "name": name,
                    "sex": sex,
                    "phone": self.phone(),
                    "position": "民警",
                }
            )
        return self.cadres(specs) if specs else []

    def mark_left(self, cadres: list[Cadre]) -> None:
        """Cadres who left (调离): no longer in service, one UPDATE and its audit entries."""
        Cadre.objects.filter(pk__in=[c.pk for c in cadres]).update(active=False)
        audit.bulk_record(
            [
                audit.entry(
                    AuditAction.UPDATE,
                    "assistance.cadre",
                    c.pk,
                    str(c),
                    "assistance.cadre",
                    c.pk,
                    {"active": True},
                    {"active": False},
                )
                for c in cadres
            ]
        )
        self.counts["cadres_left"] += len(cadres)

    def pairings(self, rows: list[Pairing]) -> None:
        Pairing.objects.bulk_create(rows, batch_size=2000)
        audit.bulk_record(
            [
                audit.entry(
                    AuditAction.CREATE,
                    "assistance.pairing",
                    p.pk,
                    f"{p.cadre} ↔ {p.household_no}",
                    "registry.household",
                    p.household_id,
                    None,
                    audit.snapshot(p, Pairing.get_audit_fields()),
                )
                for p in rows
            ]
        )
        self.counts["pairings"] += len(rows)

    def day_in(self, start: D, days: int) -> D:
        return start + datetime.timedelta(days=self.rng.randrange(days))


def _registration_dates(codes) -> dict[int, tuple[str, D]]:
    """household id → (household number, date of its 建档立卡), for households in `codes`
    (villages, and their groups): one query."""
    from django.db.models import Q

    q = Q()
    for code in codes:
        q |= Q(household__region__pk__startswith=code)
    rows = (
        StatusChange.objects.filter(q, previous_status="")
        .values_list("household_id", "household__household_no", "date")
        .order_by("household__household_no")
    )
    return {hid: (no, date) for hid, no, date in rows}


def _pair_start(w: _Writer, earliest: D, registered: D) -> D:
    """A pairing starts within two months of the later of the work's start and registration."""
    return w.day_in(max(earliest, registered + datetime.timedelta(days=1)), 60)


def _longzhou(w: _Writer) -> dict:
    rng = w.rng
    department = unit_services.create_unit(
        DEPARTMENT,
        UnitKind.GOVERNMENT,
        contact_person="扶贫工作领导小组办公室",
        contact_phone="0771-2891000",
        address="南宁市青秀区",
    )
    backing = [
        unit_services.create_unit(name, UnitKind.GOVERNMENT, parent=department)
        for name in BACKING_UNITS
    ]
    groups = {v: backing[i :: len(SEVEN)] for i, v in enumerate(SEVEN)}
    for village, group in groups.items():
        lead = group[0]
        unit_services.assign(
            department, village_obj(village), CAMPAIGN_START, lead, CAMPAIGN_END, "脱贫攻坚期"
        )
        unit_services.assign(
            department,
            village_obj(village),
            TRANSITION_START,
            lead,
            note="巩固拓展脱贫攻坚成果过渡期",
        )
        for unit in group[1:]:
            unit_services.assign(unit, village_obj(village), CAMPAIGN_START, end_date=CAMPAIGN_END)
    # first secretaries and work teams, one set per term
    for village, group in groups.items():
        for start, end in TERMS:
            [secretary] = w.new_cadres(group[0], 1, rng.choice(["副处长", "四级调研员", "科长"]))
            unit_services.post(
                secretary, village_obj(village), PostingRole.FIRST_SECRETARY, start, True, end
            )
            for unit in rng.sample(group[1:], 2) if len(group) > 2 else group[1:] * 2:
                [member] = w.new_cadres(unit, 1, rng.choice(["副科长", "一级警长", "民警"]))
                unit_services.post(
                    member, village_obj(village), PostingRole.TEAM_MEMBER, start, True, end
                )
    # pairings: every registered household of the seven villages
    registered = _registration_dates(SEVEN)
    by_village: dict[str, list[int]] = defaultdict(list)
    for hid, (no, _date) in registered.items():
        by_village[no[:12]].append(hid)
    pairings: list[Pairing] = []
    for village in SEVEN:
        hids = sorted(by_village[village], key=lambda h: registered[h][0])
        rng.shuffle(hids)
        group = groups[village]
        chunks, i = [], 0
        while i < len(hids):
            size = registry_demo._weighted(rng, LOADS)
            chunks.append(hids[i : i + size])
            i += size
        specs = []
        for k, _chunk in enumerate(chunks):
            name, sex = w.name()
            specs.append(
                {
                    "unit": group[k % len(group)],
                    "name": name,
                    "sex": sex,
                    "phone": w.phone(),
                    "position": rng.choice(["民警", "民警", "一级警长", "副科长", "科员"]),
                }
            )
        cadres = w.cadres(specs)
        leaving = [k for k in range(len(chunks)) if rng.random() < 0.1]
        successors = dict(
            zip(
                leaving,
                w.new_cadres_like([cadres[k] for k in leaving]),
                strict=True,
            )
        )
        for k, chunk in enumerate(chunks):
            cadre = cadres[k]
            starts = [_pair_start(w, CAMPAIGN_START, registered[hid][1]) for hid in chunk]
            # a leaving cadre (调离) hands every household to the successor on one day
            left = w.day_in(max(starts) + datetime.timedelta(days=120), 800)
            for hid, start in zip(chunk, starts, strict=True):
                no = registered[hid][0]
                if k in successors:
                    pairings.append(_pairing(cadre, hid, no, start, left - datetime.timedelta(1)))
                    pairings.append(_pairing(successors[k], hid, no, left, None))
                else:
                    pairings.append(_pairing(cadre, hid, no, start, None))
        w.counts["longzhou_left"] += len(successors)
        w.mark_left([cadres[k] for k in successors])
    w.pairings(pairings)
    return {"department": department}


def _pairing(cadre: Cadre, hid: int, no: str, start: D, end: D | None) -> Pairing:
    p = Pairing(cadre=cadre, household_id=hid, start_date=start, end_date=end)
    p.household_no = no  # for the audit entry's text only
    return p


_villages_cache: dict[str, object] = {}


def village_obj(code: str):
    from bangfu.regions.models import Region

    if code not in _villages_cache:
        _villages_cache[code] = Region.objects.get(pk=code)
    return _villages_cache[code]


def _zhongshan(w: _Writer) -> dict:
    rng = w.rng
    surnames = registry_demo.SURNAMES["451122"]
    department = unit_services.create_unit(
        ORGANISATION_DEPARTMENT,
        UnitKind.GOVERNMENT,
        contact_person="组织部办公室",
        contact_phone="0774-8982000",
        address="钟山县钟山镇",
    )
    for code in ZHONGSHAN_VILLAGES:
        unit_services.assign(
            department, village_obj(code), ZHONGSHAN_START, end_date=CAMPAIGN_END, note="脱贫攻坚期"
        )
        unit_services.assign(
            department, village_obj(code), TRANSITION_START, note="巩固拓展脱贫攻坚成果过渡期"
        )
    # six resident cadres, full time: a first secretary and two members in each village
    for code in ZHONGSHAN_VILLAGES:
        for role in ("first_secretary", "team_member", "team_member"):
            [cadre] = w.new_cadres(department, 1, "驻村干部", surnames)
            unit_services.post(cadre, village_obj(code), role, ZHONGSHAN_START, True)
    # 76 households of the two villages: every one still poor first, then a fixed sample
    registered = _registration_dates(ZHONGSHAN_VILLAGES)
    poor = set(
        Household.objects.filter(pk__in=list(registered), status="not_exited").values_list(
            "pk", flat=True
        )
    )
    ordered = sorted(registered, key=lambda h: registered[h][0])
    rest = [h for h in ordered if h not in poor]
    chosen = [h for h in ordered if h in poor]
    chosen += rng.sample(rest, max(0, min(len(rest), ZHONGSHAN_HOUSEHOLDS - len(chosen))))
    chosen = sorted(chosen[:ZHONGSHAN_HOUSEHOLDS], key=lambda h: registered[h][0])
    # 41 cadres: 35 with two households and 6 with one (fewer when the registry is small)
    n_cadres = min(ZHONGSHAN_CADRES, len(chosen))
    doubles = len(chosen) - n_cadres
    sizes = [2] * doubles + [1] * (n_cadres - doubles)
    rng.shuffle(sizes)
    positions = ["副部长", "科长", "副科长", "主任科员", "一级科员", "科员"]
    cadres = w.new_cadres(
        department, n_cadres, [rng.choice(positions) for _i in range(n_cadres)], surnames
    )
    pairings, i = [], 0
    for cadre, size in zip(cadres, sizes, strict=True):
        for hid in chosen[i : i + size]:
            no, reg = registered[hid]
            pairings.append(_pairing(cadre, hid, no, _pair_start(w, ZHONGSHAN_START, reg), None))
        i += size
    w.pairings(pairings)
    # the cadre login: the first with two households
    login = max(zip(sizes, cadres, strict=True), key=lambda sc: sc[0])[1] if cadres else None
    return {"department": department, "cadre": login}


def _xunyang(w: _Writer, seed: int, households: int) -> dict:
    rng = w.rng
    n = max(60, households // 10)
    plans = registry_demo.plan(seed + 1, n, BATTLE_VILLAGES)
    groups: dict[str, list[str]] = defaultdict(list)
    for h in plans:
        if h.group_name not in groups[h.village]:
            groups[h.village].append(h.group_name)
    for names in groups.values():
        names.sort()
    group_code = {
        (village, name): f"{village}{i:03d}"
        for village, names in groups.items()
        for i, name in enumerate(names, start=1)
    }
    registry_demo.ensure_regions(BATTLE_REGIONS, groups)
    counts = registry_demo.write_plans(
        plans,
        random.Random(seed * 7919 + 2),
        region_of=lambda h: group_code[(h.village, h.group_name)],
    )
    w.counts["xunyang_households"] = counts["households"]
    surnames = registry_demo.SURNAMES[XUNYANG]
    bureau = unit_services.create_unit(
        "旬阳县公安局",
        UnitKind.GOVERNMENT,
        contact_person="脱贫攻坚工作领导小组办公室",
        contact_phone="0915-7212000",
        address="旬阳县城关镇",
    )
    for code in sorted(c for c in BATTLE_REGIONS if len(c) == 12):
        unit_services.assign(bureau, village_obj(code), BATTLE_START)
    county = village_obj(XUNYANG)
    registered = _registration_dates([c for c in BATTLE_REGIONS if len(c) == 12])
    by_group: dict[str, list[int]] = defaultdict(list)
    household_region = dict(
        Household.objects.filter(pk__in=list(registered)).values_list("pk", "region_id")
    )
    for hid in sorted(registered, key=lambda h: registered[h][0]):
        by_group[household_region[hid]].append(hid)
    pairings = []
    for zone_name, units in ZONES:
        [top] = w.new_cadres(
            bureau, 1, "局长" if zone_name.startswith("构元") else "政委", surnames
        )
        zone = zone_services.create_zone(zone_name, county, commander=top)
        zone_services.set_villages(zone, [v for _, vs in units for v in vs])
        for unit_name, villages in units:
            [lead] = w.new_cadres(bureau, 1, "副局长", surnames)
            combat = zone_services.create_zone(unit_name, county, parent=zone, commander=lead)
            zone_services.set_villages(combat, villages)
            for village in villages:
                [chief] = w.new_cadres(
                    bureau, 1, rng.choice(["大队长", "所长", "教导员"]), surnames
                )
                # 驻村第一书记 of the bureau; 大东沟村's left in 2021 with no successor yet,
                # so the coverage page has a village to show
                [secretary] = w.new_cadres(bureau, 1, "副大队长", surnames)
                unit_services.post(
                    secretary,
                    village_obj(village),
                    PostingRole.FIRST_SECRETARY,
                    BATTLE_RESPONSIBILITY_START,
                    True,
                    SECRETARY_GAP[1] if village == SECRETARY_GAP[0] else None,
                )
                zone_services.assign_responsibility(
                    combat,
                    ResponsibilityLevel.VILLAGE,
                    chief,
                    BATTLE_RESPONSIBILITY_START,
                    region=village_obj(village),
                )
                for i, _name in enumerate(groups[village], start=1):
                    code = f"{village}{i:03d}"
                    [deputy] = w.new_cadres(bureau, 1, "副大队长", surnames)
                    zone_services.assign_responsibility(
                        combat,
                        ResponsibilityLevel.GROUP,
                        deputy,
                        BATTLE_RESPONSIBILITY_START,
                        region=village_obj(code),
                    )
                    hids = by_group[code]
                    officers = w.new_cadres(bureau, max(1, (len(hids) + 2) // 3), "民警", surnames)
                    for k, hid in enumerate(hids):
                        no, reg = registered[hid]
                        start = _pair_start(w, BATTLE_RESPONSIBILITY_START, reg)
                        pairings.append(_pairing(officers[k % len(officers)], hid, no, start, None))
    w.pairings(pairings)
    return {"bureau": bureau}


def _ensure_login(username: str, label: str, role: str, unit: Unit, hashed: str) -> User | None:
    if User.objects.filter(username=username).exists():
        return None
    return User.objects.create(
        username=username,
        password=hashed,
        role=role,
        unit=unit,
        first_name=label,
    )


@transaction.atomic
def build(seed: int = registry_demo.DEFAULT_SEED, households: int = 0) -> StepResult:
    """Write the assistance demo over the demo registry (run `registry_demo.build` first)."""
    _villages_cache.clear()
    w = _Writer(seed)
    households = households or registry_demo.DEFAULT_HOUSEHOLDS
    users = []
    with audit.audit_context(source=ChangeSource.DEMO):
        longzhou = _longzhou(w)
        zhongshan = _zhongshan(w)
        _xunyang(w, seed, households)
        hashed = make_password(registry_demo.PASSWORD)  # once: Argon2 is slow on purpose
        if _ensure_login(UNIT_USER[0], UNIT_USER[1], Role.UNIT, longzhou["department"], hashed):
            users.append(UNIT_USER[0])
        cadre = zhongshan["cadre"]
        if cadre is not None:
            user = _ensure_login(
                CADRE_USER, cadre.name, Role.CADRE, zhongshan["department"], hashed
            )
            if user is not None:
                cadre.user = user
                cadre.save(update_fields=["user"])
                users.append(CADRE_USER)
    counts = dict(w.counts)
    figures = {
        "units": Unit.objects.count(),
        "cadres": counts.get("cadres", 0),
        "pairings": counts.get("pairings", 0),
        "battle": counts.get("xunyang_households", 0),
    }
    return StepResult(
        summary=_(
            "帮扶演示数据已载入：%(units)d 个帮扶单位，%(cadres)d 名帮扶干部，"
            "%(pairings)d 条结对帮扶，战区县 %(battle)d 户"
        )
        % figures
        + " / assistance demo loaded: {units} units, {cadres} cadres, {pairings} pairings, "
        "battle-zone county {battle} households".format(**figures),
        users=users,
        counts=counts,
    )


def records(seed: int = registry_demo.DEFAULT_SEED, households: int = 0) -> StepResult:
    """Visits, meetings/activities and household plans over the assistance demo (the visits,
    activities and plans apps' generators): ~8,500 visits to 龙州's households 2015–2020 (seed
    000's person-times), 钟山's cadres visiting their 76 households from 2016 to today, the units'
    activities 2015–2020, and one plan per household paired in 钟山 (seed 004's 一户一策)."""
    from bangfu.activities.services.generate import generate_activities
    from bangfu.plans.services.generate import generate_household_plans
    from bangfu.visits.services.generate import generate_visits

    with audit.audit_context(source=ChangeSource.DEMO):
        longzhou = generate_visits(
            LONGZHOU_VISITS, region="451423", start=D(2015, 10, 8), end=D(2020, 12, 31), seed=seed
        )
        zhongshan = generate_visits(
            ZHONGSHAN_VISITS, region="451122", start=ZHONGSHAN_START, end=D(2030, 1, 1), seed=seed
        )
        activities = generate_activities(D(2015, 10, 8), D(2020, 12, 31), seed=seed)
        # 一户一策: one plan per household paired by 钟山's 县委组织部 (seed 004).
        plans = generate_household_plans(
            Pairing.objects.filter(household__region__pk__startswith="451122")
            .select_related("household", "cadre")
            .order_by("household_id", "start_date"),
            start=ZHONGSHAN_START,
            end=D(2020, 12, 31),
            seed=seed,
        )
    figures = {
        "visits": longzhou.visits + zhongshan.visits,
        "follow_ups": longzhou.follow_ups + zhongshan.follow_ups,
        "activities": activities,
        "plans": len(plans),
    }
    return StepResult(
        summary=_(
            "走访 %(visits)d 人次（跟进事项 %(follow_ups)d 条），会议与活动 %(activities)d 次，"
            "一户一策 %(plans)d 份"
        )
        % figures
        + " / {visits} visits ({follow_ups} follow-ups), {activities} activities, "
        "{plans} household plans".format(**figures),
        counts=figures,
    )


def money(seed: int = registry_demo.DEFAULT_SEED, households: int = 0) -> StepResult:
    """The funds app's demo money (sources, donations, a fund pool, projects, allocations to
    projects and households) in the seeds' proportions, written through its services so
    `bangfu reconcile-funds` is clean on the demo."""
    from bangfu.funds.services.demo import build as build_funds

    with audit.audit_context(source=ChangeSource.DEMO):
        made = build_funds(seed=seed)
    figures = {"sources": made.sources, "projects": made.projects, "allocations": made.allocations}
    return StepResult(
        summary=_(
            "扶贫资金演示数据：%(sources)d 笔资金来源，%(projects)d 个项目，%(allocations)d 笔拨付"
        )
        % figures
        + " / demo money: {sources} fund sources, {projects} projects, "
        "{allocations} allocations".format(**figures),
        counts=figures,
    )


LONGZHOU_VISITS = 8_500
ZHONGSHAN_VISITS = 1_500

# The demo steps after the registry, in order; each is called as step(seed=…, households=…)
# inside the command's transaction and returns a StepResult.
STEPS: list[Callable[..., StepResult]] = [build, records, money]
STEPS.append(regions_demo.village_facts)  # 村情 2015–2020 (regions/services/demo.py)


def exits(seed: int = registry_demo.DEFAULT_SEED, households: int = 0) -> StepResult:
    """The exits app's demo cases (钟山's household exit cases at different steps)."""
    from bangfu.exits.services.demo import build as build_exits

    return build_exits(seed=seed, households=households)


STEPS.append(exits)


def run_steps(seed: int, households: int) -> list[StepResult]:
    return [step(seed=seed, households=households) for step in STEPS]
