"""Review conversations (issue 12, item 2): the Secretariat asks, the State answers, the
Secretariat resolves.

- `thread_open`: a Secretariat officer asks about the whole report, a section, a measure or
  one register row (or writes an internal note, which the State never sees). A question on a
  report waiting for review moves it to "Clarification requested".
- `thread_reply`: focal points and signatories of THAT State and Secretariat officers answer
  while the thread is open; the form's revision refuses a double submit.
- `thread_resolve`: one conditional UPDATE; of two officers resolving at once one wins and
  the other is told.
Every step is audited and, unless internal, e-mailed once through the outbox
(`thread_notify`, keys `thread-message:<id>:<address>` / `thread-resolved:<id>:<address>`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.models import (
    MESSAGE_MAX,
    Measure,
    Report,
    ReportStatus,
    ReviewAction,
    Role,
    Section,
    Thread,
    ThreadAnchor,
    ThreadMessage,
    ThreadStatus,
    User,
)

from .audit import audit_log
from .emails import email_send_each_once
from .outbox import outbox_enqueue
from .reports import ReportError

# The register a row anchor points into: model label -> the section (and the version
# content's key) it belongs to.
ROW_MODELS: dict[str, str] = {
    "reports.oilinterdiction": Section.OIL,
    "reports.frozenasset": Section.ASSETS,
    "reports.culturalseizure": Section.CULTURAL,
    "reports.ransomcase": Section.RANSOM,
    "reports.suspicioustransactioncount": Section.STR,
}
SECTION_ROW_MODEL = {section: label for label, section in ROW_MODELS.items()}


class ThreadError(ReportError):
    """A thread action the workflow refuses; the message is shown beside the form."""

    status = 400


class ThreadConflict(ThreadError):
    """Someone else got there first (a resolution, a reply, a double submit)."""

    status = 409


def _clean_body(body: str) -> str:
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ThreadError(_("Write a message first: an empty message is not sent."))
    if len(body) > MESSAGE_MAX:
        raise ThreadError(
            _("The message is %(n)d characters long; the limit is %(max)d. Nothing was sent.")
            % {"n": len(body), "max": MESSAGE_MAX}
        )
    return body


def may_reply(thread: Thread, user: User) -> bool:
    """Focal points and signatories of the thread's State, and Secretariat officers; internal
    notes only the Secretariat."""
    if user.role == Role.SECRETARIAT:
        return True
    if thread.internal:
        return False
    return user.role in (Role.FOCAL_POINT, Role.SIGNATORY) and user.state_id == thread.report.state_id


def _anchor(
    *, report: Report, anchor: str, section: str, measure: Measure | None, row_model: str, row_key: str
) -> dict[str, Any]:
    """Validate an anchor against the report's current version."""
    version = report.current_version
    if anchor == ThreadAnchor.REPORT:
        return {"anchor": anchor}
    if anchor == ThreadAnchor.SECTION:
        if section not in Section.values:
            raise ThreadError(_("Choose one of the report's sections."))
        return {"anchor": anchor, "section": section}
    if anchor == ThreadAnchor.MEASURE:
        if measure is None or measure.resolution_id != report.cycle.obligation.resolution_id:
            raise ThreadError(_("This measure is not part of the report's checklist."))
        return {"anchor": anchor, "measure": measure, "section": Section.CHECKLIST}
    if anchor == ThreadAnchor.ROW:
        row_model = (row_model or "").lower()
        key = ROW_MODELS.get(row_model)
        if key is None:
            raise ThreadError(_("Unknown register."))
        try:
            number = int(row_key)
        except (TypeError, ValueError):
            raise ThreadError(_("Unknown register row.")) from None
        rows = ((version.content or {}) if version else {}).get(key, [])
        if not 1 <= number <= len(rows):
            raise ThreadError(_("This register has no row %(n)s in the version under review.") % {"n": number})
        return {"anchor": anchor, "section": key, "row_model": row_model, "row_key": str(number)}
    raise ThreadError(_("Choose what the question is about."))


@transaction.atomic
def thread_open(
    *,
    report: Report,
    actor: User,
    body: str,
    anchor: str = ThreadAnchor.REPORT,
    section: str = "",
    measure: Measure | None = None,
    row_model: str = "",
    row_key: str = "",
    internal: bool = False,
) -> Thread:
    """A Secretariat officer's question (or internal note) about a submitted report."""
    from .review import _transition

    if actor.role != Role.SECRETARIAT:
        raise ThreadError(_("Only a Secretariat officer can open a thread."))
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("state", "cycle__obligation", "current_version")
        .get(pk=report.pk)
    )
    if report.current_version_id is None:
        raise ThreadError(_("The report has not been submitted yet."))
    body = _clean_body(body)
    where = _anchor(report=report, anchor=anchor, section=section, measure=measure, row_model=row_model, row_key=row_key)
    same = Thread.objects.filter(
        report=report, status=ThreadStatus.OPEN, opened_by=actor, internal=internal, messages__body=body, **where
    )
    if same.exists():
        # A double submit of the same question (the report's row lock makes two posts take turns).
        raise ThreadConflict(_("This question is already open in a thread. Nothing was sent twice."))
    if not internal and report.status in (ReportStatus.SUBMITTED, ReportStatus.AMENDED, ReportStatus.UNDER_REVIEW):
        # A question to the State is a clarification request: the report waits for its answer.
        if report.status != ReportStatus.UNDER_REVIEW:
            report, _event = _transition(report=report, actor=actor, action=ReviewAction.START_REVIEW, comment="")
        report, _event = _transition(
            report=report,
            actor=actor,
            action=ReviewAction.REQUEST_CLARIFICATION,
            comment=body,
            section=where.get("section", ""),
        )
    thread = Thread.objects.create(report=report, version=report.current_version, opened_by=actor, internal=internal, **where)
    message = ThreadMessage.objects.create(thread=thread, author=actor, body=body, internal=internal)
    audit_log(
        action="thread_open",
        actor=actor,
        state=report.state,
        obj=thread,
        report=report.pk,
        anchor=thread.anchor,
        section=thread.section,
        measure=measure.code if measure else "",
        row=f"{thread.row_model}#{thread.row_key}" if thread.row_key else "",
        internal=internal,
    )
    if not internal:
        outbox_enqueue(task="reports.thread_notify", args=["message", message.pk], key=f"thread_notify:message:{message.pk}")
    return thread


@transaction.atomic
def thread_reply(*, thread: Thread, actor: User, body: str, revision: int | None = None, internal: bool = False) -> ThreadMessage:
    """Answer in an open thread. `revision` is the one the form was rendered with: a second
    post of the same form finds the thread moved on and writes nothing."""
    thread = Thread.objects.select_for_update(of=("self",)).select_related("report__state").get(pk=thread.pk)
    if not may_reply(thread, actor):
        raise ThreadError(_("Only the delegation of this State and the Secretariat can reply in this thread."))
    if internal and actor.role != Role.SECRETARIAT:
        raise ThreadError(_("Only a Secretariat officer can write an internal note."))
    if thread.status != ThreadStatus.OPEN:
        raise ThreadConflict(_("This thread has been resolved: it takes no more replies. Nothing was sent."))
    body = _clean_body(body)
    if revision is not None and revision != thread.revision:
        raise ThreadConflict(
            _("This thread changed since you opened the page (your message may already be in it). Nothing was sent.")
        )
    internal = internal or thread.internal
    message = ThreadMessage.objects.create(thread=thread, author=actor, body=body, internal=internal)
    Thread.objects.filter(pk=thread.pk).update(revision=F("revision") + 1)
    audit_log(
        action="thread_reply",
        actor=actor,
        state=thread.report.state,
        obj=thread,
        report=thread.report_id,
        message=message.pk,
        internal=internal,
    )
    if not internal:
        outbox_enqueue(task="reports.thread_notify", args=["message", message.pk], key=f"thread_notify:message:{message.pk}")
    return message


@transaction.atomic
def thread_resolve(*, thread: Thread, actor: User) -> Thread:
    """Close the thread. Two officers at once: the conditional UPDATE lets one through; the
    other is told who resolved it."""
    if actor.role != Role.SECRETARIAT:
        raise ThreadError(_("Only a Secretariat officer can resolve a thread."))
    now = timezone.now()
    won = Thread.objects.filter(pk=thread.pk, status=ThreadStatus.OPEN).update(
        status=ThreadStatus.RESOLVED, resolved_by=actor, resolved_at=now, revision=F("revision") + 1
    )
    thread = Thread.objects.select_related("report__state", "resolved_by").get(pk=thread.pk)
    if not won:
        raise ThreadConflict(
            _("%(user)s already resolved this thread.")
            % {"user": thread.resolved_by.get_username() if thread.resolved_by else "?"}
        )
    audit_log(action="thread_resolve", actor=actor, state=thread.report.state, obj=thread, report=thread.report_id)
    if not thread.internal:
        outbox_enqueue(task="reports.thread_notify", args=["resolved", thread.pk], key=f"thread_notify:resolved:{thread.pk}")
    return thread


def anchor_label(thread: Thread) -> str:
    """What the thread is about, in words and in the reader's language."""
    if thread.anchor == ThreadAnchor.SECTION:
        return str(Section(thread.section).label) if thread.section in Section.values else thread.section
    if thread.anchor == ThreadAnchor.MEASURE and thread.measure is not None:
        return _("Measure %(code)s") % {"code": thread.measure.code}
    if thread.anchor == ThreadAnchor.ROW:
        section = ROW_MODELS.get(thread.row_model, "")
        label = str(Section(section).label) if section else thread.row_model
        return _("%(register)s, row %(n)s") % {"register": label, "n": thread.row_key}
    return _("The whole report")


def _secretariat_recipients(thread: Thread) -> list[tuple[str, str]]:
    users = User.objects.filter(pk__in=[pk for pk in (thread.opened_by_id, thread.report.assigned_to_id) if pk], is_active=True)
    return sorted({(u.email, u.preferred_language) for u in users if u.email})


def thread_notify(*, kind: str, pk: int) -> int:
    """E-mail a new message or a resolution once per address: a State's message to the officers
    who follow the thread, the Secretariat's to the State's delegation. Internal: nothing."""
    from .reminders import delegation_recipients

    if kind == "message":
        message = (
            ThreadMessage.objects.select_related("thread__report__state", "thread__report__cycle", "author").filter(pk=pk).first()
        )
        if message is None or message.internal or message.thread.internal:
            return 0
        thread = message.thread
        from_state = message.author.role in (Role.FOCAL_POINT, Role.SIGNATORY)
        key = f"thread-message:{message.pk}"
    elif kind == "resolved":
        message = None
        thread = Thread.objects.select_related("report__state", "report__cycle", "resolved_by").filter(pk=pk).first()  # type: ignore[assignment]
        if thread is None or thread.internal or thread.status != ThreadStatus.RESOLVED:
            return 0
        from_state = False
        key = f"thread-resolved:{thread.pk}"
    else:
        return 0
    report = thread.report
    if from_state:
        recipients = _secretariat_recipients(thread)
        path = reverse("secretariat:report", args=[report.pk])
    else:
        recipients = delegation_recipients([report.state]).get(report.state_id, [])
        path = reverse("delegation:report", args=[report.pk])

    def context(language: str) -> dict[str, Any]:
        with translation.override(language):
            about = anchor_label(thread)
        return {
            "kind": kind,
            "thread": thread,
            "message": message,
            "about": about,
            "report": report,
            "state": report.state,
            "cycle": report.cycle,
            "from_state": from_state,
            "report_path": f"{path}#thread-{thread.pk}",
        }

    return email_send_each_once(key=key, name="thread", recipients=recipients, context=context)
