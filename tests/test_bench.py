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


def test_api_bench_prints_both_endpoints(tmp_path):
    done = _bench(tmp_path, "api", "--rows", "600", "--repeat", "1")
    assert done.returncode == 0, done.stderr[-3000:]
    for endpoint in ("status (193 States)", "matrix"):
        row = next((line for line in done.stdout.splitlines() if line.startswith(endpoint + " ")), None)
        assert row is not None, (endpoint, done.stdout)
        assert row.rstrip().endswith(("met", "met net of the floor", "MISSED")), row
        assert " 193 " in row, row


def test_rush_bench_files_every_report_through_one_address_with_no_429():
    """A small deadline rush (3 States, all through one proxy address) against real gunicorn,
    PostgreSQL, Redis and a Celery worker: every report submitted, its receipt mailed once."""
    from tests.conftest import REQUIRE_SERVICES

    database, redis = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database.startswith(("postgres://", "postgresql://")) or not redis:
        if REQUIRE_SERVICES:
            raise AssertionError("the rush bench needs DATABASE_URL (PostgreSQL) and REDIS_URL, and PORTAL_REQUIRE_SERVICES=1")
        import pytest

        pytest.skip("the rush bench needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    name = database.rsplit("/", 1)[-1].split("?")[0] + "_rushsmoke"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "rush", "--states", "3", "--web-workers", "2", "--modes", "proxy", "--database", name],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        # A Redis database of its own: the bench empties it, and the suite's workers use REDIS_URL's.
        env={**os.environ, "REDIS_URL": redis.rsplit("/", 1)[0] + "/12"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "[proxy] 3/3 submitted" in done.stdout and "429" not in done.stdout
    assert "verify: 3/3 reports have exactly one frozen version" in done.stdout
    assert "verify: receipts 3/3 recorded" in done.stdout and "0 addresses mailed more than once" in done.stdout
    assert done.stdout.rstrip().endswith("verdict: ok")


def test_workbook_bench_prints_its_ratios(tmp_path):
    done = _bench(tmp_path, "workbook", "--rows", "100", "--repeat", "1")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "dry run" in done.stdout and "apply" in done.stdout and "x floor" in done.stdout


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
