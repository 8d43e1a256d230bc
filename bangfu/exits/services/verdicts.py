"""The one place the exits app reads the standards app (so it is easy to adapt when the Verdict
model changes): the latest verdict of a household for a standard and a year, and the names of
standards and items for messages and notices.

Only the fields the standards app keeps stable are read: Verdict.household, region, version
(version.standard.code), year, passed, failed_items, created.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VerdictInfo:
    passed: bool
    failed_codes: tuple[str, ...]
    failed_names: tuple[str, ...]
    year: int
    standard_code: str
    created: object


def latest_household_verdict(household, standard_code: str, year: int) -> VerdictInfo | None:
    """The household's most recent verdict under `standard_code` for `year` (any version), or
    None when it has never been evaluated for that year."""
    from bangfu.standards.models import StandardItem, Verdict

    verdict = (
        Verdict.objects.filter(
            household=household, version__standard__code=standard_code, year=year
        )
        .order_by("-created", "-pk")
        .only("passed", "failed_items", "year", "created", "version_id")
        .first()
    )
    if verdict is None:
        return None
    codes = tuple(c for c in (verdict.failed_items or "").split(";") if c)
    names = dict(
        StandardItem.objects.filter(version_id=verdict.version_id, code__in=codes).values_list(
            "code", "name"
        )
    )
    return VerdictInfo(
        passed=bool(verdict.passed),
        failed_codes=codes,
        failed_names=tuple(names.get(c, c) for c in codes),
        year=verdict.year,
        standard_code=standard_code,
        created=verdict.created,
    )


def standard_name(code: str) -> str:
    """The standard's name in the user's language (its stored Chinese name is a msgid of the
    standards app), or its code when unknown."""
    from django.utils.translation import gettext

    from bangfu.standards.models import Standard

    name = Standard.objects.filter(code=code).values_list("name", flat=True).first()
    return gettext(name) if name else code


def standard_codes() -> list[tuple[str, str]]:
    """(code, name) of every standard, for the case form."""
    from django.utils.translation import gettext

    from bangfu.standards.models import Standard

    return [
        (code, gettext(name))
        for code, name in Standard.objects.order_by("code").values_list("code", "name")
    ]


def evaluate_region(standard_code: str, year: int, region: str) -> bool:
    """Evaluate `standard_code` for `year` over `region` (the standards app's set-based
    evaluation), so the households there have current verdicts; False when the standards app
    refuses (e.g. no poverty line for the year) — nothing is written then."""
    from bangfu.standards.services.evaluate import EvaluationError, evaluate

    try:
        evaluate(standard_code, year, region)
    except EvaluationError:
        return False
    return True
