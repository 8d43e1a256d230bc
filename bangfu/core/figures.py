"""Figures of a unit's work for a period, contributed by several apps to one page.

The unit page (`assistance:unit`) reports what the seeds report — person-times of visits,
households and people paired, meetings and activities by type, measures by kind and status —
computed from records for any period. Each app that holds such records registers a provider from
`AppConfig.ready()`; the page asks every provider for its section, so an app adds figures without
touching another app's view.

A provider is `provider(unit_ids, user, period) -> FigureSection | None`, where `unit_ids` is a
queryset of the ids of the unit and its backing units (use it as `unit__in=unit_ids`: a
subquery, not a list), and `period` the inclusive dates (either may be None: open). It counts
with aggregate queries over the user's scoped records (`Model.objects.for_user(user)`), a
bounded number of queries whatever the unit's size, and gives every figure the URL of the
filtered list of records behind it, so each figure is traceable.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Period:
    start: datetime.date | None = None
    end: datetime.date | None = None

    def query_string(self) -> str:
        """`start=…&end=…` for the URLs of the records behind a figure ("" for open ends)."""
        parts = []
        if self.start:
            parts.append(f"start={self.start.isoformat()}")
        if self.end:
            parts.append(f"end={self.end.isoformat()}")
        return "&".join(parts)


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | Decimal
    url: str = ""  # the filtered list of the records behind the figure
    suffix: str = ""  # e.g. 人次, 户, 人


@dataclass(frozen=True)
class FigureSection:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    order: int = 100


UnitFigureProvider = Callable[[object, object, Period], "FigureSection | None"]
_providers: dict[str, UnitFigureProvider] = {}


def register_unit_figures(key: str, provider: UnitFigureProvider) -> None:
    """Add or replace (by key) a provider; idempotent so `ready()` may run twice."""
    _providers[key] = provider


def unit_figures(unit_ids, user, period: Period) -> list[FigureSection]:
    sections = [p(unit_ids, user, period) for p in _providers.values()]
    return sorted((s for s in sections if s is not None), key=lambda s: (s.order, s.key))
