"""The Secretariat's review workflow: assign, start review, request clarification, accept.

Submitted / Amended -> Under review -> Clarification requested (comment required, per
section if wanted; shown to the State) -> the State amends -> Amended -> Under review ...
-> Accepted. Every step is a ReviewEvent (who, when, why) and an audit event.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.models import AuditEvent, EmailDelivery, Report, ReportStatus, ReviewAction, ReviewEvent, Role, Section, User

from .audit import audit_log
from .emails import email_send_each_once
from .outbox import outbox_enqueue
from .reports import ReportError

COMMENT_MAX = 10000

# Which statuses each action may start from.
_FROM: dict[str, set[str]] = {
    ReviewAction.START_REVIEW: {ReportStatus.SUBMITTED, ReportStatus.AMENDED},
    ReviewAction.REQUEST_CLARIFICATION: {ReportStatus.UNDER_REVIEW},
    ReviewAction.ACCEPT: {ReportStatus.UNDER_REVIEW},
}
_TO: dict[str, str] = {
    ReviewAction.START_REVIEW: ReportStatus.UNDER_REVIEW,
    ReviewAction.REQUEST_CLARIFICATION: ReportStatus.CLARIFICATION_REQUESTED,
    ReviewAction.ACCEPT: ReportStatus.ACCEPTED,
}


def _require_secretariat(actor: User) -> None:
    if actor.role != Role.SECRETARIAT:
        raise ReportError(_("Only a Secretariat officer can review reports."))


def _locked(report: Report) -> Report:
    report = Report.objects.select_for_update(of=("self",)).select_related("state", "current_version").get(pk=report.pk)
    if report.current_version_id is None:
        raise ReportError(_("The report has not been submitted yet."))
    return report


def _clean_comment(comment: str, *, required: bool) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise ReportError(_("A comment is required."))
    if len(comment) > COMMENT_MAX:
        raise ReportError(_("The comment is longer than %(max)d characters.") % {"max": COMMENT_MAX})
    return comment


def allowed_actions(report: Report) -> list[str]:
    return [action for action, sources in _FROM.items() if report.status in sources]


@transaction.atomic
def report_assign(*, report: Report, officer: User | None, actor: User, comment: str = "") -> Report:
    """Give a submitted report to an officer (or take it back with officer=None)."""
    _require_secretariat(actor)
    report = _locked(report)
    if officer is not None and officer.role != Role.SECRETARIAT:
        raise ReportError(_("Reports can only be assigned to Secretariat officers."))
    comment = _clean_comment(comment, required=False)
    report.assigned_to = officer
    report.save(update_fields=["assigned_to", "updated_at"])
    note = comment or (f"Assigned to {officer.get_username()}" if officer else "Unassigned")
    ReviewEvent.objects.create(
        report=report,
        version=report.current_version,
        actor=actor,
        action=ReviewAction.ASSIGN,
        from_status=report.status,
        to_status=report.status,
        comment=note,
        visible_to_state=False,
    )
    audit_log(
        action="report_assign",
        actor=actor,
        state=report.state,
        obj=report,
        officer=officer.get_username() if officer else "",
    )
    return report


def _transition(*, report: Report, actor: User, action: str, comment: str, section: str = "") -> tuple[Report, ReviewEvent]:
    _require_secretariat(actor)
    report = _locked(report)
    if report.status not in _FROM[action]:
        raise ReportError(
            _("A report that is %(status)s cannot go to this step.") % {"status": ReportStatus(report.status).label}
        )
    required = action == ReviewAction.REQUEST_CLARIFICATION
    comment = _clean_comment(comment, required=required)
    if section and section not in Section.values:
        raise ReportError(_("Unknown section."))
    from_status = report.status
    report.status = _TO[action]
    fields = ["status", "updated_at"]
    if report.assigned_to_id is None:
        # Whoever starts the review owns it until reassigned.
        report.assigned_to = actor
        fields.append("assigned_to")
    report.save(update_fields=fields)
    event = ReviewEvent.objects.create(
        report=report,
        version=report.current_version,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=report.status,
        section=section,
        comment=comment,
        visible_to_state=True,
    )
    audit_log(
        action=f"report_{action}",
        actor=actor,
        state=report.state,
        obj=report,
        from_status=from_status,
        to_status=report.status,
        section=section,
        comment=comment,
    )
    return report, event


@transaction.atomic
def report_start_review(*, report: Report, actor: User, comment: str = "") -> Report:
    return _transition(report=report, actor=actor, action=ReviewAction.START_REVIEW, comment=comment)[0]


@transaction.atomic
def report_request_clarification(*, report: Report, actor: User, comment: str, section: str = "") -> Report:
    """The comment (and section, if given) is shown to the State's delegation, and e-mailed to its
    active delegation users once the transaction commits (clarification_send)."""
    from reports.models import Thread, ThreadAnchor, ThreadMessage

    report, event = _transition(
        report=report, actor=actor, action=ReviewAction.REQUEST_CLARIFICATION, comment=comment, section=section
    )
    # The request is also a thread the State can answer in (issue 12); it is mailed as a
    # clarification request (below), not a second time as a thread message.
    thread = Thread.objects.create(
        report=report,
        version=report.current_version,
        anchor=ThreadAnchor.SECTION if event.section else ThreadAnchor.REPORT,
        section=event.section,
        opened_by=actor,
    )
    ThreadMessage.objects.create(thread=thread, author=actor, body=event.comment)
    outbox_enqueue(task="reports.clarification_send", args=[event.pk], key=f"clarification_send:{event.pk}")
    return report


def clarification_send(*, event: ReviewEvent) -> int:
    """E-mail a clarification request to the State's active delegation users, each in their language.

    Returns the number of messages sent. Only a request still addressed to the State is sent.
    """
    from reports.services.reminders import delegation_recipients

    if event.action != ReviewAction.REQUEST_CLARIFICATION or not event.visible_to_state or _clarification_audited(event):
        return 0
    report = event.report
    recipients = delegation_recipients([report.state]).get(report.state_id, [])
    context = {
        "event": event,
        "report": report,
        "state": report.state,
        "cycle": report.cycle,
        "version": event.version,
        "section_label": Section(event.section).label if event.section in Section.values else "",
        "report_path": reverse("delegation:report", args=[report.pk]),
    }
    sent = email_send_each_once(key=f"clarification:{event.pk}", name="clarification", recipients=recipients, context=context)
    with transaction.atomic():
        # Idempotent (the outbox may deliver the task twice): audited once per request, by the
        # first run to get here; the event's row lock makes two such runs take turns.
        ReviewEvent.objects.select_for_update().filter(pk=event.pk).first()
        if not _clarification_audited(event):
            delivered = EmailDelivery.objects.filter(key__startswith=f"clarification:{event.pk}:").count()
            audit_log(
                action="clarification_send",
                state=report.state,
                obj=report,
                event=event.pk,
                recipients=delivered,
                actor_name="system",
            )
    return sent


def _clarification_audited(event: ReviewEvent) -> bool:
    return AuditEvent.objects.filter(action="clarification_send", detail__event=event.pk).exists()


@transaction.atomic
def report_accept(*, report: Report, actor: User, comment: str = "") -> Report:
    return _transition(report=report, actor=actor, action=ReviewAction.ACCEPT, comment=comment)[0]


@transaction.atomic
def report_comment(*, report: Report, actor: User, comment: str, visible_to_state: bool = False) -> ReviewEvent:
    """A note in the review history; internal unless marked visible to the State."""
    _require_secretariat(actor)
    report = _locked(report)
    comment = _clean_comment(comment, required=True)
    event = ReviewEvent.objects.create(
        report=report,
        version=report.current_version,
        actor=actor,
        action=ReviewAction.COMMENT,
        from_status=report.status,
        to_status=report.status,
        comment=comment,
        visible_to_state=visible_to_state,
    )
    audit_log(action="report_comment", actor=actor, state=report.state, obj=report, visible_to_state=visible_to_state)
    return event
