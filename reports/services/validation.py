"""Validation rules for a draft, with a severity.

Errors block submission and point to the field; warnings must be acknowledged by the
signatory before submitting; notices only inform (for example that the report is late).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from reports.clock import portal_today  # re-exported: callers import it from here too
from reports.models import (
    LIST_REF_PATTERN,
    Answer,
    DraftInput,
    ObligationKind,
    OilInterdiction,
    ReportingCycle,
    ReportVersion,
    Section,
)
from reports.selectors.matrix import cycle_measures
from reports.selectors.sanctions import RefLookup

from .drafts import register_page_of
from .parties import parse_parties
from .sanctions_refs import ref_problem

# Events a report covers may predate the cycle: an implementation report describes what the
# State did since the resolution, so rows may go back three years before the cycle opens.
# Nothing may be dated after today (in the portal's time zone, UN Headquarters).
DAYS_BEFORE_OPENING = 3 * 365
# A quantity this many times the State's previous report's total for the same commodity
# and unit is probably a unit mistake (litres typed as barrels): the signatory confirms it.
QUANTITY_JUMP_FACTOR = 10

LIST_REF_RE = re.compile(LIST_REF_PATTERN)


class Severity:
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


@dataclass(frozen=True)
class Issue:
    severity: str
    section: str
    message: str
    field_id: str = ""
    page: int = 0  # the register's editor page that shows the field (0: the section has no pages)


def section_label(section: str) -> str:
    if section in Section.values:
        return str(Section(section).label)
    return _("Confidentiality and note")


def date_window(cycle: ReportingCycle, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The dates a register row of this cycle may carry: (earliest, latest), both included."""
    return cycle.opens - datetime.timedelta(days=DAYS_BEFORE_OPENING), today or portal_today()


def list_ref_valid(value: str) -> bool:
    return bool(LIST_REF_RE.match(value))


def sections_for(cycle: ReportingCycle) -> list[str]:
    """The editor's sections: an event notification is only its oil register."""
    if cycle.obligation.kind == ObligationKind.EVENT:
        return [Section.OIL, Section.ATTACHMENTS]
    return [Section.CHECKLIST, Section.OIL, Section.ASSETS, Section.CULTURAL, Section.RANSOM, Section.STR, Section.ATTACHMENTS]


def version_issues(*, version: ReportVersion, today: datetime.date | None = None) -> list[Issue]:
    """Every rule, checked against the stored draft; a constant number of queries."""
    report = version.report
    cycle = report.cycle
    today = today or portal_today()
    issues: list[Issue] = []

    for pending in DraftInput.objects.filter(version=version).order_by("section"):
        issues.append(
            Issue(
                Severity.ERROR,
                pending.section,
                _("%(section)s: %(count)d entries have errors and are not saved yet. Correct them.")
                % {"section": section_label(pending.section), "count": pending.error_count},
            )
        )

    measures = cycle_measures(cycle)
    answers = {a.measure_id: a for a in version.answers.all()}
    for measure in measures:
        answer = answers.get(measure.pk)
        field_id = f"id_m{measure.pk}-answer"
        if measure.required and (answer is None or not answer.answer):
            issues.append(
                Issue(
                    Severity.ERROR,
                    Section.CHECKLIST,
                    _("%(code)s %(title)s: an answer is required.") % {"code": measure.code, "title": measure.display_title},
                    field_id,
                )
            )
        elif answer is not None and answer.answer in (Answer.IN_PLACE, Answer.PARTIAL) and not answer.legal_reference:
            issues.append(
                Issue(
                    Severity.WARNING,
                    Section.CHECKLIST,
                    _("%(code)s: the measure is in place but no legal reference is given.") % {"code": measure.code},
                    f"id_m{measure.pk}-legal_reference",
                )
            )

    oil_rows = list(version.oilinterdiction_rows.order_by("position", "id"))
    if cycle.obligation.kind == ObligationKind.EVENT and not oil_rows:
        issues.append(Issue(Severity.ERROR, Section.OIL, _("Describe the interdiction: the oil register is empty.")))

    earliest, latest = date_window(cycle, today)
    for index, row in enumerate(oil_rows):
        if not earliest <= row.date <= latest:
            issues.append(
                Issue(Severity.ERROR, Section.OIL, _("Row %(n)d: the date is outside the period.") % {"n": index + 1},
                      f"id_oil-{index}-date", register_page_of(index))
            )  # fmt: skip

    previous = previous_oil_totals(version=version)
    for index, row in enumerate(oil_rows):
        total = previous.get((row.commodity, row.unit))
        if total and row.quantity > total * QUANTITY_JUMP_FACTOR:
            issues.append(
                Issue(
                    Severity.WARNING,
                    Section.OIL,
                    _(
                        "Row %(n)d: %(quantity)s %(unit)s is more than %(factor)d times the total your previous "
                        "report gave for this commodity (%(total)s). Check the unit."
                    )
                    % {
                        "n": index + 1,
                        "quantity": row.quantity.normalize(),
                        "unit": row.get_unit_display(),
                        "factor": QUANTITY_JUMP_FACTOR,
                        "total": total.normalize(),
                    },
                    f"id_oil-{index}-quantity",
                    register_page_of(index),
                )
            )

    issues += list_ref_issues(version=version, oil_rows=oil_rows)

    days_late = (today - cycle.due).days
    if days_late > 0:
        issues.append(
            Issue(
                Severity.NOTICE,
                "",
                _("The report was due on %(due)s: it will be accepted and marked late (%(days)d days).")
                % {"due": cycle.due.isoformat(), "days": days_late},
            )
        )
    return issues


def list_ref_issues(*, version: ReportVersion, oil_rows: list[OilInterdiction]) -> list[Issue]:
    """References checked against the list in force now (not when saved): unknown is an error,
    delisted or removed a warning to acknowledge. Nothing is checked before the first import."""
    lookup = RefLookup()
    if not lookup.active:
        return []
    issues: list[Issue] = []
    registers: list[tuple[str, str, list[Any]]] = [
        (Section.OIL, "parties", oil_rows),
        (Section.ASSETS, "list_ref", list(version.frozenasset_rows.order_by("position", "id"))),
        (Section.CULTURAL, "parties", list(version.culturalseizure_rows.order_by("position", "id"))),
        (Section.RANSOM, "list_ref", list(version.ransomcase_rows.order_by("position", "id"))),
    ]
    for section, name, rows in registers:
        for index, row in enumerate(rows):
            value = getattr(row, name) or ""
            refs = [value] if name == "list_ref" else [ref for _party, ref in parse_parties(value)]
            for ref in refs:
                problem = ref_problem(ref, lookup) if ref else None
                if problem is not None:
                    issues.append(
                        Issue(
                            Severity.ERROR if problem.blocking else Severity.WARNING,
                            section,
                            _("Row %(n)d: %(problem)s") % {"n": index + 1, "problem": problem.message},
                            f"id_{section}-{index}-{name}",
                            register_page_of(index),
                        )
                    )
    return issues


def previous_oil_totals(*, version: ReportVersion) -> dict[tuple[str, str], Decimal]:
    """Totals per (commodity, unit) in the State's most recent other submitted report."""
    report = version.report
    previous = (
        ReportVersion.objects.filter(report__state_id=report.state_id, is_draft=False)
        .exclude(report_id=report.pk)
        .order_by("-submitted_at")
        .values_list("pk", flat=True)
        .first()
    )
    if previous is None:
        return {}
    rows = OilInterdiction.objects.filter(version_id=previous).values("commodity", "unit").annotate(total=Sum("quantity"))
    return {(row["commodity"], row["unit"]): row["total"] for row in rows}


def blocking(issues: list[Issue]) -> list[Issue]:
    return [issue for issue in issues if issue.severity == Severity.ERROR]


def warnings(issues: list[Issue]) -> list[Issue]:
    return [issue for issue in issues if issue.severity == Severity.WARNING]
