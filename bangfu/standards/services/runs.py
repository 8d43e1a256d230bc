"""Evaluation runs: started from the page or the API, run in a background thread (as imports
are, `core.imports.runner`), polled for progress.

`start_run()` pins the standard's current version on the run at once, so a version added (or
an edit attempted) while the run waits or goes does not change what it applies: the pinned
version is `in_use` from that moment and its items are immutable. A year without a poverty
line (or any missing threshold) fails the run at the start with the message naming the year,
and no verdict is written.
"""

from __future__ import annotations

import csv
import logging
import threading

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.regions.models import Region

from ..choices import Subject
from ..models import EvaluationRun, Standard
from .evaluate import EvaluationError, evaluate, prepare

log = logging.getLogger(__name__)
CSV_HEADER = ["subject", "standard", "year", "passed", "failed_items"]


class RunRefused(Exception):
    """A Chinese message for the form or the API (400)."""


def check_region(user, region_code: str | None) -> str:
    """The region code to evaluate: the user's own scope when none is given; a region outside
    the user's scope (or unknown) is refused."""
    scope = user.scope_code()
    if scope is None:
        raise RunRefused(_("您没有可评估的区划"))
    code = (region_code or "").strip() or scope
    if code and not Region.objects.filter(pk=code).exists():
        raise RunRefused(_("未知区划：%(code)s") % {"code": code})
    if scope and not code.startswith(scope):
        raise RunRefused(_("区划 %(code)s 不在您的管辖范围内") % {"code": code})
    return code


def start_run(user, standard: Standard, year: int, region_code: str | None) -> EvaluationRun:
    """Create the run with its version pinned and start it in the background. A missing
    threshold fails the run at once (status failed, error naming the year)."""
    region = check_region(user, region_code)
    run = EvaluationRun.objects.create(
        standard=standard,
        version=standard.current_version(),
        year=year,
        region_id=region or None,
        started_by=user if getattr(user, "pk", None) else None,
        started=timezone.now(),
        status=EvaluationRun.Status.PENDING,
    )
    try:
        if standard.subject == Subject.HOUSEHOLD:
            prepare(standard.code, year, region or None, run.version)
        elif run.version is None:
            raise EvaluationError(_("标准 %(code)s 没有版本") % {"code": standard.code})
    except EvaluationError as e:
        _fail(run.pk, str(e))
        run.refresh_from_db()
        return run
    _in_background(run.pk)
    return run


def execute(run_id: int) -> None:
    run = EvaluationRun.objects.select_related("standard", "version").get(pk=run_id)
    EvaluationRun.objects.filter(pk=run_id).update(status=EvaluationRun.Status.RUNNING)
    try:
        if run.standard.subject == Subject.HOUSEHOLD:
            evaluate(run.standard.code, run.year, run.region_id or None, run=run)
        else:
            _execute_region(run)
    except EvaluationError as e:
        _fail(run_id, str(e))


def _execute_region(run: EvaluationRun) -> None:
    """A village or county standard: its verdicts name the run; skipped = villages (or
    counties) without village facts for the year."""
    from ..models import RegionVerdict
    from .evaluate_region import evaluate_region

    with transaction.atomic():
        result = evaluate_region(run.standard, run.year, run.region_id or None, run=run)
        used = RegionVerdict.objects.filter(run=run).values_list("thresholds", flat=True).first()
        EvaluationRun.objects.filter(pk=run.pk).update(
            version=result.version,
            thresholds={(run.region_id or "")[:2] or "": used or {}},
            evaluated=result.evaluated,
            passed=result.passed,
            failed=result.evaluated - result.passed,
            skipped=result.skipped,
            status=EvaluationRun.Status.DONE,
            finished=timezone.now(),
        )


def _fail(run_id: int, message: str) -> None:
    EvaluationRun.objects.filter(pk=run_id).update(
        status=EvaluationRun.Status.FAILED, error=message[:2000], finished=timezone.now()
    )


def _in_background(run_id: int) -> None:
    """As core.imports.runner: synchronous under `BANGFU_IMPORT_SYNC` (tests)."""

    def target() -> None:
        close_old_connections()
        try:
            execute(run_id)
        except Exception as exc:  # the page must learn that the run died
            log.exception("evaluation run %s failed", run_id)
            _fail(run_id, str(exc))
        finally:
            close_old_connections()

    if getattr(settings, "BANGFU_IMPORT_SYNC", False):
        execute(run_id)
        return
    threading.Thread(target=target, name=f"evaluate-{run_id}", daemon=True).start()


def write_csv(run: EvaluationRun, out) -> None:
    """The command's CSV (same columns) of a finished run, by household number."""
    from ..models import RegionVerdict, Verdict

    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_HEADER)
    if run.standard.subject != Subject.HOUSEHOLD:  # one row per village or county
        rows = (
            RegionVerdict.objects.filter(run=run)
            .order_by("region_id")
            .values_list("region_id", "passed", "failed_items")
        )
        for code, passed, failed in rows:
            w.writerow([code, run.standard.code, run.year, "true" if passed else "false", failed])
        return
    qs = (
        Verdict.objects.filter(run=run)
        .order_by("household__household_no")
        .values_list("household__household_no", "passed", "failed_items")
    )
    for no, passed, failed in qs.iterator(chunk_size=5000):
        w.writerow([no, run.standard.code, run.year, "true" if passed else "false", failed])
