"""Tasks of the review workflow."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from reports.models import ReviewEvent
from reports.services.review import clarification_send


@shared_task(
    name="reports.clarification_send",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError, SoftTimeLimitExceeded),  # goes on where it stopped
    retry_backoff=True,
    max_retries=5,
)
def clarification_send_task(event_id: int) -> int:
    event = ReviewEvent.objects.select_related("report__state", "report__cycle", "version").filter(pk=event_id).first()
    if event is None:
        return 0
    return clarification_send(event=event)
