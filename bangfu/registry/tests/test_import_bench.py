"""Smoke test of the import benchmark (the real run, 100,000 households, is in docs/benchmarks.md
and stays out of the suite)."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_benchmark_runs_at_200_households(tmp_path):
    completed = subprocess.run(
        [sys.executable, str(REPO / "bench" / "import_registry.py"), "--households", "200"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "BANGFU_DEBUG": "0", "HOME": str(tmp_path)},
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    figures = dict(part.split("=", 1) for part in completed.stdout.splitlines()[0].split())
    assert figures["households"] == "200"
    assert int(figures["member_rows"]) >= 200
    assert float(figures["ratio"]) > 0 and float(figures["peak_rss_mb"]) > 0
    # the same rows written again into the registry's tables, no Python: never free
    assert float(figures["tables_floor_s"]) > 0
    assert "registry_member=" in completed.stdout.splitlines()[1]
