"""One State as the back office sees it: reports, versions, review history, reminders,
assessments and the parties its reports name. A fixed number of queries per page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from reports.models import (
    TRANSIT_PREFETCH,
    MeasureAssessment,
    MemberState,
    PartyMention,
    ReminderLog,
    Report,
    ReportingCycle,
    ReportVersion,
    ReviewEvent,
)
from reports.selectors.access import reports_visible_to, versions_visible_to
from reports.selectors.delegation import cycles_open_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from reports.models import User


@dataclass(kw_only=True)
class StateOverview:
    state: MemberState
    reports: list[Report]
    versions: list[ReportVersion]
    events: list[ReviewEvent]
    reminders: list[ReminderLog]
    assessments: list[MeasureAssessment]
    mentions: list[PartyMention]
    drafts_in_progress: int


def state_overview(*, user: User | AnonymousUser, state: MemberState) -> StateOverview:
    reports = reports_visible_to(user).filter(state=state)
    return StateOverview(
        state=state,
        reports=list(
            reports.select_related("cycle__obligation__resolution", "current_version", "assigned_to").order_by("-cycle__due")
        ),
        versions=list(
            versions_visible_to(user)
            .filter(report__state=state)
            .select_related("report__cycle", "submitted_by")
            .order_by("-submitted_at", "-number")
        ),
        events=list(
            ReviewEvent.objects.filter(report__in=reports)
            .select_related("actor", "report__cycle", "version")
            .order_by("-created_at", "-id")
        ),
        reminders=list(ReminderLog.objects.filter(state=state).select_related("cycle", "sent_by").order_by("-sent_at")),
        assessments=list(
            MeasureAssessment.objects.filter(report__in=reports)
            .select_related("measure", "report__cycle", "assessed_by", "version")
            .order_by("report__cycle__due", "measure__order", "measure__code")
        ),
        mentions=list(
            PartyMention.objects.filter(version_id__in=reports.values("current_version_id"))
            .select_related("version__report__cycle", "interdiction__origin", "interdiction__destination", "seizure")
            .prefetch_related(f"interdiction__{TRANSIT_PREFETCH}")
            .order_by("normalized_name")
        ),
        # A draft's existence may be counted (never shown): an unsubmitted report of this State.
        drafts_in_progress=Report.objects.filter(state=state, current_version__isnull=True).count(),
    )


def cycles_owing(*, state: MemberState, today: datetime.date) -> QuerySet[ReportingCycle]:
    """Cycles open to this State that it has not submitted for: where a reminder makes sense."""
    submitted = Report.objects.filter(state=state, current_version__isnull=False).values("cycle_id")
    return cycles_open_to(state=state, today=today).exclude(pk__in=submitted).order_by("-due")
