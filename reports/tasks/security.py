"""Tasks of account security."""

from __future__ import annotations

import datetime
from smtplib import SMTPException

from celery import shared_task

from reports.models import User
from reports.services.security import account_attack_alert_send


@shared_task(
    name="reports.account_attack_alert",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def account_attack_alert_task(user_id: int, slot: int, failures: int, ip: str, locked: bool, at: str) -> int:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return 0
    return account_attack_alert_send(
        user=user, slot=slot, failures=failures, ip=ip, locked=locked, at=datetime.datetime.fromisoformat(at)
    )
