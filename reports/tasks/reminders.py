"""Reminder tasks, run by Celery beat (CELERY_BEAT_SCHEDULE in settings).

Safe to run twice or to retry: every reminder is claimed through ReminderLog's unique
(state, cycle, step) before it is sent (reports.services.reminders).
"""

from __future__ import annotations

import datetime
from smtplib import SMTPException

from celery import shared_task

from reports.clock import portal_today
from reports.services.reminders import overdue_notices_send, reminders_send_due


def _day(today: str | None) -> datetime.date:
    return datetime.date.fromisoformat(today) if today else portal_today()


@shared_task(
    name="reports.reminders_send_due",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def reminders_send_due_task(today: str | None = None) -> int:
    """Daily: reminders to States whose report is due in 30, 7 or 1 days. Returns how many were sent."""
    return len(reminders_send_due(today=_day(today)).sent)


@shared_task(
    name="reports.overdue_notices_send",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def overdue_notices_send_task(today: str | None = None) -> int:
    """Weekly: one notice per overdue week to States that have not reported."""
    return len(overdue_notices_send(today=_day(today)).sent)
