"""One scoping mechanism for every model: a user sees only their area (and, later, their unit).

A scoped model names the path from itself to a region code in `scope_region_path`
(e.g. "household__region" for a member). Region codes are hierarchical prefixes
(45 › 4514 › 451423 › 451423100 › 451423100201), so "in the user's subtree" is a prefix match on
one indexed column: no recursive walk, no join beyond the path itself.
"""

from __future__ import annotations

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


def region_q(path: str, code: str) -> Q:
    """Rows whose region (reached by `path`) lies in the subtree of `code`."""
    if code == "":
        return Q()
    return Q(**{f"{path}__pk__startswith": code}) if path != "pk" else Q(pk__startswith=code)


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user) -> ScopedQuerySet:
        code = user_region_code(user)
        if code is None:
            return self.none()
        path = getattr(self.model, "scope_region_path", None)
        if path is None:
            raise TypeError(f"{self.model.__name__} has no scope_region_path")
        return self.filter(region_q(path, code))

    def in_region(self, code: str) -> ScopedQuerySet:
        return self.filter(region_q(self.model.scope_region_path, code))


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


def user_can_reach_region(user, region_code: str) -> bool:
    code = user_region_code(user)
    return code is not None and region_code.startswith(code)
