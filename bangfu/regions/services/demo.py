"""Demo village facts (村情) 2015–2020 for the demo registry's villages: a demo step (`STEPS` in
assistance/services/demo.py), run by `bangfu demo` after the registry.

The rural population is the one the registry demo sized its villages by
(`registry.services.demo.rural_population`), so the poverty incidence at the end of 2020 is the
seeds' (about 0.3 % in the seven villages of seed 000, 0.64 % in 大桥村, 0.82 % in 江台村). Poor
villages get their road, clinic, venue and broadband before their exit peak year, a featured
industry from 2016, and a collective income that starts the year before the exit peak and grows;
the non-poor villages have them all from 2015. Written in bulk with one audit entry per row.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from bangfu.core import audit
from bangfu.core.choices import AuditAction, ChangeSource
from bangfu.registry.services import demo as registry_demo

from ..models import Region, VillageYear

YEARS = registry_demo.YEARS


def facts_for(plan: registry_demo.VillagePlan, year: int, population: int, poor: bool) -> dict:
    ready = not poor or year >= plan.exit_peak - 1
    income = 0
    if not poor:
        income = 60_000 + 5_000 * (year - 2015)
    elif year >= plan.exit_peak - 1:
        income = 20_000 + 15_000 * (year - plan.exit_peak + 1)
    return dict(
        rural_population=population,
        featured_industry=not poor or year >= 2016,
        road_to_village_hardened=ready,
        clinic_with_doctor=ready,
        public_service_venue=not poor or year >= plan.exit_peak,
        broadband=not poor or year >= plan.exit_peak,
        collective_income=Decimal(income),
        committee_rated_good=not poor or year >= 2016,
    )


def build(households: int = registry_demo.DEFAULT_HOUSEHOLDS) -> int:
    """Write the facts of every demo village present in the region tree; returns the rows."""
    plans = {p.code: p for p in registry_demo.VILLAGES}
    regions = {r.code: r for r in Region.objects.filter(pk__in=list(plans))}
    existing = set(
        VillageYear.objects.filter(region_id__in=list(regions)).values_list("region_id", "year")
    )
    rows = []
    for code, region in sorted(regions.items()):
        plan = plans[code]
        population = registry_demo.rural_population(code, households)
        for year in YEARS:
            if (code, year) in existing:
                continue
            facts = facts_for(plan, year, population, region.is_registered_poor)
            rows.append(VillageYear(region=region, year=year, **facts))
    made = VillageYear.objects.bulk_create(rows, batch_size=1000)
    fields = VillageYear.get_audit_fields()
    audit.bulk_record(
        [vy._audit_entry(AuditAction.CREATE, None, audit.snapshot(vy, fields)) for vy in made]
    )
    return len(made)


def village_facts(seed: int = registry_demo.DEFAULT_SEED, households: int = 0):
    """The demo step: facts 2015–2020 for the demo villages."""
    from bangfu.assistance.services.demo import StepResult

    with audit.audit_context(source=ChangeSource.DEMO):
        n = build(households or registry_demo.DEFAULT_HOUSEHOLDS)
    return StepResult(
        summary=_("村情演示数据：%(n)d 条（各村 2015–2020 年）") % {"n": n}
        + f" / demo village facts: {n} rows (2015–2020)",
        counts={"village_years": n},
    )
