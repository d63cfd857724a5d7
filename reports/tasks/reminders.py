"""Reminder tasks, run by Celery beat (CELERY_BEAT_SCHEDULE in settings).

Safe to run twice or to retry: every reminder is claimed through ReminderLog's unique
(state, cycle, step) before it is sent (reports.services.reminders).
"""

from __future__ import annotations

import datetime
from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded

from reports.clock import portal_today
from reports.models import ReminderBatch, ReminderOutcome
from reports.services.reminder_batches import reminder_batch_fail, reminder_batch_run
from reports.services.reminders import overdue_notices_send, reminders_send_due


def _day(today: str | None) -> datetime.date:
    return datetime.date.fromisoformat(today) if today else portal_today()


@shared_task(
    name="reports.reminders_send_due",
    # A run cut by the soft time limit (CELERY_TASK_TIME_LIMIT) is retried and goes on where it
    # stopped: what was sent is claimed in ReminderLog, the message being sent was not.
    autoretry_for=(SMTPException, ConnectionError, TimeoutError, SoftTimeLimitExceeded),
    retry_backoff=True,
    max_retries=5,
)
def reminders_send_due_task(today: str | None = None) -> int:
    """Daily: reminders to States whose report is due in 30, 7 or 1 days. Returns how many were sent."""
    return len(reminders_send_due(today=_day(today)).sent)


@shared_task(
    name="reports.overdue_notices_send",
    # A run cut by the soft time limit (CELERY_TASK_TIME_LIMIT) is retried and goes on where it
    # stopped: what was sent is claimed in ReminderLog, the message being sent was not.
    autoretry_for=(SMTPException, ConnectionError, TimeoutError, SoftTimeLimitExceeded),
    retry_backoff=True,
    max_retries=5,
)
def overdue_notices_send_task(today: str | None = None) -> int:
    """Weekly: one notice per overdue week to States that have not reported."""
    return len(overdue_notices_send(today=_day(today)).sent)


class _BatchTask(Task):  # type: ignore[misc]
    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        """Retries exhausted (or a bug): the batch page says it failed; what was sent stays recorded."""
        batch_id = args[0] if args else kwargs.get("batch_id")
        if batch_id is not None:
            reminder_batch_fail(batch_id=int(batch_id))


@shared_task(
    name="reports.reminder_batch_run",
    base=_BatchTask,
    # A retry goes on where the run stopped: the States done have their result and their claim.
    autoretry_for=(SMTPException, ConnectionError, TimeoutError, SoftTimeLimitExceeded),
    retry_backoff=True,
    max_retries=5,
)
def reminder_batch_run_task(batch_id: int) -> int:
    """An officer's "remind every State owing this cycle's report". Returns how many were sent."""
    if not ReminderBatch.objects.filter(pk=batch_id).exists():
        return 0
    batch = reminder_batch_run(batch_id=batch_id)
    return batch.results.filter(outcome=ReminderOutcome.SENT).count()
