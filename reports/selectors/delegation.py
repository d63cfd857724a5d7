"""Reads for the delegation side; each owns its joins so pages make a constant number of queries."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from reports.models import (
    Measure,
    MemberState,
    Report,
    ReportingCycle,
    ReportVersion,
    ReviewEvent,
    User,
)
from reports.models.i18n import pick

from .access import get_report_for_user, versions_visible_to
from .versions import RowChange, SectionDiff, content_diff  # noqa: F401  (moved; old imports keep working)


@dataclass
class CycleRow:
    cycle: ReportingCycle
    report: Report | None
    days_left: int

    @property
    def is_submitted(self) -> bool:
        return self.report is not None and self.report.current_version_id is not None

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0 and not self.is_submitted

    @property
    def days_late(self) -> int:
        return -self.days_left


def cycles_open_to(*, state: MemberState, today: datetime.date) -> QuerySet[ReportingCycle]:
    """The cycles the State is expected to report in that have opened: every general cycle and its
    own event cycles (never another State's). The dashboard lists them; a report is started only in
    one of them (report_open, from the page and the API); reminders chase them."""
    return ReportingCycle.objects.filter(Q(state__isnull=True) | Q(state=state), opens__lte=today)


def delegation_cycles(*, state: MemberState, today: datetime.date) -> list[CycleRow]:
    """Every cycle that has opened for the State (general ones and its own event cycles), with its report.

    Cycles still to report come first (most overdue first), then the ones already submitted.
    """
    cycles = cycles_open_to(state=state, today=today).select_related("obligation__resolution").order_by("due", "code")
    reports = {
        r.cycle_id: r for r in Report.objects.filter(state=state, cycle__opens__lte=today).select_related("current_version")
    }
    rows = [CycleRow(cycle, reports.get(cycle.pk), (cycle.due - today).days) for cycle in cycles]
    return sorted(rows, key=lambda row: (row.is_submitted, row.cycle.due))


def report_events_for_state(*, report: Report) -> QuerySet[ReviewEvent]:
    return report.events.filter(visible_to_state=True).select_related("actor", "version").order_by("-created_at", "-id")


def get_delegation_report(user: User, pk: int | str) -> Report:
    """A report of the user's own State (the access gate), with what the report pages show."""
    return get_report_for_user(user, pk)


def get_version_of_report(user: User, report: Report, number: int | str) -> ReportVersion:
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404 from None
    version = (
        versions_visible_to(user)
        .filter(report=report, number=number)
        .select_related("report__state", "report__cycle__obligation", "submitted_by")
        .first()
    )
    if version is None:
        raise Http404
    return version


def get_draft_for_user(user: User, pk: int | str) -> ReportVersion:
    """A version of the user's own State for the editor; frozen ones are returned too (the view refuses them)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    version = (
        versions_visible_to(user)
        .filter(pk=pk)
        .select_related("report__state", "report__cycle__obligation__resolution", "report__current_version")
        .first()
    )
    if version is None:
        raise Http404
    return version


def version_history(*, report: Report) -> list[ReportVersion]:
    return list(report.versions.select_related("submitted_by", "updated_by").order_by("number"))


def measures_by_code(codes: list[str] | None = None) -> dict[str, Measure]:
    measures = Measure.objects.all()
    if codes is not None:
        measures = measures.filter(code__in=codes)
    return {m.code: m for m in measures}


def register_state_choices() -> tuple[list[tuple[str, str, int]], dict[str, int], dict[str, str]]:
    """The registers' State suggestions (code, name in the active language, pk) in that language's
    alphabetical order, the pk of each code, and the code of each name a delegation may type:
    English or any UN language, whatever the page's language (English wins should two States
    share a name)."""
    rows = list(MemberState.objects.values_list("iso3", "name", "names", "pk"))
    suggestions = sorted(
        ((iso3, pick(names) or name, pk) for iso3, name, names, pk in rows),
        key=lambda state: unicodedata.normalize("NFKD", state[1]).casefold(),  # "États-Unis" among the E
    )
    names_typed: dict[str, str] = {}
    for iso3, name, _names, _pk in rows:
        names_typed.setdefault(" ".join(name.split()).casefold(), iso3)
    for iso3, _name, names, _pk in rows:
        for other in (names or {}).values():
            names_typed.setdefault(" ".join(other.split()).casefold(), iso3)
    return suggestions, {iso3: pk for iso3, _name, _names, pk in rows}, names_typed
