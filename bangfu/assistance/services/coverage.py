"""Coverage and workload checks as set-based queries: each returns a queryset (one SQL
statement with EXISTS / GROUP BY, no Python loop over households), which callers narrow with
`for_user()` first or pass in as `base`.

The other checks of the coverage page live with their records and register themselves with
`core.checks`: households not visited in N days and overdue follow-ups
(`visits/services/coverage.py`), overdue measures (`plans/checks.py`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from bangfu.regions.models import Region
from bangfu.registry.choices import MONITORED_STATUSES, POOR_STATUSES
from bangfu.registry.models import Household

from ..choices import PostingRole
from ..models import Assignment, Cadre, Pairing, Posting
from .rules import active_q

# Households per cadre above which a cadre counts as overloaded (settings may override).
DEFAULT_MAX_HOUSEHOLDS_PER_CADRE = 5


def max_households_per_cadre() -> int:
    return getattr(
        settings, "ASSISTANCE_MAX_HOUSEHOLDS_PER_CADRE", DEFAULT_MAX_HOUSEHOLDS_PER_CADRE
    )


def households_without_cadre(
    date: datetime.date | None = None, base: QuerySet | None = None
) -> QuerySet:
    """Registered poor (未脱贫) and monitored households with nobody paired on `date`."""
    date = date or timezone.localdate()
    households = Household.objects.all() if base is None else base
    paired = Pairing.objects.filter(active_q(date), household=OuterRef("pk"))
    return households.filter(status__in=[*POOR_STATUSES, *MONITORED_STATUSES]).filter(
        ~Exists(paired)
    )


def villages_without_first_secretary(
    date: datetime.date | None = None, base: QuerySet | None = None
) -> QuerySet:
    """Villages with a unit assigned on `date` but no first secretary posted on that date."""
    date = date or timezone.localdate()
    villages = Region.objects.all() if base is None else base
    assigned = Assignment.objects.filter(active_q(date), village=OuterRef("pk"))
    secretary = Posting.objects.filter(
        active_q(date), village=OuterRef("pk"), role=PostingRole.FIRST_SECRETARY
    )
    return villages.filter(Exists(assigned)).filter(~Exists(secretary))


def cadres_over_load(
    limit: int | None = None, date: datetime.date | None = None, base: QuerySet | None = None
) -> QuerySet:
    """Cadres paired with more than `limit` households on `date`, annotated with `load`."""
    date = date or timezone.localdate()
    limit = max_households_per_cadre() if limit is None else limit
    cadres = Cadre.objects.all() if base is None else base
    # A correlated COUNT per cadre, answered from the covering index (cadre, start_date,
    # end_date) of migration 0004, rather than a LEFT JOIN grouped by every selected column:
    # at 5,000 cadres and 120,000 pairings 0.05 s instead of 0.45 s on SQLite (docs/benchmarks.md).
    load = (
        Pairing.objects.filter(active_q(date), cadre=OuterRef("pk"))
        .order_by()
        .values("cadre")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        cadres.annotate(load=Coalesce(Subquery(load, output_field=IntegerField()), 0))
        .filter(load__gt=limit)
        .order_by("-load", "pk")
    )
