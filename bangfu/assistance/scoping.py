"""Scope for assistance records: the region mechanism of `core.scoping`, extended to units.

- Region-bound records (Assignment, Posting, Pairing, Responsibility, Zone) name their region in
  `scope_region_path` as everywhere else: a region user sees their subtree, exactly as before.
- A user with no region but a unit (roles `unit`, `cadre`) sees the records of their unit and
  its backing units: `scope_unit_path` names the unit's materialised path ("/1/7/") — or a
  tuple of such paths, any of which may match (an assignment is seen by the assigned unit's and
  the responsible backing unit's staff) — so the subtree is one `startswith` on it. A `cadre`
  user linked to a Cadre sees only that cadre's own records when the model names
  `scope_cadre_path`.
- Unit and Cadre are not region-bound. `UnitQuerySet.for_user` gives a unit user their unit
  subtree, and a region user the units with an assignment (as unit or responsible backing unit,
  current or past, so history stays readable) to a village in their subtree;
  `CadreQuerySet.for_user` gives the cadres of those units (a cadre user: themselves).

Existing region users never reach the unit branch: `user_region_code()` decides first.
"""

from __future__ import annotations

from django.db.models import Q

from bangfu.core.scoping import ScopedManager, ScopedQuerySet, region_q, user_region_code


def user_unit_path(user) -> str | None:
    """The materialised path of the user's unit ("/1/7/"), or None when they have none."""
    if not user or not user.is_authenticated or not user.is_active:
        return None
    unit = getattr(user, "unit", None) if getattr(user, "unit_id", None) else None
    return unit.path if unit is not None else None


def is_cadre_user(user) -> bool:
    from bangfu.accounts.choices import Role

    return getattr(user, "role", None) == Role.CADRE


class AssistanceQuerySet(ScopedQuerySet):
    """Region scope first (unchanged for region users); then the user's unit subtree."""

    def for_user(self, user) -> AssistanceQuerySet:
        code = user_region_code(user)
        if code is not None:
            return self.filter(region_q(self.model.scope_region_path, code))
        cadre_path = getattr(self.model, "scope_cadre_path", None)
        if is_cadre_user(user) and cadre_path:
            return self.filter(**{f"{cadre_path}__user": user})
        unit_path = user_unit_path(user)
        unit_fields = getattr(self.model, "scope_unit_path", None)
        if unit_path is None or not unit_fields:
            return self.none()
        if isinstance(unit_fields, str):
            unit_fields = (unit_fields,)
        q = Q()
        for field in unit_fields:
            q |= Q(**{f"{field}__startswith": unit_path})
        return self.filter(q)


class AssistanceManager(ScopedManager.from_queryset(AssistanceQuerySet)):
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
