"""Import of the funds records (`bangfu import-funds`, the page `/funds/import/`): one kind per
file (or per sheet of a workbook exported by `bangfu export-economy`), through the one sheet
mechanism of issue 4 (`services/sheets.py`) and the layouts in `services/layouts.py`.

Every row goes through the funds services (so an allocation beyond what is left in its source
or pool is refused — rows are applied in file order, so row 9 sees rows 2–8), amounts in 元
unless the column header says 万元, row-numbered errors naming the column, all or nothing unless
`partial=True`."""

from __future__ import annotations

from .layouts import LAYOUTS
from .sheets import SheetResult, import_sheet

KINDS = tuple(layout.kind for layout in LAYOUTS)
_BY_KIND = {layout.kind: layout for layout in LAYOUTS}


def import_funds(path, kind: str, user=None, partial: bool = False) -> SheetResult:
    """Import one file of `kind` (see KINDS)."""
    if kind not in _BY_KIND:
        raise ValueError(kind)
    return import_sheet(path, _BY_KIND[kind], user, partial)
