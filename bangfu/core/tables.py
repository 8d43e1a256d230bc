"""Simple tables: a list of column definitions rendered by `includes/table.html`.

A column names a header (a Chinese msgid), how to read the value from a row (a dotted attribute
path, a callable attribute such as `get_status_display`, or a function of the row and the table)
and, optionally, where the value links to. Tables know the request, so a column can mask
personal data for the current user.

    class HouseholdTable(Table):
        columns = [
            Column(_("户编号"), "household_no", link=lambda row: reverse(...)),
            Column(_("户类型"), "get_status_display"),
        ]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format


def resolve(obj: Any, path: str) -> Any:
    """`a.b.c` read from obj; callables on the way are called; None stops the walk."""
    value = obj
    for part in path.split("."):
        if value is None:
            return None
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if callable(value) and not hasattr(value, "all"):
            value = value()
    return value


class Column:
    def __init__(
        self,
        header,
        accessor: str | Callable[[Any, Table], Any] | None = None,
        *,
        link: Callable[[Any], str | None] | None = None,
        numeric: bool = False,
        css: str = "",
        empty: str = "—",
    ):
        self.header = header
        self.accessor = accessor
        self.link = link
        self.numeric = numeric
        self.css = (css + (" num" if numeric else "")).strip()
        self.empty = empty

    def value(self, row, table: Table):
        if callable(self.accessor):
            value = self.accessor(row, table)
        elif self.accessor:
            value = resolve(row, self.accessor)
        else:
            value = row
        if value is None or value == "":
            return self.empty
        if isinstance(value, bool):
            from django.utils.translation import gettext

            return gettext("是") if value else gettext("否")
        if isinstance(value, Decimal):
            return number_format(value, 2, force_grouping=True)
        if self.numeric and isinstance(value, int) and abs(value) >= 10000:
            return number_format(value, force_grouping=True)
        return value


class Cell:
    __slots__ = ("value", "url", "css", "header")

    def __init__(self, value, url, css, header):
        self.value, self.url, self.css, self.header = value, url, css, header


class Table:
    columns: list[Column] = []
    empty_text = None  # default set in the template

    def __init__(self, rows: Iterable, request=None, columns: list[Column] | None = None):
        self.data = rows
        self.request = request
        if columns is not None:
            self.columns = columns

    @property
    def user(self):
        return getattr(self.request, "user", None)

    @property
    def headers(self):
        return [(c.header, "num" if c.numeric else "") for c in self.columns]

    @property
    def rows(self) -> list[list[Cell]]:
        out = []
        for row in self.data:
            cells = []
            for c in self.columns:
                url = c.link(row) if c.link else None
                cells.append(Cell(c.value(row, self), url, c.css, c.header))
            out.append(cells)
        return out
