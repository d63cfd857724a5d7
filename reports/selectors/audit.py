"""Reading the audit trail (the Secretariat's audit page, a user's own sign-in history)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import (
    Attachment,
    AuditEvent,
    FollowUp,
    MeasureAssessment,
    PdfJob,
    ReminderBatch,
    ReminderLog,
    Report,
    ReportingCycle,
    ReportVersion,
    User,
)

if TYPE_CHECKING:
    from reports.models import MemberState


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    state: MemberState | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def audit_events_filtered(f: AuditFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("state").order_by("-created_at", "-id")
    if f.actor:
        events = events.filter(actor_name__icontains=f.actor)
    if f.action:
        events = events.filter(action=f.action)
    if f.state is not None:
        events = events.filter(state=f.state)
    tz = timezone.get_current_timezone()
    if f.date_from:
        events = events.filter(created_at__gte=datetime.datetime.combine(f.date_from, datetime.time.min, tzinfo=tz))
    if f.date_to:
        end = datetime.datetime.combine(f.date_to, datetime.time.min, tzinfo=tz) + datetime.timedelta(days=1)
        events = events.filter(created_at__lt=end)
    return events


def audit_actions() -> list[str]:
    """The actions that occur in the trail (for the filter's choices)."""
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def sign_in_history(user: User, *, limit: int = 10) -> list[AuditEvent]:
    """The user's recent sign-ins and failed attempts on their username, newest first."""
    events = AuditEvent.objects.filter(action__in=("login", "login_failed"), actor_name=user.get_username())
    return list(events.order_by("-created_at", "-id")[:limit])


def _report_words(report: Report) -> str:
    return f"{report.state.display_name} · {report.cycle.display_label}"


def _version_words(version: ReportVersion) -> str:
    number = _("draft") if version.is_draft else f"v{version.number}"
    return f"{_report_words(version.report)} · {number}"


# How each kind of object the trail names reads in words, and what its query must join.
_OBJECT_WORDS: dict[str, tuple[Callable[[], Any], Callable[[Any], str]]] = {
    "Report": (lambda: Report.objects.select_related("state", "cycle"), _report_words),
    "ReportVersion": (lambda: ReportVersion.objects.select_related("report__state", "report__cycle"), _version_words),
    "MeasureAssessment": (
        lambda: MeasureAssessment.objects.select_related("report__state", "report__cycle", "measure"),
        lambda a: f"{_report_words(a.report)} · {a.measure.code}",
    ),
    "Attachment": (
        lambda: Attachment.objects.select_related("version__report__state", "version__report__cycle"),
        lambda a: f"{_version_words(a.version)} · {a}",
    ),
    "ReminderLog": (
        lambda: ReminderLog.objects.select_related("state", "cycle"),
        lambda r: f"{r.state.display_name} · {r.cycle.display_label} · " + _("reminder %(step)s") % {"step": r.step},
    ),
    "ReminderBatch": (
        lambda: ReminderBatch.objects.select_related("cycle"),
        lambda b: _("Reminders for %(cycle)s") % {"cycle": b.cycle.display_label},
    ),
    "ReportingCycle": (lambda: ReportingCycle.objects.all(), lambda c: c.display_label),
    "FollowUp": (lambda: FollowUp.objects.all(), lambda f: f"{f.get_kind_display()} · {f.key}"),
    "PdfJob": (
        lambda: PdfJob.objects.select_related("state", "cycle"),
        lambda j: " · ".join(
            str(part)
            for part in (j.get_kind_display(), j.state and j.state.display_name, j.cycle, j.get_language_display())
            if part
        ),
    ),
    "User": (lambda: User.objects.all(), lambda u: u.get_username()),
}


def audit_object_words(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Each event with `object_words`: its object in words ("France · <cycle> · v1"), not "ReportVersion 280".

    One query per kind of object on the page (at most ten), whatever the number of events; an
    object since deleted keeps its type and id.
    """
    events = list(events)
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.object_type in _OBJECT_WORDS and event.object_id.isdigit():
            wanted[event.object_type].add(int(event.object_id))
    words: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        queryset, describe = _OBJECT_WORDS[object_type]
        for obj in queryset().filter(pk__in=ids):
            words[(object_type, str(obj.pk))] = describe(obj)
    for event in events:
        fallback = f"{event.object_type} {event.object_id}".strip()
        event.object_words = words.get((event.object_type, event.object_id), fallback)  # type: ignore[attr-defined]
    return events
