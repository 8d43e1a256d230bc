"""Generated visits for the demo county and benchmarks.

    generate_visits(
        count: int,
        *,
        region: str = "",                 # region code prefix ("451423" = 龙州县; "" = everywhere)
        start: datetime.date = 2015-01-01,
        end: datetime.date = 2020-12-31,  # capped at today
        seed: int = 0,
        village_share: float = 0.1,       # share of visits to the household's village, not a household
        follow_up_share: float = 0.15,    # share of household visits that leave a follow-up
        batch_size: int = 20_000,
        audit: bool = True,               # one CREATE audit entry per row, built in SQL
    ) -> GeneratedVisits(visits=…, follow_ups=…)

Who visits whom comes from the pairings (结对帮扶) of the households in `region`: each visit is by
the paired cadre, on a date inside the pairing's period and [start, end]. Without pairings, the
cadres of the units assigned to the household's village stand in. No pairings and no assignments →
nothing is written (GeneratedVisits(0, 0)).

Deterministic: the same seed and the same database (pairings in primary-key order) give the same
visits row for row (only ids and audit times differ). Written in batches of `batch_size`, each in
one transaction, with `core.imports.bulk` (COPY on PostgreSQL, executemany on SQLite) and the audit
entries as INSERT … SELECT (`bulk.audit_created`), so 1,000,000 visits are a few hundred
statements, not a million saves. The caller sets the audit context (e.g. `audit_context(source=…)`).

The demo (about 8,500 visits for 龙州县): `generate_visits(8500, region="451423", seed=seed)`.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bangfu.assistance.models import Assignment, Cadre, Pairing
from bangfu.assistance.scoping import VILLAGE_CODE_LENGTH
from bangfu.core.imports import bulk
from bangfu.registry.models import Household

from ..choices import FollowUpStatus, Purpose
from ..models import FollowUp, Visit

PURPOSE_WEIGHTS = (
    (Purpose.CARE, 30),
    (Purpose.POLICY, 15),
    (Purpose.VERIFY, 15),
    (Purpose.MEASURES, 20),
    (Purpose.INCOME, 12),
    (Purpose.MEDIATION, 3),
    (Purpose.OTHER, 5),
)
FINDINGS = {
    Purpose.CARE: (
        "户主身体状况良好，家中生活正常",
        "老人患慢性病，已按时服药",
        "送去米、油等慰问品",
    ),
    Purpose.POLICY: ("宣讲教育资助和医疗保障政策", "讲解产业奖补政策，户主表示愿意扩大养殖"),
    Purpose.VERIFY: ("核实家庭人口和务工情况，与系统一致", "核实住房安全情况，房屋已加固"),
    Purpose.MEASURES: ("养殖的 20 头猪长势良好", "子女已在县城稳定务工", "危房改造已竣工入住"),
    Purpose.INCOME: ("核算年人均纯收入已超过当年扶贫标准", "务工收入为主要收入来源"),
    Purpose.MEDIATION: ("调解宅基地纠纷，双方达成一致",),
    Purpose.OTHER: ("了解春耕生产情况",),
}
PEOPLE = ("户主", "户主及配偶", "户主子女", "户主父母", "全体家庭成员")
VILLAGE_FINDINGS = (
    "召开村民小组会议，宣传扶贫政策",
    "查看村道硬化和饮水工程进度",
    "走访村两委了解贫困户动态",
)
FOLLOW_UPS = (
    "协调办理小额信贷",
    "联系医院安排复诊",
    "落实公益性岗位",
    "补办残疾人证",
    "跟进危房改造验收",
)

VISIT_FIELDS = (
    "cadre_id",
    "household_id",
    "region_id",
    "date",
    "purpose",
    "findings",
    "people_met",
    "note",
)
FOLLOW_UP_FIELDS = ("visit_id", "action", "due_date", "done_date", "status", "owner_id", "result")


@dataclass(frozen=True)
class GeneratedVisits:
    visits: int
    follow_ups: int


def _who_visits(region: str) -> list[tuple[int, int, str, datetime.date, datetime.date | None]]:
    """(cadre, household, household region, from, until) to draw from, in a stable order."""
    pairings = Pairing.objects.filter(household__region__pk__startswith=region).order_by("pk")
    rows = list(
        pairings.values_list(
            "cadre_id", "household_id", "household__region_id", "start_date", "end_date"
        )
    )
    if rows:
        return rows
    assigned = Assignment.objects.filter(village__pk__startswith=region).order_by("pk")
    cadres_by_village: dict[str, list[int]] = {}
    for village, unit in assigned.values_list("village_id", "unit_id"):
        cadres = Cadre.objects.filter(unit__path__startswith=_unit_path(unit)).order_by("pk")
        cadres_by_village.setdefault(village, []).extend(cadres.values_list("pk", flat=True))
    if not cadres_by_village:
        return []
    households = Household.objects.filter(region__pk__startswith=region).order_by("pk")
    result = []
    for pk, region_id in households.values_list("pk", "region_id").iterator():
        cadres = cadres_by_village.get(region_id[:VILLAGE_CODE_LENGTH])
        if cadres:
            result.append((cadres[pk % len(cadres)], pk, region_id, datetime.date.min, None))
    return result


def _unit_path(unit_id: int) -> str:
    from bangfu.assistance.models import Unit

    return Unit.objects.filter(pk=unit_id).values_list("path", flat=True).get()


def generate_visits(
    count: int,
    *,
    region: str = "",
    start: datetime.date = datetime.date(2015, 1, 1),
    end: datetime.date = datetime.date(2020, 12, 31),
    seed: int = 0,
    village_share: float = 0.1,
    follow_up_share: float = 0.15,
    batch_size: int = 20_000,
    audit: bool = True,
) -> GeneratedVisits:
    end = min(end, timezone.localdate())
    sources = []
    for cadre, household, region_id, since, until in _who_visits(region):
        first = max(start, since)
        last = min(end, until) if until else end
        if first <= last:
            sources.append((cadre, household, region_id, first, (last - first).days))
    if not sources or count <= 0:
        return GeneratedVisits(0, 0)
    rng = random.Random(seed)
    purposes, weights = zip(*PURPOSE_WEIGHTS, strict=True)
    made_visits = made_follow_ups = 0
    while made_visits < count:
        n = min(batch_size, count - made_visits)
        household_rows, village_rows, follow_up_specs = [], [], []
        for _ in range(n):
            cadre, household, region_id, first, span = sources[rng.randrange(len(sources))]
            date = first + datetime.timedelta(days=rng.randint(0, span))
            if rng.random() < village_share:
                village_rows.append(
                    (
                        cadre,
                        None,
                        region_id[:VILLAGE_CODE_LENGTH],
                        date,
                        Purpose.POLICY,
                        rng.choice(VILLAGE_FINDINGS),
                        "村两委",
                        "",
                    )
                )
                continue
            purpose = rng.choices(purposes, weights)[0]
            household_rows.append(
                (
                    cadre,
                    household,
                    region_id,
                    date,
                    purpose,
                    rng.choice(FINDINGS[purpose]),
                    rng.choice(PEOPLE),
                    "",
                )
            )
            if rng.random() < follow_up_share:
                due = date + datetime.timedelta(days=rng.randint(7, 60))
                done = None
                if rng.random() < 0.85:
                    done = min(date + datetime.timedelta(days=rng.randint(1, 70)), end)
                follow_up_specs.append(
                    (len(household_rows) - 1, rng.choice(FOLLOW_UPS), due, done, cadre)
                )
        with transaction.atomic():
            household_ids = _insert_visits(household_rows, audit, "registry.household")
            _insert_visits(village_rows, audit, "visits.visit")
            made_follow_ups += _insert_follow_ups(household_ids, follow_up_specs, audit)
        made_visits += n
    return GeneratedVisits(made_visits, made_follow_ups)


def _insert_visits(rows: list[tuple], audit: bool, subject_type: str) -> list[int]:
    if not rows:
        return []
    ids = bulk.allocate_ids(Visit, len(rows))
    bulk.insert(
        Visit._meta.db_table,
        ["id", *bulk.columns(Visit, VISIT_FIELDS)],
        [(pk, *row) for pk, row in zip(ids, rows, strict=True)],
    )
    if audit:
        subject = "t.household_id" if subject_type == "registry.household" else "t.id"
        bulk.audit_created(
            Visit,
            ids,
            VISIT_FIELDS,
            subject_type=subject_type,
            subject_id_sql=subject,
            repr_sql="CAST(t.date AS TEXT)",
        )
    return ids


def _insert_follow_ups(visit_ids: list[int], specs: list[tuple], audit: bool) -> int:
    if not specs:
        return 0
    rows = [
        (
            visit_ids[index],
            action,
            due,
            done,
            FollowUpStatus.DONE if done else FollowUpStatus.OPEN,
            owner,
            "已办结" if done else "",
        )
        for index, action, due, done, owner in specs
    ]
    ids = bulk.allocate_ids(FollowUp, len(rows))
    bulk.insert(
        FollowUp._meta.db_table,
        ["id", *bulk.columns(FollowUp, FOLLOW_UP_FIELDS)],
        [(pk, *row) for pk, row in zip(ids, rows, strict=True)],
    )
    if audit:
        bulk.audit_created(
            FollowUp,
            ids,
            FOLLOW_UP_FIELDS,
            subject_type="registry.household",
            subject_id_sql="v.household_id",
            repr_sql="t.action",
            join_sql=f"JOIN {Visit._meta.db_table} v ON v.id = t.visit_id",
        )
    return len(rows)
