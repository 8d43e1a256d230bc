"""Visit checks as set-based queries (one statement each, NOT EXISTS / EXISTS); callers pass
the user's scoped queryset as `base`."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from bangfu.registry.choices import MONITORED_STATUSES, POOR_STATUSES
from bangfu.registry.models import Household

from ..choices import FollowUpStatus
from ..models import FollowUp, Visit

DEFAULT_DAYS = 90


def households_not_visited(
    days: int = DEFAULT_DAYS, date: datetime.date | None = None, base: QuerySet | None = None
) -> QuerySet:
    """Registered poor and monitored households with no visit in the `days` days up to `date`
    (the visit on the first of those days counts), annotated with `last_visit` (or None)."""
    date = date or timezone.localdate()
    since = date - datetime.timedelta(days=days - 1)
    households = Household.objects.all() if base is None else base
    recent = Visit.objects.filter(household=OuterRef("pk"), date__gte=since, date__lte=date)
    last = (
        Visit.objects.filter(household=OuterRef("pk"), date__lte=date)
        .order_by("-date")
        .values("date")[:1]
    )
    return (
        households.filter(status__in=[*POOR_STATUSES, *MONITORED_STATUSES])
        .filter(~Exists(recent))
        .annotate(last_visit=Subquery(last))
    )


def overdue_follow_ups(date: datetime.date | None = None, base: QuerySet | None = None) -> QuerySet:
    """Open follow-ups due before `date`."""
    date = date or timezone.localdate()
    follow_ups = FollowUp.objects.all() if base is None else base
    return follow_ups.filter(status=FollowUpStatus.OPEN, due_date__lt=date)
