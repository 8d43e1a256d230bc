"""Set-based evaluation of a household standard for a year over a region.

Each item of the standard's current version is compiled (expressions.compile_q) to a boolean
annotation on the year's surveys; one query per province present in the set returns every
household's pass/fail of every item together with the inputs the explanations quote. Verdicts
are then written with one bulk_create. Households of the region without a survey that year
are counted (one COUNT query), not evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext as _

from bangfu.core.scoping import region_q
from bangfu.registry.models import Household, MemberSurvey, Survey

from .. import expressions
from ..choices import Subject
from ..models import NATIONAL, Standard, StandardItem, StandardVersion, Threshold, Verdict

INPUT_FIELDS = (
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "business_expense",
    "household_size",
    "farmland_mu",
    "housing_safety",
    "relocated",
)


class EvaluationError(Exception):
    """A clear Chinese message; nothing has been written."""


@dataclass
class Row:
    subject: str
    passed: bool
    failed: list[str]


@dataclass
class Result:
    standard: str
    version: StandardVersion
    year: int
    rows: list[Row] = field(default_factory=list)
    evaluated: int = 0
    skipped: int = 0  # households of the region without a survey that year


def resolve_thresholds(names: list[str], year: int, province: str) -> dict[str, Decimal]:
    """The value of each name for the year, the province's overriding the national one; a
    missing one is an EvaluationError naming it and the year."""
    found: dict[str, tuple[bool, Decimal]] = {}
    for t in Threshold.objects.filter(name__in=names, year=year, province__in=[NATIONAL, province]):
        is_province = t.province == province and province != NATIONAL
        if t.name not in found or is_province:
            found[t.name] = (is_province, t.value)
    for name in names:
        if name not in found:
            if name == "poverty_line":
                raise EvaluationError(
                    _("未设置 %(year)s 年的扶贫标准（poverty_line），未评估") % {"year": year}
                )
            raise EvaluationError(
                _("未设置 %(year)s 年的阈值 %(name)s，未评估") % {"year": year, "name": name}
            )
    return {name: value for name, (_p, value) in found.items()}


def evaluate(standard_code: str, year: int, region: str | None = None, save: bool = True) -> Result:
    standard = Standard.objects.filter(code=standard_code).first()
    if standard is None:
        raise EvaluationError(_("未知标准：%(code)s") % {"code": standard_code})
    if standard.subject != Subject.HOUSEHOLD:  # village and county: evaluate_region.py
        from .evaluate_region import evaluate_region

        return evaluate_region(standard, year, region, save)
    version = standard.current_version()
    if version is None:
        raise EvaluationError(_("标准 %(code)s 没有版本") % {"code": standard_code})
    items = [i for i in StandardItem.objects.filter(version=version) if i.active_in(year)]
    names: list[str] = []
    for item in items:
        for n in expressions.thresholds_used(item.expression):
            if n not in names:
                names.append(n)
    if "poverty_line" not in names:
        names.append("poverty_line")  # quoted by explanations of income

    surveys = Survey.objects.filter(year=year)
    households = Household.objects.all()
    if region:
        surveys = surveys.filter(region_q("household__region", region))
        households = households.filter(region_q("region", region))
    result = Result(standard_code, version, year)
    result.skipped = households.filter(
        ~Exists(Survey.objects.filter(household=OuterRef("pk"), year=year))
    ).count()

    provinces = sorted(
        surveys.order_by()
        .annotate(p=Substr("household__region_id", 1, 2))
        .values_list("p", flat=True)
        .distinct()
    )
    if not provinces:
        provinces = [(region or "")[:2]]
    per_province = {p: resolve_thresholds(names, year, p) for p in provinces}

    verdicts: list[Verdict] = []
    for province in provinces:
        thresholds = per_province[province]
        qs = surveys.filter(region_q("household__region", province)).annotate(
            **{k: f() for k, f in expressions.SURVEY_ANNOTATIONS.items()}
        )
        lacking = MemberSurvey.objects.filter(
            survey=OuterRef("pk"),
        )
        annotations = {}
        for item in items:
            q = expressions.compile_q(item.expression, year, thresholds)
            annotations[f"item_{item.code}"] = Case(
                When(q, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        # Facts the explanations quote about members (counts, not names).
        annotations["n_uninsured"] = _count(lacking.filter(medical_insurance=False))
        if any(i.code == "education" for i in items):
            edu = next(i for i in items if i.code == "education")
            inner = edu.expression.get("no_member")
            if inner is not None:
                annotations["n_out_of_school"] = _count(
                    lacking.filter(expressions.compile_q(inner, year, thresholds, member=True))
                )
        rows = (
            qs.annotate(**annotations)
            .values(
                "household_id",
                "household__household_no",
                "household__region_id",
                "net_income",
                *INPUT_FIELDS,
                *annotations.keys(),
            )
            .order_by("household__household_no")
        )
        used = {k: str(v) for k, v in thresholds.items()}
        for r in rows.iterator(chunk_size=2000):
            failed = [i.code for i in items if not r[f"item_{i.code}"]]
            inputs = {k: _json(r[k]) for k in (*INPUT_FIELDS, "net_income", "n_uninsured")}
            if "n_out_of_school" in r:
                inputs["n_out_of_school"] = r["n_out_of_school"]
            size = r["household_size"] or 0
            inputs["net_income_per_person"] = (
                str((Decimal(r["net_income"]) / size).quantize(Decimal("0.01"))) if size else None
            )
            result.rows.append(Row(r["household__household_no"], not failed, failed))
            verdicts.append(
                Verdict(
                    version=version,
                    year=year,
                    household_id=r["household_id"],
                    region_id=r["household__region_id"],
                    passed=not failed,
                    failed_items=";".join(failed),
                    thresholds=used,
                    inputs=inputs,
                )
            )
    result.evaluated = len(verdicts)
    if save:
        with transaction.atomic():
            Verdict.objects.bulk_create(verdicts, batch_size=2000)
    return result


def _count(qs):
    sub = Subquery(
        qs.order_by().values("survey").annotate(c=Count("pk")).values("c")[:1],
        output_field=IntegerField(),
    )
    return Coalesce(sub, Value(0))


def _json(v):
    if isinstance(v, Decimal):
        return str(v)
    return v
