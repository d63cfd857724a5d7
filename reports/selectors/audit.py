"""Reading the audit trail (the Secretariat's audit page, a user's own sign-in history)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from reports.models import AuditEvent

if TYPE_CHECKING:
    from reports.models import MemberState, User


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
