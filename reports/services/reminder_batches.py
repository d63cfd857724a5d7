"""Reminding every State that owes a cycle's report in one action, in the background.

`reminder_batch_request` records the officer's request (a ReminderBatch) and queues
`reports.reminder_batch_run` through the outbox; the task calls `reminder_batch_run`, which
goes through the States owing the report in the UN order and records one ReminderBatchResult
per State: sent to N addresses, no recipient, or already reminded today.

Nothing is sent twice: each reminder is claimed in ReminderLog as a hand-sent one
(`manual_step(day)`, the same claim as the State page's button), and a State that got any
reminder for the cycle that New York day (the weekly notice, a hand-sent one) is counted as
already reminded. A second batch the same day, a retried or duplicated task sends nothing more.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.clock import portal_zone
from reports.models import (
    BatchStatus,
    ReminderBatch,
    ReminderBatchResult,
    ReminderLog,
    ReminderOutcome,
    ReportingCycle,
    Role,
    User,
)

from .audit import audit_log
from .outbox import outbox_enqueue
from .reminders import NoRecipient, delegation_recipients, manual_step, reminder_send, states_owing
from .reports import ReportError


def reminder_batch_request(*, cycle: ReportingCycle, actor: User, today: datetime.date) -> ReminderBatch:
    """Queue reminders to every State that has not submitted for `cycle`; the batch shows progress."""
    if actor.role != Role.SECRETARIAT:
        raise ReportError(_("Only a Secretariat officer can send reminders."))
    if cycle.opens > today:
        raise ReportError(_("This cycle has not opened yet: there is nothing to remind States of."))
    with transaction.atomic():
        batch = ReminderBatch.objects.create(cycle=cycle, requested_by=actor, day=today, total=len(states_owing(cycle)))
        audit_log(action="reminder_batch_request", actor=actor, obj=batch, cycle=cycle.code, states=batch.total)
        outbox_enqueue(task="reports.reminder_batch_run", args=[batch.pk], key=f"reminder_batch_run:{batch.pk}")
    return batch


def _reminded_on(cycle: ReportingCycle, day: datetime.date) -> set[int]:
    """States that got a reminder for `cycle` on New York day `day` (any step, one query)."""
    zone = portal_zone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    logs = ReminderLog.objects.filter(cycle=cycle, sent_at__gte=start, sent_at__lt=end)
    return set(logs.values_list("state_id", flat=True))


def reminder_batch_run(*, batch_id: int) -> ReminderBatch:
    """Send the batch's reminders; safe to run twice or to resume after a failure (States done are kept)."""
    with transaction.atomic():
        batch = ReminderBatch.objects.select_for_update(of=("self",)).select_related("cycle", "requested_by").get(pk=batch_id)
        if batch.status == BatchStatus.DONE:
            return batch
        batch.status = BatchStatus.RUNNING
        batch.save(update_fields=["status"])
    cycle = batch.cycle
    done = set(batch.results.values_list("state_id", flat=True))
    owing = [state for state in states_owing(cycle) if state.pk not in done]
    ReminderBatch.objects.filter(pk=batch.pk).update(total=len(done) + len(owing))
    reminded = _reminded_on(cycle, batch.day)
    recipients = delegation_recipients(owing)
    step = manual_step(batch.day)
    for state in owing:
        try:
            with transaction.atomic():
                log = None
                addresses = recipients.get(state.pk, [])
                if state.pk in reminded:
                    outcome = ReminderOutcome.ALREADY_REMINDED
                else:
                    try:
                        log = reminder_send(
                            state=state, cycle=cycle, step=step, today=batch.day, actor=batch.requested_by, recipients=addresses
                        )
                    except NoRecipient:
                        outcome = ReminderOutcome.NO_RECIPIENT
                    else:
                        outcome = ReminderOutcome.SENT if log is not None else ReminderOutcome.ALREADY_REMINDED
                ReminderBatchResult.objects.create(
                    batch=batch,
                    state=state,
                    outcome=outcome,
                    recipients=len(log.recipients) if log is not None else 0,
                    reminder=log,
                )
        except IntegrityError:  # a duplicate run recorded this State first; its claim kept the mail single
            continue
    counts = Counter(batch.results.values_list("outcome", flat=True))
    with transaction.atomic():
        batch.status = BatchStatus.DONE
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "finished_at"])
        audit_log(
            action="reminder_batch_done",
            actor=batch.requested_by,
            actor_name="" if batch.requested_by else "reminder batch",
            obj=batch,
            cycle=cycle.code,
            sent=counts.get(ReminderOutcome.SENT, 0),
            no_recipient=counts.get(ReminderOutcome.NO_RECIPIENT, 0),
            already_reminded=counts.get(ReminderOutcome.ALREADY_REMINDED, 0),
        )
    return batch


def reminder_batch_fail(*, batch_id: int) -> None:
    """The task gave up (retries exhausted): the page says so; States done keep their result."""
    ReminderBatch.objects.filter(pk=batch_id).exclude(status=BatchStatus.DONE).update(
        status=BatchStatus.FAILED, finished_at=timezone.now()
    )
