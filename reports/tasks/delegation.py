"""Tasks of the delegation side."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from reports.models import ReportVersion
from reports.services.receipts import receipt_send


@shared_task(
    name="reports.receipt_send",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError, SoftTimeLimitExceeded),  # goes on where it stopped
    retry_backoff=True,
    max_retries=5,
)
def receipt_send_task(version_id: int) -> int:
    version = ReportVersion.objects.select_related("report__state", "report__cycle").filter(pk=version_id).first()
    if version is None:
        return 0
    return receipt_send(version=version)
