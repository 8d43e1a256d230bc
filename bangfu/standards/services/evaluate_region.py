"""Set-based evaluation of the village and county standards (`cn-village`, `gx-village`,
`gx-county`, standards.md) for a year over a region, stored as `RegionVerdict`.

Per village, in a few GROUP BY queries (never a loop over households):

1. the year's surveys of the village's registered households (建档立卡户: category other than
   一般农户, not 自然减少), with the household items `housing` and `education` compiled to SQL
   from the current version of the household standard (`expressions.compile_q`, as
   evaluate.py does) and counted as failing; households with safe water, electricity, TV; those
   with a member of 普通/技能劳动力 that take part in no assisted industry on 31 December (the
   cooperatives app's `participation_q`, as 产业覆盖率 counts: cooperative membership, a 产业
   measure of a household plan, an industry project or subsidy);
   低保/特困 households without transfer income;
2. their members in the year's survey, and those insured;
3. poverty incidence from `bangfu.indicators.services.incidence` (one query);
4. the village facts (`VillageYear`) of the year.

Items are then decided per village from these numbers, which are stored as the verdict's
inputs (e.g. 93 of 100 households with safe water) with the thresholds used. A village without
facts for the year is skipped and counted, not failed. A county item of `gx-county` fails when
any evaluated village of the county fails the same `gx-village` item.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from bangfu.cooperatives.services.coverage import participation_q
from bangfu.core.scoping import region_q
from bangfu.indicators.services.incidence import Incidence, village_figures
from bangfu.regions.choices import LEVEL_LENGTH, Level
from bangfu.regions.models import Region, VillageYear
from bangfu.registry.choices import Category, LabourAbility, Status
from bangfu.registry.models import Household, MemberSurvey, Survey

from .. import definitions, expressions
from ..choices import Subject
from ..models import RegionVerdict, Standard, StandardItem
from .evaluate import EvaluationError, Result, Row, resolve_thresholds

VILLAGE_LEN = LEVEL_LENGTH[Level.VILLAGE]
COUNTY_LEN = LEVEL_LENGTH[Level.COUNTY]
ASSISTED = (Category.DIBAO, Category.TEKUN)
LABOUR = (LabourAbility.ORDINARY, LabourAbility.SKILLED)
# Village items a gx-county item repeats.
COUNTY_FROM_VILLAGE = (
    "featured_industry",
    "housing",
    "medical",
    "education",
    "road",
    "water",
    "electricity",
    "public_service",
)
FACT_FIELDS = (
    "rural_population",
    "featured_industry",
    "road_to_village_hardened",
    "clinic_with_doctor",
    "public_service_venue",
    "broadband",
    "collective_income",
    "committee_rated_good",
)


def _count(q) -> Sum:
    return Sum(Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField()))


def _household_items(year: int, thresholds: dict[str, Decimal], standard: Standard):
    """The household items `housing` and `education` as Q over Survey: from the current version
    of the household standard of the same province (gx-household for Guangxi standards,
    cn-household otherwise), else from the definitions."""
    code = "gx-household" if standard.province == "45" else "cn-household"
    found = {"housing": definitions.HOUSING, "education": definitions.EDUCATION}
    household_standard = Standard.objects.filter(code=code).first()
    version = household_standard.current_version() if household_standard else None
    if version is not None:
        for item in StandardItem.objects.filter(version=version, code__in=list(found)):
            found[item.code] = item.expression
    return {k: expressions.compile_q(v, year, thresholds) for k, v in found.items()}


def registered_surveys(year: int, prefix: str):
    """The year's surveys of registered households (建档立卡户) under `prefix`."""
    return (
        Survey.objects.filter(year=year)
        .filter(region_q("household__region", prefix))
        .exclude(household__category=Category.NON_POOR)
        .exclude(household__status=Status.NATURAL_DECREASE)
    )


def household_aggregates(year: int, prefix: str, thresholds, standard) -> dict[str, dict]:
    """{village code: counts over its registered households' surveys}: one GROUP BY."""
    items = _household_items(year, thresholds, standard)
    labour = Exists(MemberSurvey.objects.filter(survey=OuterRef("pk"), labour_ability__in=LABOUR))
    # 产业: the households that take part in an assisted industry on 31 December of the year, as
    # the cooperatives app's 产业覆盖率 counts them (membership, 产业 measure, project, subsidy)
    taking_part = Household.objects.filter(participation_q(datetime.date(year, 12, 31)))
    industry = Q(household__in=taking_part.values("pk"))
    rows = (
        registered_surveys(year, prefix)
        .annotate(**{k: f() for k, f in expressions.SURVEY_ANNOTATIONS.items()})
        .annotate(_v=Substr("household__region_id", 1, VILLAGE_LEN))
        .values("_v")
        .annotate(
            households=Count("pk"),
            housing_failed=_count(~items["housing"]),
            education_failed=_count(~items["education"]),
            water=_count(Q(safe_water=True)),
            electricity=_count(Q(electricity=True)),
            tv=_count(Q(tv_access=True)),
            labour_households=_count(Q(labour)),
            labour_without_industry=_count(Q(labour) & ~industry),
            assisted=_count(Q(household__category__in=ASSISTED)),
            assisted_without_transfer=_count(
                Q(household__category__in=ASSISTED) & Q(transfer_income__lte=0)
            ),
        )
        .order_by()
    )
    out = {r.pop("_v"): r for r in rows}
    members = (
        MemberSurvey.objects.filter(
            survey__in=registered_surveys(year, prefix).values("pk"),
        )
        .annotate(_v=Substr("survey__household__region_id", 1, VILLAGE_LEN))
        .values("_v")
        .annotate(members=Count("pk"), insured=_count(Q(medical_insurance=True)))
        .order_by()
    )
    for r in members:
        out.setdefault(r["_v"], {}).update(members=r["members"], insured=r["insured"])
    return out


EMPTY = {
    "households": 0,
    "housing_failed": 0,
    "education_failed": 0,
    "water": 0,
    "electricity": 0,
    "tv": 0,
    "labour_households": 0,
    "labour_without_industry": 0,
    "assisted": 0,
    "assisted_without_transfer": 0,
    "members": 0,
    "insured": 0,
}


def _share_ok(part: int, whole: int, share: Decimal) -> bool:
    """part ÷ whole ≥ share %, exactly (0 of 0 passes: nobody lacks it)."""
    return whole == 0 or Decimal(part) * 100 >= share * whole


def _incidence_ok(poor: int, population: int, limit: Decimal) -> bool:
    """poor ÷ population < limit %, exactly; no population: fails (cannot be shown below)."""
    return population > 0 and Decimal(poor) * 100 < limit * population


def _pct(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) * 100 / whole).quantize(Decimal("0.01")))


def village_items(codes, facts, agg, inc, thresholds, western: bool) -> dict[str, bool]:
    """Every item of cn-village and gx-village for one village (the standard picks its own)."""
    share = thresholds.get("coverage_share", Decimal(95))
    a = {**EMPTY, **agg}
    population = facts.rural_population
    limit = thresholds.get("incidence_max", Decimal(3))
    if "incidence_max_west" in thresholds and western:
        limit = thresholds["incidence_max_west"]
    results = {
        "featured_industry": facts.featured_industry and a["labour_without_industry"] == 0,
        "housing": a["housing_failed"] == 0,
        "medical": _share_ok(a["insured"], a["members"], share) and facts.clinic_with_doctor,
        "education": a["education_failed"] == 0,
        "road": facts.road_to_village_hardened,
        "water": _share_ok(a["water"], a["households"], share),
        "electricity": _share_ok(a["electricity"], a["households"], share),
        "public_service": facts.public_service_venue,
        "tv": _share_ok(a["tv"], a["households"], share) and facts.broadband,
        "collective_income": facts.collective_income > 0,
        "committee": facts.committee_rated_good,
        "incidence": _incidence_ok(inc.poor, population, limit),
        "social_assistance": a["assisted_without_transfer"] == 0,
    }
    return {c: bool(results[c]) for c in codes}


def _village_inputs(facts, agg, inc, western: bool, limit: Decimal) -> dict:
    a = {**EMPTY, **agg}
    rate = _pct(inc.poor, facts.rural_population)
    return {
        **a,
        **{f: _json(getattr(facts, f)) for f in FACT_FIELDS},
        "western_region": western,
        "poor": inc.poor,
        "exited": inc.exited,
        "population": facts.rural_population,
        "incidence": rate,
        "incidence_limit": str(limit),
        "insured_pct": _pct(a["insured"], a["members"]),
        "water_pct": _pct(a["water"], a["households"]),
        "electricity_pct": _pct(a["electricity"], a["households"]),
        "tv_pct": _pct(a["tv"], a["households"]),
    }


def _json(v):
    return str(v) if isinstance(v, Decimal) else v


def evaluate_region(
    standard: Standard | str,
    year: int,
    region: str | None = None,
    save: bool = True,
    run=None,
) -> Result:
    """Evaluate a village or county standard; one RegionVerdict per village (or county) with
    facts. Raises EvaluationError (nothing written) for an unknown standard or a missing
    threshold. With `run` (an EvaluationRun started from the runs page or the API) its pinned
    version is used and the verdicts name the run."""
    if isinstance(standard, str):
        code = standard
        standard = Standard.objects.filter(code=code).first()
        if standard is None:
            raise EvaluationError(_("未知标准：%(code)s") % {"code": code})
    if standard.subject not in (Subject.VILLAGE, Subject.COUNTY):
        raise EvaluationError(_("标准 %(code)s 不是村或县的标准") % {"code": standard.code})
    version = run.version if run is not None and run.version_id else standard.current_version()
    if version is None:
        raise EvaluationError(_("标准 %(code)s 没有版本") % {"code": standard.code})
    items = [i for i in StandardItem.objects.filter(version=version) if i.active_in(year)]
    codes = [i.code for i in items]
    county = standard.subject == Subject.COUNTY
    prefix = region or ""
    if county and len(prefix) > COUNTY_LEN:
        prefix = prefix[:COUNTY_LEN]  # a county standard judges the whole county

    names = ["school_age_min", "school_age_max"]
    if any(c in codes for c in ("medical", "water", "electricity", "tv")) or county:
        names.append("coverage_share")
    if "incidence" in codes:
        names.append("incidence_max")
        if standard.code == "cn-village" or not standard.province:
            names.append("incidence_max_west")
    thresholds = resolve_thresholds(names, year, standard.province)

    villages = Region.objects.filter(level=Level.VILLAGE).filter(region_q("pk", prefix))
    village_names = dict(villages.values_list("code", "name"))
    facts = {
        f.region_id: f
        for f in VillageYear.objects.filter(year=year).filter(region_q("region", prefix))
    }
    western_of = dict(
        Region.objects.filter(level=Level.PROVINCE).values_list("code", "western_region")
    )
    needs_households = county or set(codes) - {"incidence"}
    agg = household_aggregates(year, prefix, thresholds, standard) if needs_households else {}
    incidence = village_figures(year, prefix)

    result = Result(standard.code, version, year)
    used = {k: str(v) for k, v in thresholds.items()}
    verdicts: list[RegionVerdict] = []
    without = sorted(c for c in village_names if c not in facts)
    result.skipped = len(without)  # villages without facts for the year
    result.skipped_codes = without
    result.skipped_counties = 0
    # village items for villages with facts (a county standard evaluates them too)
    village_codes = [c[0] for c in definitions.STANDARDS["gx-village"][3]]
    village_codes.append("social_assistance")
    per_village: dict[str, tuple[dict[str, bool], dict]] = {}
    for code in sorted(facts):
        f = facts[code]
        western = bool(western_of.get(code[:2], False))
        inc = incidence.get(code) or Incidence(code)
        limit = thresholds.get("incidence_max", Decimal(3))
        if "incidence_max_west" in thresholds and western:
            limit = thresholds["incidence_max_west"]
        results = village_items(village_codes, f, agg.get(code, {}), inc, thresholds, western)
        per_village[code] = (results, _village_inputs(f, agg.get(code, {}), inc, western, limit))

    if not county:
        for code, (results, inputs) in per_village.items():
            failed = [c for c in codes if not results.get(c, False)]  # unknown item: fails
            result.rows.append(Row(code, not failed, failed))
            verdicts.append(
                RegionVerdict(
                    version=version,
                    run=run,
                    year=year,
                    region_id=code,
                    passed=not failed,
                    failed_items=";".join(failed),
                    thresholds=used,
                    inputs=inputs,
                )
            )
    else:
        counties = Region.objects.filter(level=Level.COUNTY).filter(region_q("pk", prefix))
        for county_region in counties.order_by("code"):
            mine = {c: v for c, v in per_village.items() if c.startswith(county_region.code)}
            if not mine:
                result.skipped_counties += 1
                continue
            inputs = _county_inputs(county_region.code, mine, village_names, without)
            # social assistance: every 低保/特困 household of the county, facts or not
            for key in ("assisted", "assisted_without_transfer"):
                inputs[key] = sum(
                    a.get(key, 0) for v, a in agg.items() if v.startswith(county_region.code)
                )
            limit = thresholds.get("incidence_max", Decimal(3))
            inputs["incidence_limit"] = str(limit)
            checks = {}
            for c in COUNTY_FROM_VILLAGE:
                checks[c] = not inputs["villages_failing"].get(c)
            checks["social_assistance"] = inputs["assisted_without_transfer"] == 0
            checks["incidence"] = _incidence_ok(inputs["poor"], inputs["population"], limit)
            failed = [c for c in codes if not checks.get(c, False)]
            result.rows.append(Row(county_region.code, not failed, failed))
            verdicts.append(
                RegionVerdict(
                    version=version,
                    run=run,
                    year=year,
                    region_id=county_region.code,
                    passed=not failed,
                    failed_items=";".join(failed),
                    thresholds=used,
                    inputs=inputs,
                )
            )
    result.evaluated = len(verdicts)
    result.passed = sum(v.passed for v in verdicts)
    if save:
        with transaction.atomic():
            RegionVerdict.objects.bulk_create(verdicts, batch_size=1000)
    return result


def _county_inputs(county: str, mine: dict, names: dict, without: list[str]) -> dict:
    sums = {k: 0 for k in (*EMPTY, "poor", "exited", "population")}
    failing: dict[str, list[str]] = {}
    for code, (results, inputs) in sorted(mine.items()):
        for k in sums:
            sums[k] += inputs[k]
        for c in COUNTY_FROM_VILLAGE:
            if not results[c]:
                failing.setdefault(c, []).append(code)
    return {
        **sums,
        "incidence": _pct(sums["poor"], sums["population"]),
        "villages": len(mine),
        "villages_failing": failing,
        "village_names": {c: names.get(c, c) for codes in failing.values() for c in codes},
        "villages_without_facts": [c for c in without if c.startswith(county)],
    }
