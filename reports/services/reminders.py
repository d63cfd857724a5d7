"""Reminders to States: before the due date (30, 7 and 1 days), weekly once overdue, or by hand.

Idempotent by construction: a reminder is a ReminderLog row, unique per (State, cycle, step).
The row is claimed with get_or_create inside a transaction and the e-mail sent in the same
transaction, so a second beat run or a retried task finds the row and sends nothing, and a
failed send releases the claim for the retry.

A State with no active focal point or signatory account gets nothing and nothing is logged as
sent (NoRecipient): the officer is warned, the bulk result says so, and the scheduler tries
again the next day of the step's window, so an account opened meanwhile still gets it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from reports.models import DELEGATION_ROLES, MemberState, ReminderLog, Report, ReportingCycle, Role, User

from .audit import audit_log
from .emails import email_send
from .reports import ReportError

# Steps before the due date: a step is due once fewer than N days are left (so a day the
# scheduler missed is caught up the next day, and the unique step still sends it once).
DUE_STEPS = (30, 7, 1)
# Weekly overdue notices stop after this many weeks; older arrears are the register's business.
OVERDUE_WEEKS_MAX = 26


def due_step(*, cycle: ReportingCycle, today: datetime.date) -> str | None:
    """due-30 / due-7 / due-1 for the window `today` falls in, or None."""
    days_left = (cycle.due - today).days
    if days_left <= 0 or today < cycle.opens:
        return None
    for n, next_n in zip(DUE_STEPS, (*DUE_STEPS[1:], 0), strict=True):
        if next_n < days_left <= n:
            return f"due-{n}"
    return None


def overdue_step(*, cycle: ReportingCycle, today: datetime.date) -> str | None:
    """overdue-<week>: week 1 is the first seven days after the due date."""
    days_late = (today - cycle.due).days
    if days_late <= 0:
        return None
    week = (days_late - 1) // 7 + 1
    return f"overdue-{week}" if week <= OVERDUE_WEEKS_MAX else None


def delegation_recipients(states: list[MemberState]) -> dict[int, list[tuple[str, str]]]:
    """(e-mail, preferred language) of the active delegation users of each State (one query)."""
    recipients: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = (
        User.objects.filter(state__in=states, is_active=True, groups__name__in=[r.value for r in DELEGATION_ROLES])
        .exclude(email="")
        .values_list("state_id", "email", "preferred_language")
        .distinct()
        .order_by("state_id", "email")
    )
    for state_id, email, language in rows:
        recipients[state_id].append((email, language))
    return recipients


def states_owing(cycle: ReportingCycle) -> list[MemberState]:
    """Expected States that have not submitted a report for the cycle (drafts still owe)."""
    states = MemberState.objects.exclude(
        pk__in=Report.objects.filter(cycle=cycle, current_version__isnull=False).values("state_id")
    )
    if cycle.state_id:
        states = states.filter(pk=cycle.state_id)
    return list(states.order_by("sort_key"))


class NoRecipient(ReportError):
    """The State has no active delegation account with an e-mail address: nothing was sent or logged."""


def reminder_send(
    *,
    state: MemberState,
    cycle: ReportingCycle,
    step: str,
    today: datetime.date,
    actor: User | None = None,
    recipients: list[tuple[str, str]] | None = None,
) -> ReminderLog | None:
    """Claim (state, cycle, step) and send; None if that reminder was already sent.

    One message per language: each delegate reads it in the language chosen in the portal.
    Raises NoRecipient (nothing claimed, nothing logged) when the State has nobody to write to.
    """
    if recipients is None:
        recipients = delegation_recipients([state]).get(state.pk, [])
    if not recipients:
        raise NoRecipient(
            _("%(state)s has no active focal point or signatory account: no reminder was sent.") % {"state": state.display_name}
        )
    template = "overdue" if today > cycle.due else "reminder"
    by_language: dict[str, list[str]] = defaultdict(list)
    for email, language in recipients:
        by_language[language if language in dict(settings.LANGUAGES) else ""].append(email)
    context = {
        "state": state,
        "cycle": cycle,
        "step": step,
        "days_left": (cycle.due - today).days,
        "days_late": (today - cycle.due).days,
    }
    with transaction.atomic():
        log, created = ReminderLog.objects.get_or_create(
            state=state,
            cycle=cycle,
            step=step,
            defaults={"sent_by": actor, "recipients": [email for email, _language in recipients]},
        )
        if not created:
            return None
        for language, addresses in sorted(by_language.items()):
            email_send(name=template, to=addresses, context=context, language=language or None)
        audit_log(
            action="reminder_send",
            actor=actor,
            actor_name="" if actor else "reminder scheduler",
            state=state,
            obj=log,
            cycle=cycle.code,
            step=step,
            recipients=len(recipients),
            languages=sorted(by_language),
        )
    return log


@dataclass
class ReminderRun:
    sent: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: int = 0
    no_recipient: list[tuple[str, str]] = field(default_factory=list)


def _cycles_in_window(today: datetime.date) -> list[ReportingCycle]:
    return list(
        ReportingCycle.objects.filter(
            Q(opens__lte=today),
            due__lte=today + datetime.timedelta(days=max(DUE_STEPS)),
            due__gte=today - datetime.timedelta(weeks=OVERDUE_WEEKS_MAX),
        ).order_by("due", "code")
    )


def _run(*, today: datetime.date, overdue: bool) -> ReminderRun:
    run = ReminderRun()
    for cycle in _cycles_in_window(today):
        step = overdue_step(cycle=cycle, today=today) if overdue else due_step(cycle=cycle, today=today)
        if step is None:
            continue
        owing = states_owing(cycle)
        recipients = delegation_recipients(owing)
        for state in owing:
            try:
                log = reminder_send(state=state, cycle=cycle, step=step, today=today, recipients=recipients.get(state.pk, []))
            except NoRecipient:
                run.no_recipient.append((state.iso3, cycle.code))
                continue
            if log is None:
                run.skipped += 1
            else:
                run.sent.append((state.iso3, cycle.code, step))
    return run


def reminders_send_due(*, today: datetime.date) -> ReminderRun:
    """The daily run: reminders 30, 7 and 1 days before the due date."""
    return _run(today=today, overdue=False)


def overdue_notices_send(*, today: datetime.date) -> ReminderRun:
    """The weekly run: one notice per overdue week."""
    return _run(today=today, overdue=True)


def manual_step(today: datetime.date) -> str:
    """The claim of a reminder sent by hand, alone or in a batch: one per State, cycle and day."""
    return f"manual-{today:%Y%m%d}"


def reminder_send_manual(*, state: MemberState, cycle: ReportingCycle, actor: User, today: datetime.date) -> ReminderLog:
    """An officer's reminder by hand: at most one per State, cycle and day (a double click sends once).

    NoRecipient (a ReportError) when the State has nobody to write to: the view warns.
    """
    if actor.role != Role.SECRETARIAT:
        raise ReportError(_("Only a Secretariat officer can send reminders."))
    if cycle.state_id and cycle.state_id != state.pk:
        raise ReportError(_("This State does not report in this cycle."))
    if Report.objects.filter(state=state, cycle=cycle, current_version__isnull=False).exists():
        raise ReportError(_("This State has already submitted its report for this cycle."))
    log = reminder_send(state=state, cycle=cycle, step=manual_step(today), today=today, actor=actor)
    if log is None:
        raise ReportError(_("A reminder was already sent to this State for this cycle today."))
    return log
