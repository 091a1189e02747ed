"""Smoke run of datasets/baselines.py (reference models on the embedded default)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_baselines_quick_run():
    # a subprocess, so that the script pins BLAS to one thread before numpy loads
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "datasets" / "baselines.py"), "--quick"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [ln for ln in proc.stdout.splitlines() if ln.startswith("| ") and "model" not in ln]
    assert len(rows) == 6, proc.stdout
    for row in rows:
        val = float(row.split("|")[2])
        assert val > 0.3, row  # every model learns something in the smoke run
