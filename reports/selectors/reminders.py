"""What the reminder pages read: the current cycle, batches and their progress, States nobody can be written to."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q, QuerySet

from reports.models import MemberState, ReminderBatch, ReminderBatchResult, ReminderOutcome, ReportingCycle, Role


def current_cycle(cycles: Sequence[ReportingCycle], *, today: datetime.date) -> ReportingCycle | None:
    """The cycle open today (opened, due date not passed; the one due soonest), else the latest opened."""
    opened = [c for c in cycles if c.opens <= today]
    running = sorted((c for c in opened if c.due >= today), key=lambda c: (c.due, c.code))
    if running:
        return running[0]
    return max(opened, key=lambda c: (c.opens, c.due), default=None)


def cycles_to_remind(*, today: datetime.date) -> QuerySet[ReportingCycle]:
    """Cycles every State reports in, that have opened: what a batch of reminders may be for."""
    return (
        ReportingCycle.objects.filter(state__isnull=True, opens__lte=today)
        .select_related("obligation__resolution")
        .order_by("-due", "code")
    )


def _with_progress(batches: QuerySet[ReminderBatch]) -> QuerySet[ReminderBatch]:
    def n(outcome: str) -> Any:
        return Count("results", filter=Q(results__outcome=outcome))

    return batches.select_related("cycle", "requested_by").annotate(
        done=Count("results"),
        sent=n(ReminderOutcome.SENT),
        no_recipient=n(ReminderOutcome.NO_RECIPIENT),
        already_reminded=n(ReminderOutcome.ALREADY_REMINDED),
    )


def reminder_batches(*, cycle: ReportingCycle, limit: int = 10) -> list[ReminderBatch]:
    """The latest batches for a cycle, each with its progress counts (one query)."""
    return list(_with_progress(ReminderBatch.objects.filter(cycle=cycle)).order_by("-requested_at", "-pk")[:limit])


def reminder_batch(batch_id: Any) -> ReminderBatch | None:
    try:
        pk = int(batch_id)
    except (TypeError, ValueError, OverflowError):
        return None
    return _with_progress(ReminderBatch.objects.filter(pk=pk)).first()


def reminder_batch_results(batch: ReminderBatch) -> QuerySet[ReminderBatchResult]:
    """One row per State, in the UN order."""
    return batch.results.select_related("state", "reminder").order_by("state__sort_key")


def _delegates(role: Role) -> Any:
    return Count(
        "users",
        filter=Q(users__is_active=True, users__groups__name=role.value) & ~Q(users__email=""),
        distinct=True,
    )


def states_without_delegates() -> list[MemberState]:
    """States missing an active focal point or signatory account with an e-mail (one query).

    Each carries `focal_points` and `signatories`; a State with neither gets no reminder at all.
    """
    states = MemberState.objects.annotate(focal_points=_delegates(Role.FOCAL_POINT), signatories=_delegates(Role.SIGNATORY))
    return list(states.filter(Q(focal_points=0) | Q(signatories=0)).order_by("sort_key"))
