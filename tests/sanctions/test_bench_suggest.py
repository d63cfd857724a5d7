"""The suggestion benchmark still runs and prints its figures and verdict (a small list)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_suggest_bench_prints_times_and_a_verdict(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "PORTAL_VAR_DIR")}
    env["BENCH_SCRATCH"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "bench", "sanctions_suggest", "--entries", "100", "--queries", "20"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "seeded 100 entries, 500 name forms" in out
    assert "cpu  median" in out and "wall median" in out
    assert out.rstrip().endswith(("met", "MISSED"))
