"""Pairings (结对帮扶): one responsible cadre per household at a time, with history."""

from __future__ import annotations

import datetime

from django.db import transaction

from ..models import Cadre, Pairing
from .records import create, end
from .rules import active_q


def responsible_cadre(household, date: datetime.date) -> Cadre | None:
    """The cadre paired with `household` on `date` (None when nobody is): one query."""
    pairing = (
        Pairing.objects.filter(active_q(date), household=household)
        .select_related("cadre")
        .order_by("-start_date")
        .first()
    )
    return pairing.cadre if pairing else None


@transaction.atomic
def pair(
    cadre: Cadre,
    household,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> Pairing:
    """Pair a cadre with a household from `start_date`.

    Re-pairing: a pairing of the household still running on `start_date` and begun before it is
    ended the day before, so the history reads old cadre → new cadre with no gap and no overlap.
    A pairing starting on or after `start_date` is not touched: the new one is refused instead.
    """
    # Serialise pairings of one household (PostgreSQL row lock; SQLite has one writer anyway),
    # so two concurrent pairings cannot both pass the overlap check.
    list(type(household).objects.select_for_update().filter(pk=household.pk).values_list("pk"))
    current = (
        Pairing.objects.select_for_update()
        .filter(active_q(start_date), household=household, start_date__lt=start_date)
        .first()
    )
    if current is not None:
        end(current, start_date - datetime.timedelta(days=1))
    return create(
        Pairing, cadre=cadre, household=household, start_date=start_date, end_date=end_date
    )


def end_pairing(pairing: Pairing, end_date: datetime.date) -> Pairing:
    return end(pairing, end_date)
