"""`manage.py export`: the same rows as the pages, in CSV, XLSX and JSON."""

from __future__ import annotations

import csv
import io
import json
import re

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
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == MemberState.objects.count()
    by_iso = {r["ISO code"]: r for r in rows}
    assert by_iso["DEU"]["Position"] == "Late" and by_iso["DEU"]["Days late"] == "12"
    assert re.fullmatch(r"2026-07-12 \d\d:\d\d:\d\d", by_iso["DEU"]["First submitted (UTC)"])  # no microseconds
    assert by_iso["NGA"]["Position"] == "Draft only" and by_iso["NGA"]["Days late"] == "46" and by_iso["NGA"]["Overdue"] == "yes"
    assert by_iso["FRA"]["Report status"] == "Submitted" and by_iso["FRA"]["Days late"] == "0"


def test_matrix_xlsx_and_inconsistencies_json(world, tmp_path):  # noqa: F811
    target = tmp_path / "matrix.xlsx"
    call_command("export", "matrix", "--cycle", world.cycle.code, "--format", "xlsx", "--out", str(target))
    sheet = openpyxl.load_workbook(target).active
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["ISO code", "State", "Regional group", "Report status", "Version"]
    assert sheet.max_row == MemberState.objects.count() + 1
    target = tmp_path / "inc.json"
    call_command("export", "inconsistencies", "--cycle", str(world.cycle.pk), "--format", "json", "--out", str(target))
    rows = json.loads(target.read_text())
    assert [(r["reporting_iso3"], r["other_iso3"], r["other_report"]) for r in rows] == [("JOR", "IRQ", "silent")]
    assert rows[0]["other_report_label"] == "Report names no interdiction involving the other State"
    target = tmp_path / "parties.csv"
    call_command("export", "named-parties", "--cycle", str(world.cycle.pk), "--out", str(target))
    names = {r["Name as compared"] for r in csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig")))}
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
