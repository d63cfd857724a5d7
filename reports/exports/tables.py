"""Exports of every back-office table (CSV, XLSX, JSON) from the same selectors as the pages.

A table is built from a selector's result, so the page, the download and `manage.py export`
always agree; the columns carry the pages' labels in the reader's language and the values
their types (reports.exports.formats writes them). What an audience may not see is left out
by the selectors when the caller names a narrower audience (`audience=`, decided by the access
gate, reports.selectors.access); the back-office pages are internal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.clock import portal_today
from reports.models import Answer, Commodity, OilInterdiction, QuantityUnit, Rating, RegionalGroup, ReportStatus, Role

from .formats import BOOL, CODE, CODES, DATE, DATETIME, FORMATS, INT, LIST, NUMBER, WRITERS, Column, Table

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

__all__ = ["FORMATS", "Column", "Table"]

_GROUPS = dict(RegionalGroup.choices)
_STATUSES = dict(ReportStatus.choices)
_FOLLOW_UP = {"open": gettext_lazy("Open"), "closed": gettext_lazy("Closed")}  # the state, as the page says
_REGISTERS = {"oil": gettext_lazy("Oil interdiction"), "cultural": gettext_lazy("Cultural property seizure")}

# Columns several tables share.
ISO3 = Column("iso3", gettext_lazy("ISO code"))
STATE = Column("state", gettext_lazy("State"))
GROUP = Column("regional_group", gettext_lazy("Regional group"), CODE, _GROUPS)
FOLLOW_UP = [
    Column("follow_up", gettext_lazy("Follow-up"), CODE, _FOLLOW_UP),
    Column("note", gettext_lazy("Note")),
]


def _follow_up(finding: Any) -> list[str]:
    fu = finding.follow_up
    return ["closed" if fu and fu.is_closed else "open", fu.note if fu else ""]


def status_dataset(summary: CycleSummary) -> Table:
    """One row per expected State: its report status, submitted time and days late."""
    from reports.tables import CATEGORY_LABELS

    columns = [
        ISO3,
        STATE,
        GROUP,
        Column("category", gettext_lazy("Position"), CODE, CATEGORY_LABELS),
        Column("status", gettext_lazy("Report status"), CODE, _STATUSES),
        Column("submitted_at", gettext_lazy("First submitted (UTC)"), DATETIME),
        Column("days_late", gettext_lazy("Days late"), INT),
        Column("overdue", gettext_lazy("Overdue"), BOOL),
    ]
    rows = [
        [
            s.iso3,
            s.name,
            s.regional_group,
            s.category,
            s.status if s.received else ("draft" if s.category == "draft" else ""),
            s.submitted_at,
            s.days_late,
            s.is_overdue,
        ]
        for s in summary.states
    ]
    return Table(f"status {summary.cycle.code}", columns, rows)


def matrix_dataset(matrix: Matrix) -> Table:
    """Four columns per measure: the State's answer, the Secretariat's assessment, where that
    assessment stands with the State (draft, shared, agreed, disputed, final: the words after the
    rating on the page) and the flag."""
    from reports.selectors.matrix import Flag
    from reports.tables import ASSESSMENT_STATE_SHORT

    answers = {"": _("No answer"), **dict(Answer.choices)}
    ratings = {"": _("Not assessed"), **dict(Rating.choices)}
    assessment_states = {"": "", **ASSESSMENT_STATE_SHORT}
    columns = [
        ISO3,
        STATE,
        GROUP,
        Column("report_status", gettext_lazy("Report status"), CODE, _STATUSES),
        Column("version", gettext_lazy("Version"), INT),
    ]
    for measure in matrix.measures:
        columns += [
            Column(f"{measure.code} answer", _("%(measure)s: State's answer") % {"measure": measure.code}, CODE, answers),
            Column(f"{measure.code} assessment", _("%(measure)s: assessment") % {"measure": measure.code}, CODE, ratings),
            Column(
                f"{measure.code} assessment_state",
                _("%(measure)s: where the assessment stands") % {"measure": measure.code},
                CODE,
                assessment_states,
            ),
            Column(f"{measure.code} flag", _("%(measure)s: flag") % {"measure": measure.code}, CODE, Flag.LABELS),
        ]
    rows = []
    for row in matrix.rows:
        values: list[Any] = [
            row.iso3,
            row.name,
            row.regional_group,
            row.status if row.version_number else "",
            row.version_number or None,
        ]
        for cell in row.cells:
            # The page shows where an assessment stands only beside a rating; so does the file.
            values += [cell.answer, cell.rating, cell.assessment_state if cell.rating else "", cell.flag]
        rows.append(values)
    return Table(f"matrix {matrix.cycle.code}", columns, rows)


def overdue_dataset(findings: Sequence[OverdueFinding]) -> Table:
    columns = [
        ISO3,
        STATE,
        GROUP,
        Column("has_draft", gettext_lazy("Draft started"), BOOL),
        Column("days_late", gettext_lazy("Days late"), INT),
        *FOLLOW_UP,
    ]
    rows = [[f.iso3, f.name, f.regional_group, f.has_draft, f.days_late, *_follow_up(f)] for f in findings]
    return Table("overdue", columns, rows)


def incomplete_dataset(findings: Sequence[IncompleteFinding]) -> Table:
    columns = [
        ISO3,
        STATE,
        Column("version", gettext_lazy("Version"), INT),
        Column("required", gettext_lazy("Required rows"), INT),
        Column("unanswered_count", gettext_lazy("Required rows unanswered"), INT),
        Column("unanswered", gettext_lazy("Measures"), LIST),
        *FOLLOW_UP,
    ]
    rows = [
        [f.iso3, f.name, f.version_number, f.required, f.unanswered_count, list(f.unanswered), *_follow_up(f)] for f in findings
    ]
    return Table("incomplete", columns, rows)


def gaps_dataset(findings: Sequence[GapFinding]) -> Table:
    columns = [
        ISO3,
        STATE,
        Column("measure", gettext_lazy("Measure")),
        Column("title", gettext_lazy("Title")),
        Column("answer", gettext_lazy("State's answer"), CODE, dict(Answer.choices)),
        Column("assessment", gettext_lazy("Secretariat's assessment"), CODE, dict(Rating.choices)),
        *FOLLOW_UP,
    ]
    rows = [[f.iso3, f.name, f.measure_code, f.measure_title, f.answer, f.rating, *_follow_up(f)] for f in findings]
    return Table("measures not in place", columns, rows)


def named_parties_dataset(parties: Sequence[NamedParty]) -> Table:
    """One row per party; quantities one column per unit, values one column per currency."""
    units = dict(QuantityUnit.choices)
    currencies = sorted({currency for p in parties for currency in p.value})
    columns = [
        Column("party", gettext_lazy("Party named")),
        Column("normalized_name", gettext_lazy("Name as compared")),
        Column("reports", gettext_lazy("Reports"), INT),
        Column("mentions", gettext_lazy("Mentions"), INT),
        Column("states", gettext_lazy("Reporting States"), LIST),
        Column("list_refs", gettext_lazy("Sanctions List"), LIST),
        Column("commodities", gettext_lazy("Commodities"), CODES, dict(Commodity.choices)),
        *(Column(f"quantity_{unit}", _("Total quantity (%(unit)s)") % {"unit": label}, NUMBER) for unit, label in units.items()),
        *(Column(f"value_{c}", _("Total value (%(currency)s)") % {"currency": c}, NUMBER) for c in currencies),
        Column("cultural_items", gettext_lazy("Cultural items"), INT),
        *FOLLOW_UP,
    ]
    rows = [
        [
            p.name,
            p.normalized_name,
            p.reports,
            p.mentions,
            list(p.states),
            list(p.list_refs),
            list(p.commodities),
            *(p.quantity.get(unit) for unit in units),
            *(p.value.get(c) for c in currencies),
            p.cultural_items,
            *_follow_up(p),
        ]
        for p in parties
    ]
    return Table("named parties", columns, rows)


def list_refs_dataset(groups: Sequence[ListRefGroup]) -> Table:
    columns = [
        Column("list_ref", gettext_lazy("Sanctions List reference")),
        Column("reports", gettext_lazy("Reports"), INT),
        Column("names", gettext_lazy("Names used"), LIST, sep=" | "),
        Column("states", gettext_lazy("Reporting States"), LIST),
    ]
    rows = [[g.list_ref, g.reports, list(g.names), list(g.states)] for g in groups]
    return Table("sanctions list references", columns, rows)


def listed_parties_dataset(findings: Sequence[Any]) -> Table:
    """Parties reported by States and since listed (reports.selectors.noncompliance, screening)."""
    from reports.models import MatchStatus

    columns = [
        Column("party", gettext_lazy("Party named")),
        Column("entry", gettext_lazy("Sanctions List reference")),
        Column("entry_name", gettext_lazy("Name on the list")),
        Column("listed_on", gettext_lazy("Listed on"), DATE),
        Column("first_reported", gettext_lazy("First reported"), DATE),
        Column("states", gettext_lazy("Reporting States"), LIST),
        Column("screening", gettext_lazy("Screening"), CODE, dict(MatchStatus.choices)),
        Column("score", gettext_lazy("Score"), NUMBER),
        *FOLLOW_UP,
    ]
    rows = [
        [
            f.name,
            f.entry_reference,
            f.entry_name,
            f.listed_on,
            f.first_reported,
            list(f.states),
            f.status,
            f.score,
            *_follow_up(f),
        ]
        for f in findings
    ]
    return Table("listed-parties", columns, rows)


def inconsistencies_dataset(findings: Sequence[Inconsistency]) -> Table:
    from reports.selectors.noncompliance import Silence

    roles = {
        role: getattr(OilInterdiction._meta.get_field(role), "verbose_name", role)
        for role in ("origin", "destination", "transit")
    }
    columns = [
        Column("reporting_state", gettext_lazy("Reporting State")),
        Column("reporting_iso3", gettext_lazy("Reporting State's ISO code")),
        Column("other_state", gettext_lazy("State named")),
        Column("other_iso3", gettext_lazy("Named State's ISO code")),
        Column("interdictions", gettext_lazy("Interdictions"), INT),
        Column("roles", gettext_lazy("Named as"), CODES, roles),
        Column("other_report", gettext_lazy("Other State's report"), CODE, Silence.LABELS),
        *FOLLOW_UP,
    ]
    rows = [
        [
            f.reporter_name,
            f.reporter_iso3,
            f.other_name,
            f.other_iso3,
            f.interdictions,
            list(f.roles),
            f.silence,
            *_follow_up(f),
        ]
        for f in findings
    ]
    return Table("inconsistencies", columns, rows)


def _cycle_codes(cycles: Any) -> dict[str, str]:
    return {c.code: c.display_label for c in cycles}


def reports_dataset(reports: Sequence[Any]) -> Table:
    columns = [
        Column("id", gettext_lazy("Report number"), INT),
        ISO3,
        STATE,
        Column("cycle", gettext_lazy("Reporting cycle"), CODE, _cycle_codes(r.cycle for r in reports)),
        Column("status", gettext_lazy("Status"), CODE, _STATUSES),
        Column("version", gettext_lazy("Version"), INT),
        Column("first_submitted_at", gettext_lazy("First submitted (UTC)"), DATETIME),
        Column("days_late", gettext_lazy("Days late"), INT),
        Column("assigned_to", gettext_lazy("Assigned to")),
    ]
    rows = [
        [
            r.pk,
            r.state.iso3,
            r.state.display_name,
            r.cycle.code,
            r.status,
            r.current_version.number if r.current_version else None,
            r.first_submitted_at,
            r.days_late,
            r.assigned_to.get_username() if r.assigned_to else "",
        ]
        for r in reports
    ]
    return Table("reports", columns, rows)


def export_bytes(dataset: Table, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; use csv, xlsx or json.")
    return WRITERS[fmt](dataset)


def export_response(dataset: Table, fmt: str, name: str) -> HttpResponse:
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


def state_datasets(overview: Any) -> dict[str, Table]:
    """The four tables of a State's page, by name (?table=reports|reminders|assessments|mentions)."""
    iso3 = overview.state.iso3
    cycles = _cycle_codes(
        [r.cycle for r in overview.reminders]
        + [a.report.cycle for a in overview.assessments]
        + [m.version.report.cycle for m in overview.mentions]
    )
    cycle = Column("cycle", gettext_lazy("Reporting cycle"), CODE, cycles)
    return {
        "reports": reports_dataset(overview.reports),
        "reminders": Table(
            f"reminders {iso3}",
            [
                Column("sent_at", gettext_lazy("Sent (UTC)"), DATETIME),
                cycle,
                Column("step", gettext_lazy("Step")),
                Column("sent_by", gettext_lazy("By")),
                Column("recipients", gettext_lazy("Recipients"), INT),
            ],
            [
                [r.sent_at, r.cycle.code, r.step, r.sent_by.get_username() if r.sent_by else _("scheduler"), len(r.recipients)]
                for r in overview.reminders
            ],
        ),
        "assessments": Table(
            f"assessments {iso3}",
            [
                cycle,
                Column("measure", gettext_lazy("Measure")),
                Column("assessment", gettext_lazy("Assessment"), CODE, dict(Rating.choices)),
                Column("note", gettext_lazy("Note")),
                Column("assessed_by", gettext_lazy("By")),
                Column("assessed_at", gettext_lazy("Assessed (UTC)"), DATETIME),
                Column("version", gettext_lazy("Version"), INT),
            ],
            [
                [
                    a.report.cycle.code,
                    a.measure.code,
                    a.rating,
                    a.note,
                    a.assessed_by.get_username(),
                    a.assessed_at,
                    a.version.number if a.version else None,
                ]
                for a in overview.assessments
            ],
        ),
        "mentions": Table(
            f"named parties {iso3}",
            [
                Column("party", gettext_lazy("Party")),
                Column("normalized_name", gettext_lazy("Name as compared")),
                Column("list_ref", gettext_lazy("Sanctions List")),
                cycle,
                Column("register", gettext_lazy("Register"), CODE, _REGISTERS),
                Column("date", gettext_lazy("Date"), DATE),
                Column("route", gettext_lazy("Route")),
            ],
            [
                [
                    m.name,
                    m.normalized_name,
                    m.list_ref,
                    m.version.report.cycle.code,
                    "oil" if m.interdiction_id else "cultural",
                    m.interdiction.date if m.interdiction_id else m.seizure.date,
                    m.interdiction.route_text if m.interdiction_id else "",
                ]
                for m in overview.mentions
            ],
        ),
    }
