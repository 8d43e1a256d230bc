"""Scope for assistance records: the region mechanism of `core.scoping`, extended to units.

- Region-bound records (Assignment, Posting, Pairing, Responsibility, Zone) name their region in
  `scope_region_path` as everywhere else: a region user sees their subtree, exactly as before.
- Users with no region are answered by `unit_cadre_scope`, the scope provider this app registers
  with `core.scoping` (`AssistanceConfig.ready()`), so `Model.objects.for_user()` stays the one
  entry point for every model, registry and regions included.
- Assistance records: a user with no region but a unit (roles `unit`, `cadre`) sees the records
  of their unit and its backing units: `scope_unit_path` names the unit's materialised path
  ("/1/7/") — or a tuple of such paths, any of which may match (an assignment is seen by the
  assigned unit's and the responsible backing unit's staff) — so the subtree is one `startswith`
  on it. A `cadre` user linked to a Cadre sees only that cadre's own records when the model
  names `scope_cadre_path`.
- Unit and Cadre are not region-bound. `UnitQuerySet.for_user` gives a unit user their unit
  subtree, and a region user the units with an assignment (as unit or responsible backing unit,
  current or past, so history stays readable) to a village in their subtree;
  `CadreQuerySet.for_user` gives the cadres of those units (a cadre user: themselves).
- Registry and region records: a unit user sees those in the villages assigned today to their
  unit subtree (as unit or responsible backing unit); a cadre user the households paired with
  them today, with their members, surveys and status changes, and those households' villages.

Existing region users never reach the unit branch: `user_region_code()` decides first.
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Substr
from django.utils import timezone

from bangfu.core.scoping import ScopedManager, ScopedQuerySet, region_q, user_region_code
from bangfu.regions.choices import LEVEL_LENGTH, Level

VILLAGE_CODE_LENGTH = LEVEL_LENGTH[Level.VILLAGE]


def user_unit_path(user) -> str | None:
    """The materialised path of the user's unit ("/1/7/"), or None when they have none."""
    if not user or not user.is_authenticated or not user.is_active:
        return None
    unit = getattr(user, "unit", None) if getattr(user, "unit_id", None) else None
    return unit.path if unit is not None else None


def is_cadre_user(user) -> bool:
    from bangfu.accounts.choices import Role

    return getattr(user, "role", None) == Role.CADRE


def _active_today(prefix: str = "") -> Q:
    from .services.rules import active_q

    return active_q(timezone.localdate(), prefix)


def assigned_villages(unit_path: str):
    """Subquery: codes of the villages assigned today to the unit subtree at `unit_path`, as
    assigned unit or as responsible backing unit."""
    from .models import Assignment

    return (
        Assignment.objects.filter(_active_today())
        .filter(Q(unit__path__startswith=unit_path) | Q(backing_unit__path__startswith=unit_path))
        .values("village_id")
    )


def active_pairings(user):
    """The pairings running today of the cadre linked to `user`."""
    from .models import Pairing

    return Pairing.objects.filter(_active_today(), cadre__user=user)


def _household_path(model, path: str) -> str | None:
    """How `model` reaches a household ("pk" for Household itself), or None when it does not."""
    from bangfu.registry.models import Household

    if issubclass(model, Household):
        return "pk"
    # Records whose region is a copy of their household's (bangfu/registry/copies.py) name the
    # path to the household itself.
    household_path = getattr(model, "scope_household_path", None)
    if household_path:
        return household_path
    if path.endswith("household__region"):
        return path.removesuffix("__region")
    return None


def _region_in(path: str, subquery) -> Q:
    return Q(pk__in=subquery) if path == "pk" else Q(**{f"{path}__in": subquery})


def unit_cadre_scope(model, path: str | None, user) -> Q | None:
    """The scope provider (registered in `AssistanceConfig.ready()`) for users bound to no region.

    - Assistance records (models naming `scope_unit_path` / `scope_cadre_path`): a cadre user
      their own records, a unit user their unit subtree's (one `startswith` on `Unit.path`).
    - Region-bound records (the registry, regions): a unit user those in the villages assigned
      today to their unit subtree — `region IN (village codes and their groups)`; a cadre user
      the households paired with them today — `household IN (paired household ids)` — and, for
      Region itself, those households' villages and groups. One query, no lists of ids.
    """
    unit_fields = getattr(model, "scope_unit_path", None)
    cadre_path = getattr(model, "scope_cadre_path", None)
    cadre = is_cadre_user(user)
    if unit_fields or cadre_path:
        if cadre and cadre_path:
            return Q(**{f"{cadre_path}__user": user})
        unit_path = user_unit_path(user)
        if unit_path is None or not unit_fields:
            return None
        if isinstance(unit_fields, str):
            unit_fields = (unit_fields,)
        q = Q()
        for field in unit_fields:
            q |= Q(**{f"{field}__startswith": unit_path})
        return q
    if path is None:
        return None
    from bangfu.regions.models import Region

    if cadre:
        paired = active_pairings(user)
        if path == "pk" and issubclass(model, Region):
            villages = paired.annotate(
                _village=Substr("household__region_id", 1, VILLAGE_CODE_LENGTH)
            ).values("_village")
            return Q(pk__in=villages) | Q(pk__in=paired.values("household__region_id"))
        household_path = _household_path(model, path)
        if household_path is None:
            return None
        return _region_in(household_path, paired.values("household_id"))
    unit_path = user_unit_path(user)
    if unit_path is None:
        return None
    villages = assigned_villages(unit_path)
    regions = Region.objects.filter(Q(pk__in=villages) | Q(parent__in=villages)).values("pk")
    return _region_in(path, regions)


class AssistanceQuerySet(ScopedQuerySet):
    """Kept for the managers' names: scope is `ScopedQuerySet.for_user` (region prefix for region
    users, `unit_cadre_scope` for unit and cadre users)."""


class AssistanceManager(ScopedManager.from_queryset(AssistanceQuerySet)):
    pass


def responsibility_region_q(code: str) -> Q:
    """Responsibilities in the subtree of `code`: a household-level one by its household's
    *current* region (`household__region`), every other level by its own `region`."""
    from .choices import ResponsibilityLevel

    household = Q(level=ResponsibilityLevel.HOUSEHOLD)
    return (~household & region_q("region", code)) | (
        household & region_q("household__region", code)
    )


class ResponsibilityQuerySet(AssistanceQuerySet):
    """A household-level responsibility follows its household: `region` is copied from the
    household when it is assigned, but a household moves (an edit, an import — queryset
    UPDATEs that no signal sees), so region users are scoped by the household's current region
    instead (`responsibility_region_q`); unit and cadre users are scoped by the cadre's unit as
    before."""

    def for_user(self, user):
        code = user_region_code(user)
        if code:
            return self.filter(responsibility_region_q(code))
        return super().for_user(user)


class ResponsibilityManager(ScopedManager.from_queryset(ResponsibilityQuerySet)):
    pass


class UnitQuerySet(ScopedQuerySet):
    def for_user(self, user) -> UnitQuerySet:
        code = user_region_code(user)
        if code == "":
            return self.all()
        if code is not None:
            from .models import Assignment

            assigned = Assignment.objects.filter(region_q("village", code))
            return self.filter(
                Q(pk__in=assigned.values("unit_id")) | Q(pk__in=assigned.values("backing_unit_id"))
            )
        unit_path = user_unit_path(user)
        if unit_path is None:
            return self.none()
        return self.filter(path__startswith=unit_path)

    def subtree(self, unit) -> UnitQuerySet:
        """The unit and all its backing units, at any depth."""
        return self.filter(path__startswith=unit.path)


class UnitManager(ScopedManager.from_queryset(UnitQuerySet)):
    pass


class CadreQuerySet(ScopedQuerySet):
    def for_user(self, user) -> CadreQuerySet:
        from .models import Unit

        code = user_region_code(user)
        if code == "":
            return self.all()
        if code is None and is_cadre_user(user):
            return self.filter(user=user)
        return self.filter(unit__in=Unit.objects.for_user(user))


class CadreManager(ScopedManager.from_queryset(CadreQuerySet)):
    pass
