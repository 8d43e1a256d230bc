"""Generated activities for the demo (and benchmarks): deterministic for a seed, written in bulk.

    generate_activities(
        start: date, end: date, *, units=None, per_month: float = 1.5, seed: int = 0,
        batch_size: int = 2000,
    ) -> int

For every assignment (定点帮扶) running at some time in [start, end] — of `units` and their
backing units when given, else all — and every month it runs in that window, it writes about
`per_month` activities (Poisson-like, 0…4) in the assigned village, each attributed to the
assignment's backing unit (else the unit), led by one of that unit's cadres (if it has any),
dated on a day the assignment runs and never after today. Kinds and counts follow the seeds:
mostly meetings and trainings (20–120 人次), some 义诊 and 党建, a few disputes resolved and cases
handled (1–5 起). The records satisfy the model's rules by construction, so `full_clean()` is
skipped; one audit entry per activity is written in bulk in the same transaction.
Returns the number of activities written. Same arguments and same data → the same records.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bangfu.assistance.models import Assignment, Cadre, Unit
from bangfu.core import audit
from bangfu.core.choices import AuditAction

from ..choices import KIND_COUNTS, ActivityKind
from ..models import Activity

KIND_WEIGHTS = [
    (ActivityKind.MEETING, 30),
    (ActivityKind.TRAINING, 25),
    (ActivityKind.MEDICAL, 8),
    (ActivityKind.PARTY, 15),
    (ActivityKind.DISPUTE, 10),
    (ActivityKind.DRILL, 5),
    (ActivityKind.CASE, 7),
]

TITLES = {
    ActivityKind.MEETING: "扶贫政策宣讲会",
    ActivityKind.TRAINING: "种养技术培训",
    ActivityKind.MEDICAL: "进村义诊",
    ActivityKind.PARTY: "主题党日活动",
    ActivityKind.DISPUTE: "矛盾纠纷排查化解",
    ActivityKind.DRILL: "消防安全演练",
    ActivityKind.CASE: "营商环境案件办理",
}


def _months(start: datetime.date, end: datetime.date):
    day = start.replace(day=1)
    while day <= end:
        nxt = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        yield max(day, start), min(nxt - datetime.timedelta(days=1), end)
        day = nxt


def _how_many(rng: random.Random, mean: float) -> int:
    """A small Poisson draw by inversion, capped at 4."""
    n, p = 0, rng.random()
    term = cumulative = math.exp(-mean)
    while p > cumulative and n < 4:
        n += 1
        term *= mean / n
        cumulative += term
    return n


@transaction.atomic
def generate_activities(
    start: datetime.date,
    end: datetime.date,
    *,
    units=None,
    per_month: float = 1.5,
    seed: int = 0,
    batch_size: int = 2000,
) -> int:
    rng = random.Random(seed)
    end = min(end, timezone.localdate())
    assignments = Assignment.objects.filter(start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    if units is not None:
        paths = [u.path for u in units]
        q = Q()
        for path in paths:
            q |= Q(unit__path__startswith=path)
        assignments = assignments.filter(q)
    assignments = list(assignments.select_related("unit", "backing_unit").order_by("pk"))
    cadres_of: dict[int, list[int]] = defaultdict(list)
    unit_paths = dict(Unit.objects.values_list("pk", "path"))
    for cadre_id, unit_id in Cadre.objects.order_by("pk").values_list("pk", "unit_id"):
        path = unit_paths[unit_id]
        for ancestor in path.strip("/").split("/"):
            cadres_of[int(ancestor)].append(cadre_id)
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    created: list[Activity] = []
    for a in assignments:
        unit = a.backing_unit or a.unit
        leaders = cadres_of.get(unit.pk, [])
        first = max(a.start_date, start)
        last = min(a.end_date or end, end)
        for month_start, month_end in _months(first, last):
            for _ in range(_how_many(rng, per_month)):
                kind = rng.choices(kinds, weights)[0]
                spec = KIND_COUNTS[kind]
                day = month_start + datetime.timedelta(
                    days=rng.randrange((month_end - month_start).days + 1)
                )
                created.append(
                    Activity(
                        kind=kind,
                        date=day,
                        title=TITLES[kind],
                        unit_id=unit.pk,
                        village_id=a.village_id,
                        region_id=a.village_id,
                        participants=rng.randint(20, 120) if spec.participants else 0,
                        count=rng.randint(1, 5) if spec.count_label is not None else 0,
                        cadre_id=rng.choice(leaders) if leaders else None,
                    )
                )
    Activity.objects.bulk_create(created, batch_size=batch_size)
    if created and created[0].pk is None:  # backends that do not return ids
        created = list(Activity.objects.order_by("-pk")[: len(created)])[::-1]
    fields = Activity.get_audit_fields()
    audit.bulk_record(
        [
            audit.entry(
                AuditAction.CREATE,
                "activities.activity",
                obj.pk,
                str(obj),
                "activities.activity",
                obj.pk,
                None,
                audit.snapshot(obj, fields),
            )
            for obj in created
        ],
        batch_size=batch_size,
    )
    return len(created)
