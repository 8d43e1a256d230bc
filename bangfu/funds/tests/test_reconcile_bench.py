"""Smoke test of the reconciliation benchmark at a tiny size (the real run, 2,000,000
allocations, is in docs/benchmarks.md and stays out of the suite). PostgreSQL only, like the
benchmark: it runs when the suite runs on PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark generates its set with PostgreSQL SQL"
)
def test_benchmark_runs_small(tmp_path):
    url = os.environ["DATABASE_URL"]
    completed = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "reconcile_funds.py"),
            "--projects",
            "50",
            "--allocations",
            "2000",
            "--households",
            "200",
            "--pages",
            "--database-url",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "BANGFU_DEBUG": "0", "HOME": str(tmp_path)},
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    figures = dict(part.split("=", 1) for part in completed.stdout.split())
    assert figures["allocations"] == "2000" and figures["projects"] == "50"
    assert float(figures["reconcile_s"]) > 0 and int(figures["allocations_queries"]) <= 6
