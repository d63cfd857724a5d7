"""The back-office benchmark still runs and prints a verdict for every page (a small data set).

It runs on a scratch SQLite database of its own: the benchmark empties the database it is
given, so DATABASE_URL is removed from its environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = (
    "dashboard",
    "matrix",
    "register: named parties",
    "register: inconsistencies",
    "register: incomplete",
    "register: overdue",
)


def _bench(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m bench ARGS` on the embedded default (its own SQLite in a scratch folder)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "PORTAL_VAR_DIR")}
    env["BENCH_SCRATCH"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "-m", "bench", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_backoffice_bench_prints_every_page(tmp_path):
    done = _bench(tmp_path, "backoffice", "--rows", "600", "--repeat", "1")
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert any(line.startswith("seeded in") and "States 193" in line for line in lines), done.stdout
    for page in PAGES:
        row = next((line for line in lines if line.startswith(page + " ")), None)
        assert row is not None, (page, done.stdout)
        assert row.rstrip().endswith(("met", "met net of the floor", "MISSED", "this SQL)")), row


def test_registers_bench_prints_a_line_per_size(tmp_path):
    done = _bench(tmp_path, "registers", "--sizes", "60,120", "--repeat", "1")
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    for size, pages in ((60, 2), (120, 3)):
        row = next((line.split() for line in lines if line.split()[:2] == [str(size), str(pages)]), None)
        assert row is not None, (size, done.stdout)
        assert len(row) == 9 and all(float(cell.replace(",", "")) >= 0 for cell in row), row


def test_sanctions_bench_prints_screening_floor_and_suggestion(tmp_path):
    done = _bench(tmp_path, "sanctions", "--entries", "60", "--forms", "300", "--mentions", "2500", "--lookups", "30")
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for start in (
        "list: 60 entries",
        "screening (blocking index, 1 process)",
        "floor (rapidfuzz",
        "ratio screening / floor",
        "suggestion (one name): p50",
    ):
        assert any(line.startswith(start) for line in out.splitlines()), (start, out)
    assert out.rstrip().endswith(("met", "MISSED")), out
