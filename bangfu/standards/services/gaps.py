"""The gap to exit: for each failing household the least it needs, and per village a work list
of these gaps grouped by kind, sorted by how close each household is to passing (fewest failed
items first, then the smallest income gap).

Read from the latest verdict of each household for the standard and year (one query over the
set: the highest verdict id per household), plus one query for the out-of-school children of
all the failing households (their ages, no names).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.registry.models import MemberSurvey

from ..models import Verdict

CENT = Decimal("0.01")
OUT_OF_SCHOOL = ("dropped_out", "not_in_school")
# kind → label of the work list's group, in standards.md order
KINDS = {
    "income": gettext_lazy("增加收入"),
    "income_source": gettext_lazy("落实稳定收入来源"),
    "food_clothing": gettext_lazy("解决吃穿"),
    "education": gettext_lazy("适龄儿童返校"),
    "medical": gettext_lazy("参加基本医疗保险"),
    "housing": gettext_lazy("危房改造或易地搬迁"),
    "water": gettext_lazy("解决安全饮水"),
    "road": gettext_lazy("通硬化路"),
    "electricity": gettext_lazy("通生活用电"),
    "tv": gettext_lazy("通广播电视"),
}


@dataclass
class Gap:
    kind: str
    text: str
    income_per_person: Decimal | None = None  # to add
    income_total: Decimal | None = None
    count: int | None = None  # members to insure / children back in school
    ages: list[int] = field(default_factory=list)


@dataclass
class HouseholdGaps:
    verdict: Verdict
    gaps: list[Gap]

    @property
    def household(self):
        return self.verdict.household

    @property
    def n_failed(self) -> int:
        return len(self.gaps)

    @property
    def income_gap(self) -> Decimal:
        return next((g.income_per_person for g in self.gaps if g.kind == "income"), Decimal(0))

    @property
    def sort_key(self):
        return (self.n_failed, self.income_gap, self.household.household_no)


def age_on_first_september(born: datetime.date, year: int) -> int:
    sept = datetime.date(year, 9, 1)
    return year - born.year - ((born.month, born.day) > (sept.month, sept.day))


def out_of_school_ages(verdicts: list[Verdict]) -> dict[int, list[int]]:
    """household id → ages (on 1 September) of its members of compulsory-education age who
    lack schooling in the verdict's survey year; one query for all the verdicts."""
    by_year: dict[int, list[Verdict]] = {}
    for v in verdicts:
        if "education" in v.failed_codes and v.household_id:
            by_year.setdefault(v.year, []).append(v)
    found: dict[int, list[int]] = {}
    for year, vs in by_year.items():
        t = vs[0].thresholds
        low = int(Decimal(t.get("school_age_min", 6)))
        high = int(Decimal(t.get("school_age_max", 15)))
        rows = MemberSurvey.objects.filter(
            survey__year=year,
            survey__household_id__in=[v.household_id for v in vs],
            schooling__in=OUT_OF_SCHOOL,
        ).values_list("survey__household_id", "member__birth_date")
        for hid, born in rows:
            age = age_on_first_september(born, year)
            if low <= age <= high:
                found.setdefault(hid, []).append(age)
    for ages in found.values():
        ages.sort(reverse=True)
    return found


def gaps_of(verdict: Verdict, ages: list[int] | None = None) -> list[Gap]:
    """The least the household needs, one Gap per failed item, in the standard's order."""
    i, t = verdict.inputs, verdict.thresholds
    gaps = []
    for code in verdict.failed_codes:
        if code == "income":
            line = Decimal(t.get("poverty_line", "0"))
            size = i.get("household_size") or 1
            current = Decimal(i.get("net_income_per_person") or "0")
            per_person = max(line - current + CENT, CENT).quantize(CENT)
            total = (per_person * size).quantize(CENT)
            gaps.append(
                Gap(
                    code,
                    _("人均纯收入需增加 %(pp)s 元（全户 %(total)s 元）")
                    % {"pp": f"{per_person:,.2f}", "total": f"{total:,.2f}"},
                    income_per_person=per_person,
                    income_total=total,
                )
            )
        elif code == "medical":
            n = i.get("n_uninsured") or 0
            gaps.append(Gap(code, _("%(n)s 名成员参加基本医疗保险") % {"n": n}, count=n))
        elif code == "education":
            found = ages if ages is not None else []
            n = i.get("n_out_of_school") or len(found)
            text = _("%(n)s 名适龄儿童返校") % {"n": n}
            if found:
                text += _("（%(ages)s 岁）") % {"ages": "、".join(str(a) for a in found)}
            gaps.append(Gap(code, text, count=n, ages=list(found)))
        elif code == "housing":
            gaps.append(
                Gap(
                    code,
                    _("住房 %(grade)s 级：危房改造或易地扶贫搬迁")
                    % {"grade": i.get("housing_safety") or "?"},
                )
            )
        else:
            gaps.append(Gap(code, str(KINDS.get(code, code))))
    return gaps


def latest_verdicts(queryset, standard: str, year: int):
    """The latest verdict of each household for the standard and year, from `queryset` (already
    scoped to the user) — one query with a grouped subquery."""
    base = queryset.filter(
        version__standard__code=standard, year=year, household__isnull=False
    ).order_by()
    latest = base.values("household_id").annotate(m=Max("pk")).values("m")
    return queryset.filter(pk__in=latest)


def work_list(queryset, standard: str, year: int, region: str | None = None):
    """(households sorted by closeness to passing, {kind: [HouseholdGaps]} in KINDS order)."""
    from bangfu.core.scoping import region_q

    qs = latest_verdicts(queryset, standard, year).filter(passed=False)
    if region:
        qs = qs.filter(region_q("region", region))
    verdicts = list(qs.select_related("household", "run", "region"))
    ages = out_of_school_ages(verdicts)
    rows = [HouseholdGaps(v, gaps_of(v, ages.get(v.household_id, []))) for v in verdicts]
    rows.sort(key=lambda r: r.sort_key)
    groups: dict[str, list[HouseholdGaps]] = {}
    for kind in KINDS:
        members = [r for r in rows if any(g.kind == kind for g in r.gaps)]
        if members:
            groups[kind] = members
    for r in rows:  # items of local standards outside KINDS
        for g in r.gaps:
            if g.kind not in KINDS:
                groups.setdefault(g.kind, []).append(r)
    return rows, groups
