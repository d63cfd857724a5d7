"""Tasks of the assessments shared with the State."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from reports.services.assessments import assessments_shared_notify


@shared_task(
    name="reports.assessments_shared_notify",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError, SoftTimeLimitExceeded),  # goes on where it stopped
    retry_backoff=True,
    max_retries=5,
)
def assessments_shared_notify_task(share_id: int) -> int:
    return assessments_shared_notify(share_id=share_id)
