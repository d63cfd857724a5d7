"""Exports of every back-office table (CSV, XLSX, JSON) from the same selectors as the pages.

A dataset is built from a selector's result, so the page, the download and
`manage.py export` always agree. What an audience may not see is left out by the selectors
when the caller names a narrower audience (`audience=`, decided by the access gate,
reports.selectors.access); the back-office pages are internal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import tablib
from django.http import HttpResponse
from django.utils.text import slugify

from reports.clock import portal_today
from reports.models import Answer, Rating, RegionalGroup, ReportStatus, Role

if TYPE_CHECKING:
    from reports.selectors.dashboard import CycleSummary
    from reports.selectors.matrix import Matrix
    from reports.selectors.noncompliance import (
        GapFinding,
        IncompleteFinding,
        Inconsistency,
        ListRefGroup,
        NamedParty,
        OverdueFinding,
    )

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}

_GROUPS = dict(RegionalGroup.choices)
_STATUSES = dict(ReportStatus.choices)


def _label(choices: dict[str, Any], value: str) -> str:
    return str(choices.get(value, value)) if value else ""


def _follow_up(finding: Any) -> list[str]:
    fu = finding.follow_up
    return ["closed" if fu and fu.is_closed else "open", fu.note if fu else ""]


def _cell(value: Any) -> Any:
    """Spreadsheet injection guard: text starting with = + - @ is not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _dataset(headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str) -> tablib.Dataset:
    data = tablib.Dataset(headers=list(headers), title=title[:31])
    for row in rows:
        data.append([_cell(v) for v in row])
    return data


def status_dataset(summary: CycleSummary) -> tablib.Dataset:
    """One row per expected State: its report status, submitted time and days late."""
    rows = [
        [
            s.iso3,
            s.name,
            _label(_GROUPS, s.regional_group),
            s.category,
            s.status if s.received else ("draft" if s.category == "draft" else ""),
            s.submitted_at.isoformat() if s.submitted_at else "",
            s.days_late,
            "yes" if s.is_overdue else "no",
        ]
        for s in summary.states
    ]
    headers = ["iso3", "state", "regional_group", "category", "status", "submitted_at", "days_late", "overdue"]
    return _dataset(headers, rows, f"status {summary.cycle.code}")


def matrix_dataset(matrix: Matrix) -> tablib.Dataset:
    """Three columns per measure: the State's answer, the Secretariat's assessment, the flag."""
    headers = ["iso3", "state", "regional_group", "report_status", "version"]
    for measure in matrix.measures:
        headers += [f"{measure.code} answer", f"{measure.code} assessment", f"{measure.code} flag"]
    rows = []
    for row in matrix.rows:
        values: list[Any] = [
            row.iso3,
            row.name,
            _label(_GROUPS, row.regional_group),
            row.status if row.version_number else "",
            row.version_number or "",
        ]
        for cell in row.cells:
            values += [cell.answer, cell.rating, cell.flag]
        rows.append(values)
    return _dataset(headers, rows, f"matrix {matrix.cycle.code}")


def overdue_dataset(findings: Sequence[OverdueFinding]) -> tablib.Dataset:
    headers = ["iso3", "state", "regional_group", "has_draft", "days_late", "follow_up", "note"]
    rows = [
        [f.iso3, f.name, _label(_GROUPS, f.regional_group), "yes" if f.has_draft else "no", f.days_late, *_follow_up(f)]
        for f in findings
    ]
    return _dataset(headers, rows, "overdue")


def incomplete_dataset(findings: Sequence[IncompleteFinding]) -> tablib.Dataset:
    headers = ["iso3", "state", "version", "required", "unanswered_count", "unanswered", "follow_up", "note"]
    rows = [
        [f.iso3, f.name, f.version_number, f.required, f.unanswered_count, " ".join(f.unanswered), *_follow_up(f)]
        for f in findings
    ]
    return _dataset(headers, rows, "incomplete")


def gaps_dataset(findings: Sequence[GapFinding]) -> tablib.Dataset:
    headers = ["iso3", "state", "measure", "title", "answer", "assessment", "follow_up", "note"]
    rows = [
        [
            f.iso3,
            f.name,
            f.measure_code,
            f.measure_title,
            _label(dict(Answer.choices), f.answer),
            _label(dict(Rating.choices), f.rating),
            *_follow_up(f),
        ]
        for f in findings
    ]
    return _dataset(headers, rows, "measures not in place")


def named_parties_dataset(parties: Sequence[NamedParty]) -> tablib.Dataset:
    headers = [
        "party",
        "normalized_name",
        "reports",
        "mentions",
        "states",
        "list_refs",
        "commodities",
        "quantity",
        "value",
        "cultural_items",
        "follow_up",
        "note",
    ]
    rows = [
        [
            p.name,
            p.normalized_name,
            p.reports,
            p.mentions,
            " ".join(p.states),
            " ".join(p.list_refs),
            " ".join(p.commodities),
            p.quantity_text,
            p.value_text,
            p.cultural_items,
            *_follow_up(p),
        ]
        for p in parties
    ]
    return _dataset(headers, rows, "named parties")


def list_refs_dataset(groups: Sequence[ListRefGroup]) -> tablib.Dataset:
    headers = ["list_ref", "reports", "names", "states"]
    rows = [[g.list_ref, g.reports, " | ".join(g.names), " ".join(g.states)] for g in groups]
    return _dataset(headers, rows, "sanctions list references")


def listed_parties_dataset(findings: Sequence[Any]) -> tablib.Dataset:
    headers = ["party", "entry", "entry_name", "listed_on", "first_reported", "states", "screening", "score", "follow_up", "note"]
    rows = [
        [
            f.name,
            f.entry_reference,
            f.entry_name,
            f.listed_on,
            f.first_reported,
            " ".join(f.states),
            f.status,
            f.score,
            *_follow_up(f),
        ]
        for f in findings
    ]
    return _dataset(headers, rows, "listed-parties")


def inconsistencies_dataset(findings: Sequence[Inconsistency]) -> tablib.Dataset:
    headers = [
        "reporting_state",
        "reporting_iso3",
        "other_state",
        "other_iso3",
        "interdictions",
        "roles",
        "other_report",
        "follow_up",
        "note",
    ]
    rows = [
        [
            f.reporter_name,
            f.reporter_iso3,
            f.other_name,
            f.other_iso3,
            f.interdictions,
            " ".join(f.roles),
            f.silence,
            *_follow_up(f),
        ]
        for f in findings
    ]
    return _dataset(headers, rows, "inconsistencies")


def reports_dataset(reports: Sequence[Any]) -> tablib.Dataset:
    headers = ["id", "iso3", "state", "cycle", "status", "version", "first_submitted_at", "days_late", "assigned_to"]
    rows = [
        [
            r.pk,
            r.state.iso3,
            r.state.display_name,
            r.cycle.code,
            r.status,
            r.current_version.number if r.current_version else "",
            r.first_submitted_at.isoformat() if r.first_submitted_at else "",
            r.days_late,
            r.assigned_to.get_username() if r.assigned_to else "",
        ]
        for r in reports
    ]
    return _dataset(headers, rows, "reports")


def export_bytes(dataset: tablib.Dataset, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; use csv, xlsx or json.")
    content = dataset.export(fmt)
    return content if isinstance(content, bytes) else content.encode("utf-8")


def export_response(dataset: tablib.Dataset, fmt: str, name: str) -> HttpResponse:
    filename = f"{slugify(name) or 'export'}-{portal_today():%Y%m%d}.{fmt}"
    response = HttpResponse(export_bytes(dataset, fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CommandLineReader:
    """Who `manage.py export` reads as: the Monitoring Team's view of submitted reports.

    It exports for the audience the operator names (--audience; restricted, the Committee's, by default).
    """

    is_authenticated = True
    is_anonymous = False
    role = Role.MONITORING
    state_id = None
    pk = None

    def get_username(self) -> str:
        return "manage.py export"


def state_datasets(overview: Any) -> dict[str, tablib.Dataset]:
    """The four tables of a State's page, by name (?table=reports|reminders|assessments|mentions)."""
    iso3 = overview.state.iso3
    return {
        "reports": reports_dataset(overview.reports),
        "reminders": _dataset(
            ["sent_at", "cycle", "step", "sent_by", "recipients"],
            [
                [
                    r.sent_at.isoformat(),
                    r.cycle.code,
                    r.step,
                    r.sent_by.get_username() if r.sent_by else "scheduler",
                    len(r.recipients),
                ]
                for r in overview.reminders
            ],
            f"reminders {iso3}",
        ),
        "assessments": _dataset(
            ["cycle", "measure", "assessment", "note", "assessed_by", "assessed_at", "version"],
            [
                [
                    a.report.cycle.code,
                    a.measure.code,
                    a.rating,
                    a.note,
                    a.assessed_by.get_username(),
                    a.assessed_at.isoformat(),
                    a.version.number if a.version else "",
                ]
                for a in overview.assessments
            ],
            f"assessments {iso3}",
        ),
        "mentions": _dataset(
            ["party", "normalized_name", "list_ref", "cycle", "register", "date", "route"],
            [
                [
                    m.name,
                    m.normalized_name,
                    m.list_ref,
                    m.version.report.cycle.code,
                    "oil" if m.interdiction_id else "cultural",
                    (m.interdiction.date if m.interdiction_id else m.seizure.date).isoformat(),
                    m.interdiction.route_text if m.interdiction_id else "",
                ]
                for m in overview.mentions
            ],
            f"named parties {iso3}",
        ),
    }
