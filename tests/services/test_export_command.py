"""`manage.py export`: the same rows as the pages, in CSV, XLSX and JSON."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.models import MemberState
from tests.secretariat.fixtures import TODAY, world  # noqa: F401

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def test_status_csv_has_one_row_per_state(world, tmp_path, capsysbinary):  # noqa: F811
    target = tmp_path / "status.csv"
    call_command("export", "status", "--cycle", str(world.cycle.pk), "--out", str(target), "--today", TODAY.isoformat())
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == MemberState.objects.count()
    by_iso = {r["iso3"]: r for r in rows}
    assert by_iso["DEU"]["category"] == "late" and by_iso["DEU"]["days_late"] == "12"
    assert by_iso["DEU"]["submitted_at"].startswith("2026-07-12")
    assert by_iso["NGA"]["category"] == "draft" and by_iso["NGA"]["days_late"] == "46" and by_iso["NGA"]["overdue"] == "yes"
    assert by_iso["FRA"]["status"] == "submitted" and by_iso["FRA"]["days_late"] == "0"


def test_matrix_xlsx_and_inconsistencies_json(world, tmp_path):  # noqa: F811
    target = tmp_path / "matrix.xlsx"
    call_command("export", "matrix", "--cycle", world.cycle.code, "--format", "xlsx", "--out", str(target))
    sheet = openpyxl.load_workbook(target).active
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["iso3", "state", "regional_group", "report_status", "version"]
    assert sheet.max_row == MemberState.objects.count() + 1
    target = tmp_path / "inc.json"
    call_command("export", "inconsistencies", "--cycle", str(world.cycle.pk), "--format", "json", "--out", str(target))
    rows = json.loads(target.read_text())
    assert [(r["reporting_iso3"], r["other_iso3"], r["other_report"]) for r in rows] == [("JOR", "IRQ", "silent")]
    target = tmp_path / "parties.csv"
    call_command("export", "named-parties", "--cycle", str(world.cycle.pk), "--out", str(target))
    names = {r["normalized_name"] for r in csv.DictReader(io.StringIO(target.read_text()))}
    assert names == {"crescent tanker logistics", "islamic state in iraq and the levant"}


def test_bad_arguments_are_errors_not_tracebacks(world):  # noqa: F811
    with pytest.raises(CommandError):
        call_command("export", "status", "--cycle", "no-such-cycle")
    with pytest.raises(CommandError):
        call_command("export", "status", "--cycle", "99999999999999999999")
    with pytest.raises(CommandError):
        call_command("export", "status", "--cycle", str(world.cycle.pk), "--today", "yesterday")
    with pytest.raises(CommandError):
        call_command("export", "parties", "--cycle", str(world.cycle.pk))
