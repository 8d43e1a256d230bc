"""Scope of plans and measures.

- Region users: `scope_region_path` ("region" on Plan, "plan__region" on Measure): their subtree.
- Unit users (role `unit`): `scope_unit_path`, answered by the assistance app's provider
  (`assistance.scoping.unit_cadre_scope`): a plan of their unit or backing units, or written by
  one of its cadres; a measure of such a plan, or owned by their unit subtree or its cadres.
- Cadre users (role `cadre`): the provider's cadre branch knows one path to "the cadre" only, so
  these querysets answer them here: the plans of the households paired with them today (the same
  subquery the registry's scope uses) and the plans they wrote; the measures of those plans and
  the measures they own. One query with `IN (subquery)`, never a list of ids.
"""

from __future__ import annotations

from django.db.models import Q

from bangfu.assistance.scoping import active_pairings, is_cadre_user
from bangfu.core.scoping import ScopedManager, ScopedQuerySet, user_region_code


def _cadre_user(user) -> bool:
    return (
        user_region_code(user) is None
        and bool(user)
        and user.is_authenticated
        and (user.is_active and is_cadre_user(user))
    )


class PlanQuerySet(ScopedQuerySet):
    def for_user(self, user):
        if _cadre_user(user):
            paired = active_pairings(user).values("household_id")
            return self.filter(Q(household__in=paired) | Q(author__user=user))
        return super().for_user(user)


class PlanManager(ScopedManager.from_queryset(PlanQuerySet)):
    pass


class MeasureQuerySet(ScopedQuerySet):
    def for_user(self, user):
        if _cadre_user(user):
            paired = active_pairings(user).values("household_id")
            return self.filter(
                Q(plan__household__in=paired) | Q(plan__author__user=user) | Q(owner__user=user)
            )
        return super().for_user(user)


class MeasureManager(ScopedManager.from_queryset(MeasureQuerySet)):
    pass
