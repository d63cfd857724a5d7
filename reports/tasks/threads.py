"""Tasks of the review conversations."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from reports.services.threads import thread_notify


@shared_task(
    name="reports.thread_notify",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError, SoftTimeLimitExceeded),  # goes on where it stopped
    retry_backoff=True,
    max_retries=5,
)
def thread_notify_task(kind: str, pk: int) -> int:
    return thread_notify(kind=kind, pk=pk)
