"""Helpers for the delegation tests: form posts and files of every kind."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

from reports.models import Measure, OilInterdiction, Report, ReportVersion
from reports.services.reports import report_draft, report_submit_unchecked

OIL_ROW = {
    "date": "2026-10-01",
    "place": "Port of Ceyhan",
    "place_kind": "port",
    "commodity": "crude",
    "quantity": "1200",
    "unit": "barrels",
    "value": "60000",
    "currency": "USD",
    "direction": "from",
    "origin": "IRQ",
    "transit": "TUR",
    "destination": "",
    "parties": "Tanker Company Ltd\nISIL; QDe.115",
    "proceedings": "Seized by customs",
    "outcome": "",
}


def draft_of(report: Report) -> ReportVersion:
    draft = report_draft(report)
    assert draft is not None
    return draft


def formset_post(prefix: str, rows: list[dict[str, Any]], *, revision: int, initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        "revision": str(revision),
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "500",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def checklist_post(measures: list[Measure], answers: dict[str, dict[str, str]], *, revision: int) -> dict[str, Any]:
    data: dict[str, Any] = {"revision": str(revision)}
    for measure in measures:
        values = answers.get(measure.code, {})
        for name in ("answer", "legal_reference", "narrative", "evidence_location"):
            data[f"m{measure.pk}-{name}"] = values.get(name, "")
    return data


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def jpeg_bytes() -> bytes:
    return b"\xff\xd8\xff\xe0" + b"\x00" * 64


def ooxml_bytes(main: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "<x/>")
    return buffer.getvalue()


def ole_bytes(stream: str) -> bytes:
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 64


def submitted_with_ports(report: Report, signatory: Any, *, rows: int) -> Report:
    """The report's draft with `rows` oil interdictions ("Port 1", "Port 2", ...), submitted."""
    draft = draft_of(report)
    for position in range(1, rows + 1):
        OilInterdiction.objects.create(
            version=draft, position=position, date=datetime.date(2026, 3, position), place=f"Port {position}",
            commodity="crude", quantity=100 * position, unit="barrels", direction="to",
        )  # fmt: skip
    report_submit_unchecked(report=report, actor=signatory)
    report.refresh_from_db()
    return report
