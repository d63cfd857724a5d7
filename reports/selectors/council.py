"""Aggregates for the Council documents that the dashboard selectors do not compute.

Every figure here is read from the *frozen* current version of each report (never a draft),
and only from the sections the document's audience may see (reports.selectors.access).
The reporting rates themselves come from reports.selectors.dashboard (one source of truth
for the dashboard and the summary).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Count, Max, Q, Sum

from reports.models import (
    TRANSIT_PREFETCH,
    Answer,
    ChecklistAnswer,
    CulturalSeizure,
    FrozenAsset,
    Measure,
    MeasureArea,
    MeasureAssessment,
    MemberState,
    OilInterdiction,
    PartyMention,
    RansomCase,
    Report,
    ReportingCycle,
    ReportStatus,
    ReportVersion,
    ReviewAction,
    ReviewEvent,
    Section,
    SuspiciousTransactionCount,
)
from reports.selectors.access import Audience, section_visible_to
from reports.selectors.matrix import cycle_measures


@dataclass(frozen=True)
class VisibleSections:
    """Which frozen versions may feed a document for a given audience, per section."""

    by_section: dict[str, frozenset[int]] = field(default_factory=dict)

    def versions(self, section: str) -> frozenset[int]:
        return self.by_section.get(section, frozenset())


def visible_sections(*, versions: list[tuple[int, str, dict[str, str]]], audience: str) -> VisibleSections:
    """From (version id, confidentiality, per-section overrides), the version ids per section
    that `audience` may see (the access gate's rule, applied to each)."""
    by_section: dict[str, set[int]] = defaultdict(set)
    for version_id, level, overrides in versions:
        version = ReportVersion(pk=version_id, confidentiality=level, section_confidentiality=overrides or {})
        for section in Section.values:
            if section_visible_to(audience, version, section):
                by_section[section].add(version_id)
    return VisibleSections({key: frozenset(value) for key, value in by_section.items()})


def current_versions(
    *, cycle: ReportingCycle | None = None, states: list[MemberState] | None = None
) -> list[tuple[int, str, dict[str, str]]]:
    """The frozen current version of every submitted report of a cycle (or of some States)."""
    reports = Report.objects.filter(current_version__isnull=False)
    if cycle is not None:
        reports = reports.filter(cycle=cycle)
    if states is not None:
        reports = reports.filter(state__in=states)
    return list(
        ReportVersion.objects.filter(pk__in=reports.values("current_version_id"), is_draft=False).values_list(
            "id", "confidentiality", "section_confidentiality"
        )
    )


# --- the summary's key figures --------------------------------------------------------------


def oil_by_commodity(*, sections: VisibleSections) -> list[dict[str, Any]]:
    rows = (
        OilInterdiction.objects.filter(version_id__in=sections.versions(Section.OIL))
        .values("commodity", "unit")
        .annotate(cases=Count("id"), quantity=Sum("quantity"), states=Count("version__report__state", distinct=True))
        .order_by("commodity", "unit")
    )
    return cast("list[dict[str, Any]]", list(rows))


def oil_value_by_currency(*, sections: VisibleSections) -> list[dict[str, Any]]:
    rows = (
        OilInterdiction.objects.filter(version_id__in=sections.versions(Section.OIL), value__isnull=False)
        .values("currency")
        .annotate(value=Sum("value"), cases=Count("id"))
        .order_by("currency")
    )
    return cast("list[dict[str, Any]]", list(rows))


def assets_by_currency(*, sections: VisibleSections) -> list[dict[str, Any]]:
    rows = (
        FrozenAsset.objects.filter(version_id__in=sections.versions(Section.ASSETS))
        .values("currency")
        .annotate(amount=Sum("amount"), cases=Count("id"), states=Count("version__report__state", distinct=True))
        .order_by("currency")
    )
    return cast("list[dict[str, Any]]", list(rows))


def cultural_seizures(*, sections: VisibleSections) -> dict[str, Any]:
    totals = CulturalSeizure.objects.filter(version_id__in=sections.versions(Section.CULTURAL)).aggregate(
        cases=Count("id"),
        items=Sum("count"),
        returned=Count("id", filter=Q(returned=True)),
        states=Count("version__report__state", distinct=True),
    )
    return {key: value or 0 for key, value in totals.items()}


def ransom_cases(*, sections: VisibleSections) -> dict[str, Any]:
    totals = RansomCase.objects.filter(version_id__in=sections.versions(Section.RANSOM)).aggregate(
        cases=Count("id"), prevented=Count("id", filter=Q(prevented=True))
    )
    return {key: value or 0 for key, value in totals.items()}


def suspicious_transactions(*, sections: VisibleSections) -> dict[str, Any]:
    totals = SuspiciousTransactionCount.objects.filter(version_id__in=sections.versions(Section.STR)).aggregate(
        reports=Sum("count"), states=Count("version__report__state", distinct=True)
    )
    return {key: value or 0 for key, value in totals.items()}


def parties_most_named(*, sections: VisibleSections, limit: int = 10) -> list[dict[str, Any]]:
    """Parties named in interdiction or seizure rows, by how many States named them."""
    visible = Q(interdiction__isnull=False, version_id__in=sections.versions(Section.OIL)) | Q(
        seizure__isnull=False, version_id__in=sections.versions(Section.CULTURAL)
    )
    rows = (
        PartyMention.objects.filter(visible)
        .values("normalized_name", "list_ref")
        .annotate(mentions=Count("id"), states=Count("version__report__state", distinct=True), name=Max("name"))
        .order_by("-states", "-mentions", "normalized_name", "list_ref")[:limit]
    )
    return cast("list[dict[str, Any]]", list(rows))


def parties_since_listed(*, sections: VisibleSections) -> list[dict[str, Any]]:
    """Parties that States reported before the Sanctions List listed them, as the Monitoring Team
    confirmed (screening): only a confirmed match is printed for the Council, and only parties of
    sections this edition's audience may see. Two queries."""
    from reports.models import MatchStatus, ScreeningMatch

    visible = Q(interdiction__isnull=False, version_id__in=sections.versions(Section.OIL)) | Q(
        seizure__isnull=False, version_id__in=sections.versions(Section.CULTURAL)
    )
    mentions = PartyMention.objects.filter(visible)
    states = dict(
        mentions.values("normalized_name")
        .annotate(states=Count("version__report__state", distinct=True))
        .order_by()
        .values_list("normalized_name", "states")
    )
    if not states:
        return []
    matches = (
        ScreeningMatch.objects.filter(status=MatchStatus.CONFIRMED, listed_after_report=True, name_key__in=list(states))
        .select_related("entry")
        .order_by("entry__reference", "name_key")
    )
    return [
        {
            "name": m.name,
            "reference": m.entry.reference,
            "entry_name": m.entry.primary_name,
            "listed_on": m.entry.listed_on,
            "states": states.get(m.name_key, 0),
        }
        for m in matches
    ]


def matrix_by_area(*, cycle: ReportingCycle, sections: VisibleSections) -> list[dict[str, Any]]:
    """Section V: the cycle's checklist summed by area over the reports whose checklist is shown.

    Each counted report (a current version whose checklist this edition may show) gives one
    cell per measure of the cycle's checklist (`cycle_measures`, its one home): the State's
    answer, or, when the row is blank or missing, "unanswered" for a required measure and
    "optional, not answered" for the others. So in each area the answer columns sum to
    measures x reports. Answers to measures the cycle does not ask (another resolution's, a
    retired one's) are not counted.
    """
    version_ids = sections.versions(Section.CHECKLIST)
    measures = list(cycle_measures(cycle).values_list("id", "area", "required"))
    per_area: dict[str, dict[str, int]] = {area: {"required": 0, "optional": 0} for area in MeasureArea.values}
    for _id, area, required in measures:
        per_area[area]["required" if required else "optional"] += 1
    table: dict[str, dict[str, int]] = {area: dict.fromkeys(Answer.values, 0) for area in MeasureArea.values}
    answered_required: dict[str, int] = dict.fromkeys(MeasureArea.values, 0)
    for row in (
        ChecklistAnswer.objects.filter(version_id__in=version_ids, measure_id__in=[m[0] for m in measures])
        .exclude(answer="")
        .values("measure__area", "measure__required", "answer")
        .annotate(n=Count("id"))
    ):
        table[row["measure__area"]][row["answer"]] += row["n"]
        if row["measure__required"]:
            answered_required[row["measure__area"]] += row["n"]
    reports = len(version_ids)
    result = []
    for area, label in MeasureArea.choices:
        answers = table[area]
        answered = sum(answers.values())
        n_measures = per_area[area]["required"] + per_area[area]["optional"]
        unanswered = per_area[area]["required"] * reports - answered_required[area]
        result.append(
            {
                "area": area,
                "label": label,
                "measures": n_measures,
                "reports": reports,
                "in_place": answers[Answer.IN_PLACE],
                "partial": answers[Answer.PARTIAL],
                "not_in_place": answers[Answer.NOT_IN_PLACE],
                "na": answers[Answer.NOT_APPLICABLE],
                "unanswered": unanswered,
                "optional_unanswered": n_measures * reports - answered - unanswered,
                "answered": answered,
                "in_place_pct": round(100 * answers[Answer.IN_PLACE] / answered) if answered else None,
            }
        )
    return result


def cycle_data_as_of(*, cycle: ReportingCycle) -> datetime.datetime | None:
    """The latest change to anything a summary of this cycle reads."""
    reports = Report.objects.filter(cycle=cycle)
    stamps = [
        reports.aggregate(at=Max("updated_at"))["at"],
        ReportVersion.objects.filter(report__cycle=cycle, is_draft=False).aggregate(at=Max("updated_at"))["at"],
        ReviewEvent.objects.filter(report__cycle=cycle).aggregate(at=Max("created_at"))["at"],
        MeasureAssessment.objects.filter(report__cycle=cycle).aggregate(at=Max("assessed_at"))["at"],
    ]
    found = [stamp for stamp in stamps if stamp is not None]
    return max(found) if found else None


def states_data_as_of(*, states: list[MemberState] | None) -> datetime.datetime | None:
    """The latest change to anything the profiles of these States (None: all States) read."""
    reports = Report.objects.all() if states is None else Report.objects.filter(state__in=states)
    stamps = [
        reports.aggregate(at=Max("updated_at"))["at"],
        ReportVersion.objects.filter(report__in=reports, is_draft=False).aggregate(at=Max("updated_at"))["at"],
        ReviewEvent.objects.filter(report__in=reports).aggregate(at=Max("created_at"))["at"],
        MeasureAssessment.objects.filter(report__in=reports).aggregate(at=Max("assessed_at"))["at"],
    ]
    found = [stamp for stamp in stamps if stamp is not None]
    return max(found) if found else None


# --- State profiles -------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileMeasureRow:
    """One measure the focus report's cycle asks, with the State's answer row (None: no row)."""

    measure: Measure
    answer: ChecklistAnswer | None = None

    @property
    def given(self) -> str:
        """The answer given, "" when the row is blank or missing (the profile says "Not answered")."""
        return self.answer.answer if self.answer else ""


@dataclass
class StateProfile:
    state: MemberState
    reports: list[Report] = field(default_factory=list)
    focus: Report | None = None
    # Every measure of the focus cycle's checklist, answered or not, in checklist order.
    checklist: list[ProfileMeasureRow] = field(default_factory=list)
    checklist_hidden: bool = False
    registers: dict[str, list[Any]] = field(default_factory=dict)
    hidden_sections: list[str] = field(default_factory=list)
    assessments: list[MeasureAssessment] = field(default_factory=list)
    clarifications: list[ReviewEvent] = field(default_factory=list)
    answer_counts: dict[str, int] = field(default_factory=dict)


REGISTER_MODELS: dict[str, Any] = {
    Section.OIL: OilInterdiction,
    Section.ASSETS: FrozenAsset,
    Section.CULTURAL: CulturalSeizure,
    Section.RANSOM: RansomCase,
    Section.STR: SuspiciousTransactionCount,
}


def state_profiles(*, states: list[MemberState], cycle: ReportingCycle | None, audience: str) -> list[StateProfile]:
    """Profiles of several States in a constant number of queries (a compendium chunk is one call).

    The focus of each profile is the State's report for `cycle` (or, with no cycle, its latest
    submitted report); its table of reports lists every cycle.
    """
    internal = audience == Audience.INTERNAL
    profiles = {state.pk: StateProfile(state=state) for state in states}
    reports = list(
        Report.objects.filter(state__in=states, cycle__state__isnull=True)
        .select_related("cycle__obligation__resolution", "current_version")
        .order_by("state_id", "-cycle__due", "cycle__code")
    )
    for report in reports:
        profiles[report.state_id].reports.append(report)
    for profile in profiles.values():
        submitted = [r for r in profile.reports if r.current_version_id]
        if cycle is not None:
            profile.focus = next((r for r in submitted if r.cycle_id == cycle.pk), None)
        else:
            profile.focus = submitted[0] if submitted else None
    focus = {p.focus.current_version_id: p for p in profiles.values() if p.focus and p.focus.current_version_id}
    versions = [
        (v.pk, v.confidentiality, v.section_confidentiality)
        for v in (p.focus.current_version for p in focus.values() if p.focus)
        if v
    ]  # type: ignore[union-attr]
    sections = visible_sections(versions=versions, audience=audience)

    # The checklist is what the focus cycle asks (one query per distinct cycle, not per State),
    # so a measure the State skipped shows as not answered instead of vanishing.
    shown = sections.versions(Section.CHECKLIST)
    checklists: dict[int, list[Measure]] = {}
    for profile in focus.values():
        if profile.focus and profile.focus.cycle_id not in checklists:
            checklists[profile.focus.cycle_id] = list(cycle_measures(profile.focus.cycle))
    given = {
        (answer.version_id, answer.measure_id): answer
        for answer in ChecklistAnswer.objects.filter(version_id__in=shown).select_related("measure__resolution")
    }
    for version_id, profile in focus.items():
        if version_id not in shown or profile.focus is None:
            continue
        for measure in checklists[profile.focus.cycle_id]:
            row = ProfileMeasureRow(measure=measure, answer=given.get((version_id, measure.pk)))
            profile.checklist.append(row)
            profile.answer_counts[row.given] = profile.answer_counts.get(row.given, 0) + 1
    for section, model in REGISTER_MODELS.items():
        rows = model.objects.filter(version_id__in=sections.versions(section))
        if model is OilInterdiction:
            rows = rows.select_related("origin", "destination").prefetch_related(TRANSIT_PREFETCH)
        for row in rows.order_by("version_id", "position", "id"):
            focus[row.version_id].registers.setdefault(section, []).append(row)
    for version_id, profile in focus.items():
        for section in Section.values:
            if version_id not in sections.versions(section) and section != Section.ATTACHMENTS:
                profile.hidden_sections.append(section)
        profile.checklist_hidden = Section.CHECKLIST in profile.hidden_sections
    if internal:
        # The Secretariat's layer (assessments, clarification requests) is for the back office only.
        state_of_report = {p.focus.pk: p.state.pk for p in focus.values() if p.focus}
        for assessment in (
            MeasureAssessment.objects.filter(report__in=[p.focus for p in focus.values()])
            .select_related("measure")
            .order_by("report_id", "measure__order", "measure__code")
        ):
            profiles[state_of_report[assessment.report_id]].assessments.append(assessment)
        open_reports = [p.focus for p in profiles.values() if p.focus and p.focus.status == ReportStatus.CLARIFICATION_REQUESTED]
        for event in ReviewEvent.objects.filter(report__in=open_reports, action=ReviewAction.REQUEST_CLARIFICATION).order_by(
            "report_id", "created_at", "id"
        ):
            profiles[state_of_report[event.report_id]].clarifications.append(event)
    return [profiles[state.pk] for state in states]
