"""The cycle dashboard: DHIS2-style reporting rates (expected, received, on time, late).

Counting a draft's *existence* is allowed here (the Secretariat may know that a State has
started); a draft's content never leaves reports.selectors.access. "Received" means the same
thing as reports_visible_to() for the back office: a report with a submitted version.

Each function makes a fixed number of queries, whatever the number of States:
cycle_status_summary: 2, cycle_trend: 3.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import get_language

from reports.collation import un_sorted_key
from reports.models import MemberState, RegionalGroup, Report, ReportingCycle
from reports.models.i18n import pick


class Category:
    """Where a State stands for a cycle; each expected State is in exactly one."""

    ON_TIME = "on_time"
    LATE = "late"
    DRAFT = "draft"
    NOTHING = "nothing"
    # Not a category of its own: DRAFT or NOTHING once the due date has passed.
    OVERDUE = "overdue"
    RECEIVED = "received"
    ALL = (ON_TIME, LATE, DRAFT, NOTHING)


def _rate(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass(kw_only=True)
class Counts:
    expected: int = 0
    received: int = 0
    on_time: int = 0
    late: int = 0
    drafts_only: int = 0
    nothing: int = 0
    overdue: int = 0

    @property
    def reporting_rate(self) -> float:
        """Received as a percentage of expected (DHIS2's "reporting rate")."""
        return _rate(self.received, self.expected)

    @property
    def on_time_rate(self) -> float:
        """Received on time as a percentage of expected (DHIS2's "reporting rate on time")."""
        return _rate(self.on_time, self.expected)

    @property
    def late_rate(self) -> float:
        return _rate(self.late, self.expected)

    @property
    def drafts_only_rate(self) -> float:
        return _rate(self.drafts_only, self.expected)

    @property
    def nothing_rate(self) -> float:
        return _rate(self.nothing, self.expected)

    def add(self, category: str, *, overdue: bool) -> None:
        self.expected += 1
        if category == Category.ON_TIME:
            self.received += 1
            self.on_time += 1
        elif category == Category.LATE:
            self.received += 1
            self.late += 1
        elif category == Category.DRAFT:
            self.drafts_only += 1
        else:
            self.nothing += 1
        if overdue:
            self.overdue += 1


@dataclass(kw_only=True)
class StateStatus:
    """One expected State's position in a cycle (one row of the status table and export)."""

    state_id: int
    iso3: str
    name: str
    regional_group: str
    category: str
    report_id: int | None = None
    status: str = ""
    submitted_at: datetime.datetime | None = None
    days_late: int = 0
    is_overdue: bool = False

    @property
    def received(self) -> bool:
        return self.category in (Category.ON_TIME, Category.LATE)


@dataclass(kw_only=True)
class GroupSummary(Counts):
    code: str
    label: str | Promise


@dataclass(kw_only=True)
class CycleSummary(Counts):
    cycle: ReportingCycle
    today: datetime.date
    groups: list[GroupSummary] = field(default_factory=list)
    states: list[StateStatus] = field(default_factory=list)
    overdue_states: list[StateStatus] = field(default_factory=list)

    @property
    def is_past_due(self) -> bool:
        return self.today > self.cycle.due

    @property
    def days_left(self) -> int:
        return self.cycle.days_left(self.today)

    @property
    def days_past_due(self) -> int:
        return max(0, (self.today - self.cycle.due).days)


def expected_states(cycle: ReportingCycle) -> Iterable[tuple[int, str, str, dict[str, str], str]]:
    """Every Member State owes a periodic report; an event cycle only the State of the event.

    Rows (id, iso3, name, names, regional group) by name: 193 model instances cost more than
    the query.
    """
    states = MemberState.objects.order_by("sort_key")
    if cycle.state_id:
        states = states.filter(pk=cycle.state_id)
    return states.values_list("id", "iso3", "name", "names", "regional_group")


def cycle_status_summary(*, cycle: ReportingCycle, today: datetime.date) -> CycleSummary:
    """Expected, received, on time, late, drafts only, nothing; by regional group; overdue States."""
    reports = {
        row[1]: row
        for row in Report.objects.filter(cycle=cycle).values_list(
            "id", "state_id", "status", "current_version_id", "first_submitted_at", "days_late", "is_late"
        )
    }
    past_due = today > cycle.due
    days_past_due = (today - cycle.due).days
    language = get_language()
    summary = CycleSummary(cycle=cycle, today=today)
    groups = {code: GroupSummary(code=code, label=label) for code, label in RegionalGroup.choices}
    for state_id, iso3, name, names, regional_group in expected_states(cycle):
        row = reports.get(state_id)
        if row is None:
            category = Category.NOTHING
        elif row[3] is None:
            category = Category.DRAFT
        else:
            category = Category.LATE if row[6] else Category.ON_TIME
        received = category in (Category.ON_TIME, Category.LATE)
        overdue = past_due and not received
        status = StateStatus(
            state_id=state_id,
            iso3=iso3,
            name=pick(names, language) or name,
            regional_group=regional_group,
            category=category,
            report_id=row[0] if row and received else None,
            status=row[2] if row else "",
            submitted_at=row[4] if row and received else None,
            days_late=(row[5] if received and row else (days_past_due if overdue else 0)),
            is_overdue=overdue,
        )
        summary.states.append(status)
        summary.add(category, overdue=overdue)
        group = groups.get(regional_group)
        if group is None:
            group = groups[regional_group] = GroupSummary(code=regional_group, label=regional_group)
        group.add(category, overdue=overdue)
    summary.groups = [group for group in groups.values() if group.expected]
    summary.overdue_states = sorted(
        (s for s in summary.states if s.is_overdue), key=lambda s: (-s.days_late, un_sorted_key(s.name))
    )
    return summary


def filter_states(summary: CycleSummary, *, category: str = "", group: str = "") -> list[StateStatus]:
    """The States behind one number of the dashboard (what its link opens)."""
    rows = summary.states
    if group:
        rows = [s for s in rows if s.regional_group == group]
    if category == Category.RECEIVED:
        rows = [s for s in rows if s.received]
    elif category == Category.OVERDUE:
        rows = [s for s in rows if s.is_overdue]
    elif category in Category.ALL:
        rows = [s for s in rows if s.category == category]
    elif category:
        rows = []
    return rows


@dataclass(kw_only=True)
class TrendPoint(Counts):
    cycle_id: int
    code: str
    label: str
    due: datetime.date


def periodic_cycles(*, today: datetime.date | None = None) -> list[ReportingCycle]:
    """Cycles every State reports in (not event notifications), oldest first, opened by `today`."""
    cycles = ReportingCycle.objects.filter(state__isnull=True).select_related("obligation__resolution").order_by("due", "code")
    if today is not None:
        cycles = cycles.filter(opens__lte=today)
    return list(cycles)


def cycle_trend(*, today: datetime.date, cycles: list[ReportingCycle] | None = None) -> list[TrendPoint]:
    """Reporting rates across cycles, oldest first, from one aggregate query."""
    if cycles is None:
        cycles = periodic_cycles(today=today)
    expected = MemberState.objects.count()
    received = Q(current_version__isnull=False)
    rows: dict[int, dict[str, Any]] = {
        row["cycle_id"]: dict(row)
        for row in Report.objects.filter(cycle__in=cycles)
        .values("cycle_id")
        .annotate(
            n_received=Count("id", filter=received),
            n_late=Count("id", filter=received & Q(is_late=True)),
            n_drafts=Count("id", filter=Q(current_version__isnull=True)),
        )
    }
    points = []
    for cycle in cycles:
        row = rows.get(cycle.pk, {})
        n_expected = 1 if cycle.state_id else expected
        n_received = row.get("n_received", 0)
        n_late = row.get("n_late", 0)
        n_drafts = row.get("n_drafts", 0)
        nothing = max(0, n_expected - n_received - n_drafts)
        points.append(
            TrendPoint(
                cycle_id=cycle.pk,
                code=cycle.code,
                label=cycle.display_label,
                due=cycle.due,
                expected=n_expected,
                received=n_received,
                on_time=n_received - n_late,
                late=n_late,
                drafts_only=n_drafts,
                nothing=nothing,
                overdue=(n_expected - n_received) if today > cycle.due else 0,
            )
        )
    return points
