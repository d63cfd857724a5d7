"""scripts/audit_deps.py: fail on a known vulnerability, warn (not fail) when it cannot tell."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_deps.py"


@pytest.fixture
def audit(monkeypatch):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("audit_deps", SCRIPT)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]

    def fake(report: dict | None, returncode: int = 0):  # type: ignore[no-untyped-def,type-arg]
        def run(args, **kwargs):  # type: ignore[no-untyped-def]
            if report is not None:
                Path(args[args.index("-o") + 1]).write_text(json.dumps(report))
            return subprocess.CompletedProcess(args, returncode, "", "ConnectionError: no route to host")

        monkeypatch.setattr(module.subprocess, "run", run)
        return module.main(["requirements.txt"])

    return fake


def test_a_vulnerability_fails(audit, capsys):
    code = audit(
        {"dependencies": [{"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.1"]}]}]}, 1
    )
    assert code == 1 and "PYSEC-1" in capsys.readouterr().out


def test_nothing_known_passes(audit):
    assert audit({"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}) == 0


def test_an_unreachable_service_warns_but_passes(audit, capsys):
    skipped = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
    assert audit(skipped) == 0
    assert "could not be audited" in capsys.readouterr().err
    assert audit(None, 1) == 0  # pip-audit itself failed (no JSON): warn
    assert "NOT audited" in capsys.readouterr().err
