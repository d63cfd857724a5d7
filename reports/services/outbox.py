"""Background work through the transactional outbox (reports.models.OutboxMessage).

`outbox_enqueue` is the one way a request queues a Celery task: it writes the message in the
caller's transaction and hands it to the broker after the commit. Handing it over never
raises (a broker outage must not turn a committed request into a 500) and never waits on the
result backend; a message the broker did not take is handed again by `outbox_sweep`, which
Celery beat runs every OUTBOX_SWEEP_SECONDS. A message can therefore reach the worker twice
(sweep and first dispatch racing, or a redelivered message): its task must be idempotent.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reports.models import OutboxMessage

logger = logging.getLogger(__name__)


def outbox_enqueue(*, task: str, args: list[Any], key: str) -> OutboxMessage:
    """Record `task(*args)` in the current transaction; it is sent to Celery once that commits.

    `key` names the work once (e.g. "receipt_send:<version>"): enqueueing the same key again
    returns the existing message and sends nothing more.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_enqueue must run inside the transaction of the change it follows")
    message, created = OutboxMessage.objects.get_or_create(key=key[:300], defaults={"task": task, "args": list(args)})
    if created:
        transaction.on_commit(partial(outbox_dispatch, message_id=message.pk))
    return message


def outbox_dispatch(*, message_id: int) -> bool:
    """Hand one message to the broker; True if it took it. Never raises: failures are logged and recorded."""
    from sanctions_portal.celery import app

    try:
        message = OutboxMessage.objects.filter(pk=message_id).first()
        if message is None or message.sent_at is not None:
            return False
        # ignore_result=True: publishing does not subscribe to the result backend (with Redis
        # that is a second connection, retried for seconds when Redis is down).
        # apply_async rather than send_task: under CELERY_TASK_ALWAYS_EAGER (tests) it runs the task here.
        # max_retries=0 and retry=False: one try to connect and publish, no sleeping between retries
        # (kombu would otherwise retry for broker_connection_timeout); the sweep is the retry.
        with app.connection_for_write(transport_options={"max_retries": 0}) as conn:
            outbox_task(message.task).apply_async(args=message.args, retry=False, ignore_result=True, connection=conn)
    except Exception as exc:  # noqa: BLE001 - any failure leaves the message for the sweep
        logger.warning("outbox message %s not handed to the broker: %r", message_id, exc)
        try:
            OutboxMessage.objects.filter(pk=message_id).update(
                attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
        except Exception:  # not even the database: the sweep will find the row
            logger.exception("outbox message %s: could not record the failure", message_id)
        return False
    OutboxMessage.objects.filter(pk=message_id).update(sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
    return True


def outbox_task(name: str) -> Any:
    """The Celery task called `name`; importing reports.tasks registers them all, in a web process too
    (there, nothing else imports the task modules)."""
    import reports.tasks  # noqa: F401
    from sanctions_portal.celery import app

    return app.tasks[name]


@dataclass(frozen=True)
class OutboxSweep:
    sent: list[int]
    failed: list[int]


def outbox_sweep(*, now: datetime.datetime | None = None, older_than: int | None = None, limit: int = 500) -> OutboxSweep:
    """Hand again the messages still unsent `older_than` seconds after they were written.

    Younger messages are left to their own on_commit dispatch, so the sweep rarely doubles one.
    """
    now = now or timezone.now()
    older_than = settings.OUTBOX_RESEND_AFTER_SECONDS if older_than is None else older_than
    limit_time = now - datetime.timedelta(seconds=older_than)
    ids = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lte=limit_time)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent: list[int] = []
    failed: list[int] = []
    for message_id in ids:
        (sent if outbox_dispatch(message_id=message_id) else failed).append(message_id)
        if failed and not sent:
            break  # the broker is still away: the next sweep tries again, no need to knock on every row
    if sent or failed:
        logger.info("outbox sweep: %d handed to the broker, %d not", len(sent), len(failed))
    return OutboxSweep(sent=sent, failed=failed)
