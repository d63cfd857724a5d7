"""The implementation matrix (the 1540 Committee pattern): States x measures for one cycle.

Each cell keeps three layers apart (BRIEF.md): the State's own answer, taken from the
report's current (latest submitted) version; the Secretariat's MeasureAssessment; and a
flag the portal computes from both. The 1540 matrix warns it is "not a tool for measuring
compliance", so no layer overwrites another.

Reports come only through reports.selectors.access.reports_visible_to. Five queries
whatever the number of States.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from reports.models import (
    Answer,
    ChecklistAnswer,
    Measure,
    MeasureAssessment,
    MemberState,
    ObligationKind,
    Rating,
    RegionalGroup,
    Report,
    ReportingCycle,
    ReportVersion,
    Section,
)
from reports.selectors.access import Audience, get_report_for_user, reports_visible_to, section_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import Promise

    from reports.models import User


class Flag:
    """The computed layer; it never changes the State's answer or the Secretariat's rating."""

    NO_REPORT = "no_report"
    UNANSWERED = "unanswered"
    GAP = "gap"
    DIFFERS = "differs"
    OK = "ok"

    CHOICES: list[tuple[str, Promise]] = [
        (NO_REPORT, _("No report received")),
        (UNANSWERED, _("Required, not answered")),
        (GAP, _("Not in place or assessed not implemented")),
        (DIFFERS, _("State's answer and assessment differ")),
        (OK, _("No flag")),
    ]
    # Only in exports for a narrower audience (never on the back office's pages, so not a filter choice):
    # the State reported, but marked its checklist for a narrower audience.
    WITHHELD = "withheld"
    LABELS = {**dict(CHOICES), WITHHELD: _("Not shared with this audience")}
    # What a matrix cell shows; the long label is its title and the legend.
    SHORT: dict[str, Promise] = {
        WITHHELD: _("Withheld"),
        NO_REPORT: _("No report"),
        UNANSWERED: _("Unanswered"),
        GAP: _("Gap"),
        DIFFERS: _("Differs"),
        OK: _("OK"),
    }


# The State says in place / partially / not in place; the Secretariat's rating that agrees with it.
_AGREES: dict[str, set[str]] = {
    Answer.IN_PLACE: {Rating.IMPLEMENTED},
    Answer.PARTIAL: {Rating.PARTIAL},
    Answer.NOT_IN_PLACE: {Rating.NOT_IMPLEMENTED},
    Answer.NOT_APPLICABLE: {Rating.NOT_APPLICABLE},
}


# Plain strings for compute_flag, which runs once per matrix cell (thousands per page): reading
# the enum members from their classes each time cost more than the rest of the cell.
_NOT_IN_PLACE, _NOT_IMPLEMENTED, _NOT_REPORTED = (
    str(Answer.NOT_IN_PLACE.value),
    str(Rating.NOT_IMPLEMENTED.value),
    str(Rating.NOT_REPORTED.value),
)
_AGREES_PLAIN: dict[str, frozenset[str]] = {str(a): frozenset(str(r) for r in rs) for a, rs in _AGREES.items()}
_NO_AGREEMENT: frozenset[str] = frozenset()


def compute_flag(*, received: bool, required: bool, answer: str, rating: str) -> str:
    if not received:
        return Flag.NO_REPORT
    if answer == _NOT_IN_PLACE or rating == _NOT_IMPLEMENTED:
        return Flag.GAP
    if not answer:
        return Flag.UNANSWERED if required else Flag.OK
    if rating and rating != _NOT_REPORTED and rating not in _AGREES_PLAIN.get(answer, _NO_AGREEMENT):
        return Flag.DIFFERS
    return Flag.OK


@dataclass(kw_only=True, slots=True)  # thousands per page: slots make them cheaper to build
class Cell:
    measure_id: int
    answer: str = ""
    has_legal_reference: bool = False
    rating: str = ""
    flag: str = Flag.NO_REPORT
    # Where the assessment stands with the State (issue 12): draft, shared, agreed, disputed, final.
    assessment_state: str = ""

    @property
    def answer_label(self) -> str:
        return str(Answer(self.answer).label) if self.answer else ""

    @property
    def rating_label(self) -> str:
        return str(Rating(self.rating).label) if self.rating else ""

    @property
    def flag_label(self) -> str:
        return str(Flag.LABELS[self.flag])

    @property
    def flag_short(self) -> str:
        return str(Flag.SHORT[self.flag])


@dataclass(kw_only=True)
class MatrixRow:
    state_id: int
    iso3: str
    name: str
    regional_group: str
    report_id: int | None
    version_number: int | None
    status: str
    cells: list[Cell] = field(default_factory=list)


@dataclass(kw_only=True)
class Matrix:
    cycle: ReportingCycle
    measures: list[Measure]
    rows: list[MatrixRow]

    def flag_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Flag.LABELS, 0)
        for row in self.rows:
            for cell in row.cells:
                counts[cell.flag] += 1
        return counts

    def flag_state_counts(self) -> dict[str, int]:
        """How many States have at least one cell with each flag (a State counts once per flag)."""
        counts = dict.fromkeys(Flag.LABELS, 0)
        for row in self.rows:
            for flag in {cell.flag for cell in row.cells}:
                counts[flag] += 1
        return counts

    def legend(self) -> list[tuple[str, Any, int, int]]:
        """(flag, label, cells, States) for the legend, in the filter's order."""
        cells, states = self.flag_counts(), self.flag_state_counts()
        return [(code, label, cells[code], states[code]) for code, label in Flag.CHOICES]


def cycle_measures(cycle: ReportingCycle, *, area: str = "") -> QuerySet[Measure]:
    """The checklist a cycle asks for: the active measures of its resolution.

    An event-triggered notice (an oil interdiction) is a short report with no checklist.
    The one definition for the editor, validation, the matrix and the review page.
    """
    if cycle.obligation.kind == ObligationKind.EVENT:
        return Measure.objects.none()
    measures = (
        Measure.objects.filter(resolution_id=cycle.obligation.resolution_id, active=True)
        .select_related("resolution")
        .order_by("order", "code")
    )
    return measures.filter(area=area) if area else measures


def implementation_matrix(
    *,
    user: User | AnonymousUser,
    cycle: ReportingCycle,
    group: str = "",
    area: str = "",
    flag: str = "",
    answer: str = "",
    states: Iterable[str] | None = None,
    audience: str = Audience.INTERNAL,
) -> Matrix:
    """States x measures of the cycle's resolution.

    group / area narrow rows / columns; flag / answer keep the States with at least one
    cell in that state (an unknown value keeps nothing: an empty result, not an error).
    audience: an export for a narrower audience than the user's own. A report whose checklist
    that audience may not see (the access gate's rule) keeps its row and status (reporting facts
    are for everyone) but its cells say "withheld"; the Secretariat's assessments are internal.
    """
    measures = list(cycle_measures(cycle, area=area))
    state_qs = MemberState.objects.only("id", "iso3", "name", "names", "regional_group", "sort_key").order_by("sort_key")
    if cycle.state_id:
        state_qs = state_qs.filter(pk=cycle.state_id)
    if group:
        state_qs = state_qs.filter(regional_group=group) if group in RegionalGroup.values else state_qs.none()
    if states is not None:
        state_qs = state_qs.filter(iso3__in=list(states))
    visible = reports_visible_to(user).filter(cycle=cycle)
    internal = audience == Audience.INTERNAL
    reports = {
        r["state_id"]: r for r in visible.values("id", "state_id", "status", "current_version_id", "current_version__number")
    }
    if internal:
        version_ids = [r["current_version_id"] for r in reports.values() if r["current_version_id"]]
    else:
        shown = visible.filter(section_q(audience, Section.CHECKLIST, prefix="current_version__"))
        version_ids = list(shown.exclude(current_version_id=None).values_list("current_version_id", flat=True))
    readable = set(version_ids)
    answers: dict[tuple[int, int], tuple[str, bool]] = {
        (version_id, measure_id): (given, has_reference)
        for version_id, measure_id, given, has_reference in ChecklistAnswer.objects.filter(
            version_id__in=version_ids, measure__in=[m.pk for m in measures]
        )
        # Whether there is a legal reference, not the text of thousands of them.
        .annotate(has_reference=ExpressionWrapper(~Q(legal_reference=""), output_field=BooleanField()))
        .values_list("version_id", "measure_id", "answer", "has_reference")
    }
    report_ids = [r["id"] for r in reports.values()] if internal else []
    ratings: dict[tuple[int, int], str] = {}
    assessment_states: dict[tuple[int, int], str] = {}
    for report_id, measure_id, rating, assessment_state in MeasureAssessment.objects.filter(report_id__in=report_ids).values_list(
        "report_id", "measure_id", "rating", "state"
    ):
        ratings[(report_id, measure_id)] = rating
        assessment_states[(report_id, measure_id)] = assessment_state
    columns = [(m.pk, m.required) for m in measures]  # read once, not once per cell
    rows = []
    for state in state_qs:
        report = reports.get(state.pk)
        version_id = report["current_version_id"] if report else None
        row = MatrixRow(
            state_id=state.pk,
            iso3=state.iso3,
            name=state.display_name,
            regional_group=state.regional_group,
            report_id=report["id"] if report else None,
            version_number=report["current_version__number"] if report else None,
            status=report["status"] if report else "",
        )
        received = version_id is not None
        if received and version_id not in readable:
            row.cells = [Cell(measure_id=measure_id, flag=Flag.WITHHELD) for measure_id, _required in columns]
            columns_left: list[tuple[int, bool]] = []
        else:
            columns_left = columns
        for measure_id, required in columns_left:
            given, has_reference = answers.get((version_id, measure_id), ("", False)) if version_id else ("", False)
            rating = ratings.get((row.report_id, measure_id), "") if row.report_id else ""
            row.cells.append(
                Cell(
                    measure_id=measure_id,
                    answer=given,
                    has_legal_reference=has_reference,
                    rating=rating,
                    flag=compute_flag(received=received, required=required, answer=given, rating=rating),
                    assessment_state=assessment_states.get((row.report_id or 0, measure_id), "") if rating else "",
                )
            )
        if flag and not any(c.flag == flag for c in row.cells):
            continue
        if answer and not any((c.answer or "unanswered") == answer for c in row.cells if c.flag != Flag.NO_REPORT):
            continue
        rows.append(row)
    return Matrix(cycle=cycle, measures=measures, rows=rows)


@dataclass(kw_only=True)
class CellDetail:
    report: Report
    version: ReportVersion
    measure: Measure
    answer: ChecklistAnswer | None
    assessment: MeasureAssessment | None
    flag: str

    @property
    def flag_label(self) -> str:
        return str(Flag.LABELS[self.flag])


def matrix_cell(*, user: User | AnonymousUser, report_id: int | str, measure_id: int | str) -> CellDetail:
    """What a cell opens: the answer, its legal reference and the version it came from."""
    report = get_report_for_user(user, report_id)
    version = report.current_version
    if version is None:
        raise Http404
    try:
        measure = cycle_measures(report.cycle).get(pk=int(measure_id))
    except (ValueError, TypeError, OverflowError, Measure.DoesNotExist):
        raise Http404 from None
    answer = ChecklistAnswer.objects.filter(version=version, measure=measure).first()
    assessment = MeasureAssessment.objects.filter(report=report, measure=measure).select_related("assessed_by").first()
    return CellDetail(
        report=report,
        version=version,
        measure=measure,
        answer=answer,
        assessment=assessment,
        flag=compute_flag(
            received=True,
            required=measure.required,
            answer=answer.answer if answer else "",
            rating=assessment.rating if assessment else "",
        ),
    )


def report_measure_rows(*, report: Report) -> list[dict[str, Any]]:
    """The review page's checklist: each measure with the three layers of one submitted report."""
    answers = {a.measure_id: a for a in ChecklistAnswer.objects.filter(version_id=report.current_version_id)}
    assessments = {a.measure_id: a for a in MeasureAssessment.objects.filter(report=report).select_related("assessed_by")}
    rows = []
    for measure in cycle_measures(report.cycle):
        answer = answers.get(measure.pk)
        assessment = assessments.get(measure.pk)
        flag = compute_flag(
            received=True,
            required=measure.required,
            answer=answer.answer if answer else "",
            rating=assessment.rating if assessment else "",
        )
        rows.append(
            {"measure": measure, "answer": answer, "assessment": assessment, "flag": flag, "flag_label": Flag.LABELS[flag]}
        )
    return rows
