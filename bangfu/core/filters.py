"""Filter pieces every app's FilterSet shares (the same FilterSet serves page, API and export)."""

from __future__ import annotations

from .scoping import region_q


def region_prefix(queryset, path: str, value):
    """Rows whose region (reached by `path`, "pk" for Region itself) lies in the subtree of the
    typed code — an index range like the scope itself (`core.scoping.region_q`); blank: all."""
    value = (value or "").strip()
    if not value:
        return queryset
    if not (value.isascii() and value.isdigit()):
        return queryset.none()  # region codes are digits: nothing else matches
    return queryset.filter(region_q(path, value))


def region_prefix_method(path: str):
    """`region_prefix` as a FilterSet `method=` for the region reached by `path`."""

    def method(self, queryset, name, value):
        return region_prefix(queryset, path, value)

    return method
