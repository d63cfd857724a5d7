"""The README's two commands on a fresh machine: system packages from one list, then a clean clone.

The system-packages script runs here against fake dpkg-query / apt-get / id / sudo put first on
PATH, so every branch (nothing missing, root installs, no rights -> the exact command) runs on any
machine in a second. The clean clone is real: `git clone` of HEAD, a fresh .venv made by the
Makefile (pip's cache makes it about a minute), `make test` on a slice of the suite with no
DATABASE_URL or REDIS_URL (the embedded default), then `make smoke`, which does what `make run`
does up to serving and fetches a page. It takes minutes, so it runs where
PORTAL_FRESH_CLONE_TEST=1 (.ci/run).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "system_packages.sh"

FAKES = {
    "dpkg-query": """#!/bin/bash
name="${@: -1}"
for m in $FAKE_MISSING; do [ "$m" = "$name" ] && exit 1; done
printf 'install ok installed'
""",
    "apt-cache": """#!/bin/bash
name="${@: -1}"
for m in $FAKE_UNAVAILABLE; do [ "$m" = "$name" ] && { echo "  Candidate: (none)"; exit 0; }; done
echo "  Candidate: 1.0"
""",
    "apt-get": """#!/bin/bash
echo "$*" >> "$FAKE_LOG"
""",
    "id": """#!/bin/bash
echo "$FAKE_UID"
""",
    "sudo": """#!/bin/bash
[ "$1" = "-n" ] && exit 1
exec "$@"
""",
}


def run_script(tmp_path: Path, purpose: str, *, missing: str = "", uid: int = 0, unavailable: str = "", check: bool = False):  # type: ignore[no-untyped-def]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in FAKES.items():
        (bin_dir / name).write_text(body)
        (bin_dir / name).chmod(0o755)
    log = tmp_path / "apt-get.log"
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "FAKE_MISSING": missing,
        "FAKE_UNAVAILABLE": unavailable,
        "FAKE_UID": str(uid),
        "FAKE_LOG": str(log),
    }
    args = ["bash", str(SCRIPT), purpose, *(["--check"] if check else [])]
    result = subprocess.run(args, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=30)
    calls = log.read_text().splitlines() if log.exists() else []
    return result, calls


def test_nothing_missing_installs_nothing(tmp_path):
    result, calls = run_script(tmp_path, "ci")
    assert result.returncode == 0, result.stderr
    assert calls == []


def test_as_root_the_missing_packages_are_installed_in_one_apt_get(tmp_path):
    result, calls = run_script(tmp_path, "test", missing="poppler-utils fonts-noto-cjk gettext")
    assert result.returncode == 0, result.stderr
    # gettext is for CI only; the two the tests need, in the list's order, in ONE install.
    assert calls == ["update -qq", "install -y --no-install-recommends fonts-noto-cjk poppler-utils"]


def test_without_root_or_sudo_it_stops_with_the_exact_command(tmp_path):
    result, calls = run_script(tmp_path, "test", missing="poppler-utils libpango-1.0-0", uid=1000)
    assert result.returncode == 1
    assert "sudo apt-get update && sudo apt-get install -y --no-install-recommends libpango-1.0-0 poppler-utils" in result.stderr
    assert calls == []


def test_check_mode_never_installs(tmp_path):
    result, calls = run_script(tmp_path, "run", missing="python3-venv", check=True)
    assert result.returncode == 1 and "python3-venv" in result.stderr
    assert calls == []


def test_running_the_portal_does_not_ask_for_the_test_tools(tmp_path):
    result, calls = run_script(tmp_path, "run", missing="poppler-utils chromium curl")
    assert result.returncode == 0, result.stderr
    assert calls == []


def test_an_alternative_name_is_installed_where_the_first_does_not_exist(tmp_path):
    result, calls = run_script(tmp_path, "test", missing="chromium chromium-browser", unavailable="chromium")
    assert result.returncode == 0, result.stderr
    assert calls[-1] == "install -y --no-install-recommends chromium-browser"


def test_ci_reads_the_same_list_and_installs_nothing_inline():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/system_packages.sh ci" in ci
    assert "apt-get install" not in ci and "poppler-utils" not in ci


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("target", ["run", "test"])
def test_make_checks_system_packages_before_it_makes_the_virtualenv(tmp_path, target):
    # A copy without .venv: what `make` would do first on a fresh clone.
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    plan = subprocess.run(["make", "-n", target], cwd=tmp_path, capture_output=True, text=True, check=True).stdout.splitlines()
    packages = next(i for i, line in enumerate(plan) if "scripts/system_packages.sh" in line)
    venv = next(i for i, line in enumerate(plan) if "-m venv .venv" in line)
    assert packages < venv, plan


@pytest.mark.skipif(
    os.environ.get("PORTAL_FRESH_CLONE_TEST") != "1", reason="minutes long: set PORTAL_FRESH_CLONE_TEST=1 (.ci/run does)"
)
def test_a_clean_clone_passes_make_test_with_a_fresh_virtualenv(tmp_path):
    clone = tmp_path / "portal"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True, timeout=120)
    assert not (clone / ".venv").exists()
    # The embedded default, as on a fresh laptop: no services, nothing of this run's settings.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "PORTAL_", "DJANGO_", "PYTEST"))}
    env["PORTAL_VAR_DIR"] = str(tmp_path / "var")
    slice_ = "tests/test_settings.py tests/test_fresh_clone.py tests/services/test_report_submission.py -q -p no:cacheprovider"
    result = subprocess.run(
        ["make", "test", f"PYTEST_ARGS={slice_}"], cwd=clone, env=env, capture_output=True, text=True, timeout=1200
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (clone / ".venv" / ".installed-dev").exists() and " passed" in result.stdout
    # `make run` would now serve: its plan needs nothing but migrate, load and the servers ...
    plan = subprocess.run(["make", "-n", "run"], cwd=clone, env=env, capture_output=True, text=True, check=True).stdout
    assert "pip install" not in plan and "manage.py runserver" in plan
    # ... and what it runs does run: `make smoke` migrates, loads the 193 States and the demo
    # data, serves and fetches the login page (run's own command never returns).
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    smoke = subprocess.run(["make", "smoke", f"SMOKE_PORT={port}"], cwd=clone, env={**env, "SMOKE_PORT": str(port)}, capture_output=True, text=True, timeout=600)  # fmt: skip
    assert smoke.returncode == 0, smoke.stdout[-3000:] + smoke.stderr[-3000:]
    assert "smoke: 193 Member States" in smoke.stdout
