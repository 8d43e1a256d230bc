"""Progress of an import on `core.ImportBatch`, and running an import in a background thread.

Progress is written with `QuerySet.update()` outside the import's transaction (the reading and
checking phase runs in autocommit mode), so a page polling the batch sees the rows go by.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from ..choices import ImportStatus
from ..models import ImportBatch

log = logging.getLogger(__name__)


class Progress:
    """Throttled progress writes: at most one UPDATE per `every` seconds."""

    def __init__(self, batch: ImportBatch | None, every: float = 0.5):
        self.batch = batch
        self.every = every
        self._last = 0.0

    def start(self, rows_total: int) -> None:
        self.update(status=ImportStatus.RUNNING, rows_total=rows_total, rows_done=0)

    def rows(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= self.every:
            self._last = now
            self.update(rows_done=done)

    def update(self, **fields) -> None:
        if self.batch is None:
            return
        for name, value in fields.items():
            setattr(self.batch, name, value)
        if self.batch.pk:
            ImportBatch.objects.filter(pk=self.batch.pk).update(**fields)

    def finish(self, status: str, **fields) -> None:
        self.update(status=status, finished=timezone.now(), **fields)


def run_in_background(
    batch_id: int, job: Callable[[ImportBatch], object]
) -> threading.Thread | None:
    """Run `job(batch)` in a daemon thread with its own database connection.

    With `BANGFU_IMPORT_SYNC = True` (tests) the job runs at once in the calling thread, because
    a test's transaction is invisible to another connection.
    """

    def target() -> None:
        close_old_connections()
        try:
            job(ImportBatch.objects.get(pk=batch_id))
        except Exception as exc:  # the page must learn that the import died
            log.exception("import batch %s failed", batch_id)
            ImportBatch.objects.filter(pk=batch_id).update(
                status=ImportStatus.FAILED, message=str(exc)[:2000], finished=timezone.now()
            )
        finally:
            close_old_connections()

    if getattr(settings, "BANGFU_IMPORT_SYNC", False):
        job(ImportBatch.objects.get(pk=batch_id))
        return None
    thread = threading.Thread(target=target, name=f"import-{batch_id}", daemon=True)
    thread.start()
    return thread
