"""What-if: a household's survey figures changed in a form, evaluated WITHOUT saving anything.

The pinned rules of the standard's current version are evaluated in memory over the submitted
values (expressions.evaluate_py, property-tested to agree with the SQL evaluation); the result
is an unsaved `Verdict` with the same typed inputs a stored verdict has, so the explanations
and gaps are those the household would get from a real run.
"""

from __future__ import annotations

from decimal import Decimal

from .. import expressions
from ..models import Standard, Verdict
from .evaluate import EvaluationError, active_items, resolve_thresholds, threshold_names
from .gaps import gaps_of


def what_if(household, standard_code: str, year: int, facts: dict, members: list[dict]):
    """(unsaved Verdict, out-of-school ages) for the given figures. Raises EvaluationError."""
    standard = Standard.objects.filter(code=standard_code).first()
    if standard is None or standard.subject != "household":
        raise EvaluationError(f"{standard_code}")
    version = standard.current_version()
    items = active_items(version, year)
    thresholds = resolve_thresholds(threshold_names(items), year, household.region_id[:2])
    failed = [
        i.code
        for i in items
        if not expressions.evaluate_py(i.expression, facts, members, year, thresholds)
    ]
    counts: dict[str, int] = {}
    ages: list[int] = []
    for item in items:
        node = item.expression
        if item.code == "medical" and "every_member" in node:
            bad = [
                m
                for m in members
                if not expressions.evaluate_py(
                    node["every_member"], facts, members, year, thresholds, m
                )
            ]
            counts["members_uninsured"] = len(bad)
        if item.code == "education" and "no_member" in node:
            bad = [
                m
                for m in members
                if expressions.evaluate_py(node["no_member"], facts, members, year, thresholds, m)
            ]
            counts["children_out_of_school"] = len(bad)
            from .gaps import age_on_first_september

            ages = sorted(
                (age_on_first_september(m["member__birth_date"], year) for m in bad),
                reverse=True,
            )
    verdict = Verdict(
        version=version,
        year=year,
        household=household,
        region_id=household.region_id,
        passed=not failed,
        failed_items=";".join(failed),
        net_income=Decimal(facts["net_income"]),
        earned_income=Decimal(facts["earned_income"]),
        household_size=facts["household_size"],
        farmland_mu=facts["farmland_mu"],
        housing_safety=facts["housing_safety"],
        relocated=facts["relocated"],
        **counts,
    )
    verdict.__dict__["thresholds_override"] = {k: str(v) for k, v in thresholds.items()}
    return verdict, ages


def gaps_for(verdict: Verdict, ages: list[int]):
    return gaps_of(verdict, ages)
