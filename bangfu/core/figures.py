"""Figures from records for a period, contributed by several apps to shared pages.

Three kinds of page show them: the unit page (`assistance:unit`), a region page (village,
township, county: `regions:region`) and the project page (`funds:project`). Each app that holds
such records registers a provider from `AppConfig.ready()`; a page asks every provider for its
section, so an app adds figures without touching another app's view.

A provider is `provider(subject, user, period) -> FigureSection | None`, registered with
`register_figures(key, provider)`. The `Subject` says what the page is about:
- `Subject.for_unit(unit_ids)`: a unit and its backing units; `unit_ids` is a queryset of ids
  (use it as `unit__in=subject.unit_ids`: a subquery, not a list);
- `Subject.for_region(code)`: every record under the region code (a prefix match);
- `Subject.for_project(project)`: one project.
`subject.narrow(queryset, unit=…, region=…, project=…)` restricts a queryset by the path that
fits the subject, or returns None when the provider's records have no such path (the provider
then answers None: no section). `subject.params()` is the list filter that names the subject
(`unit=…`, `region=…`, `project=…`), so every figure links to the filtered list behind it.
`period` holds the inclusive dates (either may be None: open).

A provider counts with aggregate queries over the user's scoped records
(`Model.objects.for_user(user)`): a bounded number of queries whatever the subject's size.

Providers written for the unit page alone (`provider(unit_ids, user, period)`, registered with
`register_unit_figures`) still work: they are asked for unit subjects only.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

UNIT, REGION, PROJECT = "unit", "region", "project"


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

    def params(self) -> dict[str, str]:
        out = {}
        if self.start:
            out["start"] = self.start.isoformat()
        if self.end:
            out["end"] = self.end.isoformat()
        return out

    def filter(self, queryset, field: str = "date"):
        """Records whose `field` (a date) falls in the period."""
        if self.start:
            queryset = queryset.filter(**{f"{field}__gte": self.start})
        if self.end:
            queryset = queryset.filter(**{f"{field}__lte": self.end})
        return queryset

    def filter_year(self, queryset, field: str = "year"):
        """Records whose `field` (a year) falls in the years the period touches."""
        if self.start:
            queryset = queryset.filter(**{f"{field}__gte": self.start.year})
        if self.end:
            queryset = queryset.filter(**{f"{field}__lte": self.end.year})
        return queryset


@dataclass(frozen=True)
class Subject:
    """What a figures page is about: a unit subtree, a region subtree or a project."""

    kind: str
    unit_ids: Any = None
    region_code: str | None = None
    project: Any = None
    _unit_id: list = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def for_unit(cls, unit_ids) -> Subject:
        return cls(UNIT, unit_ids=unit_ids)

    @classmethod
    def for_region(cls, code: str) -> Subject:
        return cls(REGION, region_code=code)

    @classmethod
    def for_project(cls, project) -> Subject:
        return cls(PROJECT, project=project)

    @property
    def unit_id(self) -> int | None:
        """The unit whose page asks: the shortest path of the subtree (one query, cached)."""
        if self.kind != UNIT:
            return None
        if not self._unit_id:
            from bangfu.assistance.models import Unit

            self._unit_id.append(
                Unit.objects.filter(pk__in=self.unit_ids)
                .order_by("path")
                .values_list("pk", flat=True)
                .first()
            )
        return self._unit_id[0]

    def narrow(
        self,
        queryset,
        *,
        unit: str | None = None,
        region: str | None = None,
        project: str | None = None,
    ):
        """`queryset` restricted to the subject through the given paths, or None when the
        records have no path for this kind of subject (or the unit is gone)."""
        if self.kind == UNIT and unit:
            return queryset.filter(**{f"{unit}__in": self.unit_ids})
        if self.kind == REGION and region:
            from bangfu.core.filters import region_prefix

            return region_prefix(queryset, region, self.region_code)
        if self.kind == PROJECT and project:
            return queryset.filter(**{project: self.project.pk})
        return None

    def params(self) -> dict[str, str | int]:
        """The list filter naming the subject (the lists' `unit`, `region`, `project`)."""
        if self.kind == UNIT:
            return {"unit": self.unit_id}
        if self.kind == REGION:
            return {"region": self.region_code}
        return {"project": self.project.pk}

    def url(self, name: str, period: Period | None = None, **extra) -> str:
        """The URL of the list `name` filtered by the subject, the period and `extra`."""
        from django.urls import reverse

        params: dict = {**self.params(), **(period.params() if period else {}), **extra}
        return f"{reverse(name)}?{urlencode(params)}"


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


FigureProvider = Callable[[Subject, object, Period], "FigureSection | None"]
UnitFigureProvider = Callable[[object, object, Period], "FigureSection | None"]
_providers: dict[str, FigureProvider] = {}


def register_figures(key: str, provider: FigureProvider) -> None:
    """Add or replace (by key) a provider for any subject; idempotent (`ready()` may run twice)."""
    _providers[key] = provider


def register_unit_figures(key: str, provider: UnitFigureProvider) -> None:
    """A provider for the unit page only (`provider(unit_ids, user, period)`)."""

    def for_units(subject: Subject, user, period: Period):
        if subject.kind != UNIT:
            return None
        return provider(subject.unit_ids, user, period)

    _providers[key] = for_units


def figures_for(subject: Subject, user, period: Period) -> list[FigureSection]:
    sections = [p(subject, user, period) for p in _providers.values()]
    return sorted((s for s in sections if s is not None), key=lambda s: (s.order, s.key))


def unit_figures(unit_ids, user, period: Period) -> list[FigureSection]:
    return figures_for(Subject.for_unit(unit_ids), user, period)


def region_figures(code: str, user, period: Period) -> list[FigureSection]:
    return figures_for(Subject.for_region(code), user, period)


def project_figures(project, user, period: Period) -> list[FigureSection]:
    return figures_for(Subject.for_project(project), user, period)
