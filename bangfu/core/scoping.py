"""One scoping mechanism for every model: a user sees only their area, or their unit's.

A scoped model names the path from itself to a region code in `scope_region_path`
(e.g. "household__region" for a member). Region codes are hierarchical prefixes
(45 › 4514 › 451423 › 451423100 › 451423100201), so "in the user's subtree" is a prefix match on
one indexed column: no recursive walk, no join beyond the path itself.

Users bound to no region (roles `unit` and `cadre`) are answered by *scope providers*: functions
an app registers (`register_scope_provider`, from its `AppConfig.ready()`) that take
`(model, scope_region_path, user)` and return a `Q` (typically `path IN (subquery)`, so it stays
one query) or None when they have nothing to say. The first non-None answer wins; no answer is
"nowhere". Region users never reach the providers: `user_region_code()` decides first, so their
queries are exactly what they were. Core imports no app: the assistance app registers the
unit/cadre provider (`bangfu/assistance/scoping.py`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.db.models import Q


def user_region_code(user) -> str | None:
    """The region prefix a user is bound to: "" for everywhere, None for nowhere."""
    if not user or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    scope = getattr(user, "scope_code", None)
    return scope() if callable(scope) else None


def prefix_range(code: str) -> tuple[str, str]:
    """The half-open range [code, next) holding exactly the strings that start with `code`.

    A prefix match written as a range uses the column's ordinary B-tree index on both databases:
    `LIKE 'code%'` does not on SQLite (its LIKE is case-insensitive, the column BINARY) nor on
    PostgreSQL under a non-C collation. Region codes are digits, so incrementing the last
    character gives the first code outside the subtree."""
    return code, code[:-1] + chr(ord(code[-1]) + 1)


def region_q(path: str, code: str) -> Q:
    """Rows whose region (reached by `path`) lies in the subtree of `code` (an index range)."""
    if code == "":
        return Q()
    field = "pk" if path == "pk" else f"{path}__pk"
    low, high = prefix_range(code)
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


ScopeProvider = Callable[[type[models.Model], str | None, object], "Q | None"]
_providers: list[ScopeProvider] = []


def register_scope_provider(provider: ScopeProvider) -> ScopeProvider:
    """Add a provider (idempotent: registering the same function twice keeps one)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def provided_q(model: type[models.Model], path: str | None, user) -> Q | None:
    """The first provider's answer for a user bound to no region, or None (nowhere)."""
    if not user or not user.is_authenticated or not user.is_active:
        return None
    for provider in _providers:
        q = provider(model, path, user)
        if q is not None:
            return q
    return None


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user) -> ScopedQuerySet:
        path = getattr(self.model, "scope_region_path", None)
        code = user_region_code(user)
        if code is not None:
            if path is None:
                raise TypeError(f"{self.model.__name__} has no scope_region_path")
            return self.filter(region_q(path, code))
        q = provided_q(self.model, path, user)
        return self.none() if q is None else self.filter(q)

    def in_region(self, code: str) -> ScopedQuerySet:
        return self.filter(region_q(self.model.scope_region_path, code))


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


def user_can_reach_region(user, region_code: str) -> bool:
    code = user_region_code(user)
    return code is not None and region_code.startswith(code)
