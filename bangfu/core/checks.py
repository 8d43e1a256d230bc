"""Coverage and workload checks that several apps contribute to one page.

A check is a named, set-based query over the user's scoped records (one SQL statement, no Python
loop over a county) with a way to show and export each row. Apps register their checks from
`AppConfig.ready()` with `register_check()`; the coverage page (`assistance:coverage`) and its CSV
export list every registered check in `order`, so an app adds a check without touching another
app's view. `rows(user, params)` must start from `Model.objects.for_user(user)`: a check never
shows a record outside the user's area or unit. `params` is the page's query string (e.g. a
check's own `days=` setting); a check reads only the keys it documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet


@dataclass(frozen=True)
class CheckRow:
    """One row as the page shows it: a label linking to the record, and an optional value."""

    label: str
    url: str
    value: object = ""


@dataclass(frozen=True)
class Check:
    key: str
    # Callables so the title is translated in the request's language (and may name a setting).
    title: Callable[[Mapping[str, str]], str]
    rows: Callable[[object, Mapping[str, str]], QuerySet]
    row: Callable[[object], CheckRow]
    export_header: Callable[[], Sequence[str]]
    export_row: Callable[[object], Sequence[object]]
    order: int = 100
    # The permission a user needs to see this check (besides scope).
    permission: str = "assistance.view_unit"
    # Extra form fields the page shows for this check: (query-string key, label, default).
    settings: Sequence[tuple[str, Callable[[], str], str]] = field(default_factory=tuple)


_checks: dict[str, Check] = {}


def register_check(check: Check) -> Check:
    """Add or replace (by key) a check; idempotent so `ready()` may run twice."""
    _checks[check.key] = check
    return check


def registered_checks(user=None) -> list[Check]:
    """The checks in page order; only those the user may see when `user` is given."""
    checks = sorted(_checks.values(), key=lambda c: (c.order, c.key))
    if user is None:
        return checks
    return [c for c in checks if user.has_perm(c.permission)]


def get_check(key: str) -> Check | None:
    return _checks.get(key)


def int_param(params: Mapping[str, str], key: str, default: int, lo: int, hi: int) -> int:
    """A whole-number setting from the query string, clamped to [lo, hi]; bad text → default."""
    try:
        value = int(str(params.get(key, default)).strip())
    except (TypeError, ValueError):
        return default
    return max(lo, min(hi, value))


def rows_of(check: Check, user, params: Mapping[str, str]) -> Iterable[CheckRow]:
    return (check.row(obj) for obj in check.rows(user, params))
