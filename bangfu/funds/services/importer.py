"""Import of the funds records (`bangfu import-funds`, the page `/funds/import/`): one kind per
file (or per sheet of a workbook exported by `bangfu export-economy`), through the one sheet
mechanism of issue 4 (`services/sheets.py`) and the layouts in `services/layouts.py`.

Every row goes through the funds services (so an allocation beyond what is left in its source
or pool is refused — rows are applied in file order, so row 9 sees rows 2–8), amounts in 元
unless the column header says 万元, row-numbered errors naming the column, all or nothing unless
`partial=True`."""

from __future__ import annotations

from pathlib import Path

from .layouts import LAYOUTS
from .sheets import Layout, SheetResult, import_sheet

KINDS = tuple(layout.kind for layout in LAYOUTS)
_BY_KIND = {layout.kind: layout for layout in LAYOUTS}


def import_funds(path, kind: str, user=None, partial: bool = False) -> SheetResult:
    """Import one file of `kind` (see KINDS)."""
    if kind not in _BY_KIND:
        raise ValueError(kind)
    return import_sheet(path, _BY_KIND[kind], user, partial)


# `ImportBatch.kind` of the upload pages' imports: "<page>:<layout kind>" (at most 32
# characters: "economy:commitment_payments" is 27), the page being "funds" (/funds/import/) or
# "economy" (/credit/import/), so the batch page links back to it
PAGES = ("funds", "economy")


def start_upload(user, layout: Layout, upload, partial: bool, page: str = "funds"):
    """The upload pages (/funds/import/, /credit/import/): store the file, create its
    `ImportBatch` and import it in a background thread (`core.imports.runner`; at once under
    `BANGFU_IMPORT_SYNC`, the tests); the page then shows the batch's progress and outcome, its
    first errors and the full error report (the registry import's batch page). Returns the
    batch."""
    if page not in PAGES:
        raise ValueError(page)
    from bangfu.core.imports.runner import run_in_background
    from bangfu.core.imports.views import upload_dir
    from bangfu.core.models import ImportBatch
    from bangfu.core.scoping import user_region_code

    batch = ImportBatch.objects.create(
        kind=f"{page}:{layout.kind}",
        filename=Path(upload.name).name[:255],
        user=user,
        partial=partial,
        scope=user_region_code(user) or "",
    )
    path = upload_dir() / f"batch-{batch.pk}{Path(upload.name).suffix.lower()}"
    with open(path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)

    def job(batch) -> None:
        try:
            import_sheet(path, layout, batch.user, batch.partial, batch=batch)
        finally:
            path.unlink(missing_ok=True)

    run_in_background(batch.pk, job)
    return batch
