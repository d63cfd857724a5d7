"""The Secretariat's assessment of each measure: a layer of its own, beside the State's answer.

The 1540 pattern (issue 12, item 3): draft -> shared with the State, with a response deadline
(portal_today() + ASSESSMENT_RESPONSE_DAYS) -> agreed / disputed (the State's signatory or a
focal point answers per measure) -> final (the Secretariat finalises once the State has had its
say or the period has passed). Changing a shared assessment takes it back to draft: the State
agreed to something else.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.clock import portal_today
from reports.models import AssessmentState, AuditEvent, Measure, MeasureAssessment, Rating, Report, Role, User

from .audit import audit_log
from .emails import email_send_each_once
from .outbox import outbox_enqueue
from .reports import ReportError

NOTE_MAX = 10000


@transaction.atomic
def measure_assess(*, report: Report, measure: Measure, rating: str, actor: User, note: str = "") -> MeasureAssessment:
    """Record (or change) the assessment of one measure of a submitted report."""
    if actor.role != Role.SECRETARIAT:
        raise ReportError(_("Only a Secretariat officer can assess measures."))
    report = Report.objects.select_for_update().select_related("state", "cycle__obligation").get(pk=report.pk)
    if report.current_version_id is None:
        raise ReportError(_("The report has not been submitted yet."))
    if measure.resolution_id != report.cycle.obligation.resolution_id or not measure.active:
        raise ReportError(_("This measure is not part of the report's checklist."))
    if rating not in Rating.values:
        raise ReportError(_("Unknown assessment."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ReportError(_("The note is longer than %(max)d characters.") % {"max": NOTE_MAX})
    existing = MeasureAssessment.objects.filter(report=report, measure=measure).first()
    previous = existing.rating if existing else None
    defaults: dict[str, object] = {"rating": rating, "note": note, "assessed_by": actor, "version_id": report.current_version_id}
    if existing is not None and existing.state == AssessmentState.FINAL:
        raise ReportError(_("The assessment of %(code)s is final and cannot change.") % {"code": measure.code})
    if existing is not None and (existing.rating, existing.note) != (rating, note):
        # What the State saw (and perhaps agreed to) is no longer the assessment: share it again.
        defaults.update(
            state=AssessmentState.DRAFT,
            shared_at=None,
            respond_by=None,
            state_comment="",
            state_responded_by=None,
            state_responded_at=None,
        )
    assessment, _created = MeasureAssessment.objects.update_or_create(report=report, measure=measure, defaults=defaults)
    audit_log(
        action="measure_assess",
        actor=actor,
        state=report.state,
        obj=assessment,
        measure=measure.code,
        rating=rating,
        previous=previous or "",
        version=report.current_version_id,
    )
    return assessment


def _report_locked(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("state").get(pk=report.pk)


@transaction.atomic
def assessments_share(*, report: Report, actor: User, today: datetime.date | None = None) -> int:
    """Share every draft assessment of the report with the State; returns how many."""
    if actor.role != Role.SECRETARIAT:
        raise ReportError(_("Only a Secretariat officer can share assessments."))
    report = _report_locked(report)
    today = today or portal_today()
    respond_by = today + datetime.timedelta(days=settings.ASSESSMENT_RESPONSE_DAYS)
    drafts = MeasureAssessment.objects.filter(report=report, state=AssessmentState.DRAFT)
    # The report's row lock keeps these the drafts the UPDATE shares (measure_assess takes it too).
    codes = sorted(drafts.values_list("measure__code", flat=True))
    shared = drafts.update(state=AssessmentState.SHARED, shared_at=timezone.now(), respond_by=respond_by)
    if not shared:
        raise ReportError(_("There is no draft assessment to share."))
    event = audit_log(
        action="assessments_share",
        actor=actor,
        state=report.state,
        obj=report,
        count=shared,
        respond_by=respond_by,
        measures=codes,
    )
    # One mail per share (the audit event names it): a share posted twice finds nothing left to
    # share above; a task delivered twice finds each address already claimed (email_send_each_once).
    outbox_enqueue(task="reports.assessments_shared_notify", args=[event.pk], key=f"assessments_shared_notify:{event.pk}")
    return shared


def assessments_shared_notify(*, share_id: int) -> int:
    """E-mail the State's focal points and signatories that assessments were shared with them:
    which measures, the Secretariat's assessment of each, and the date to answer by, each in
    the recipient's language. Once per address and share (keys `assessments-shared:<share>:<address>`)."""
    from .reminders import delegation_recipients

    event = AuditEvent.objects.filter(pk=share_id, action="assessments_share").first()
    if event is None:
        return 0
    report = Report.objects.select_related("state", "cycle").filter(pk=event.object_id).first()
    if report is None:
        return 0
    try:
        respond_by = datetime.date.fromisoformat(str(event.detail.get("respond_by", "")))
    except ValueError:
        respond_by = None
    # What was shared and is still before the State (changed since, it went back to draft: not this share's).
    assessments = list(
        MeasureAssessment.objects.filter(report=report, measure__code__in=event.detail.get("measures") or [])
        .exclude(state=AssessmentState.DRAFT)
        .select_related("measure")
        .order_by("measure__order", "measure__code")
    )
    if not assessments:
        return 0
    return email_send_each_once(
        key=f"assessments-shared:{event.pk}",
        name="assessments_shared",
        recipients=delegation_recipients([report.state]).get(report.state_id, []),
        context={
            "report": report,
            "state": report.state,
            "cycle": report.cycle,
            "assessments": assessments,
            "respond_by": respond_by,
            "report_path": reverse("delegation:report", args=[report.pk]) + "#assessments",
        },
    )


@transaction.atomic
def assessment_respond(
    *, report: Report, measure: Measure, actor: User, agree: bool, comment: str = "", today: datetime.date | None = None
) -> MeasureAssessment:
    """The State's signatory or a focal point agrees with a shared assessment or comments on it.
    It may change its answer until the Secretariat finalises or the period ends."""
    if actor.role not in (Role.FOCAL_POINT, Role.SIGNATORY) or actor.state_id != report.state_id:
        raise ReportError(_("Only the delegation of this State can answer its assessment."))
    report = _report_locked(report)
    today = today or portal_today()
    comment = (comment or "").replace("\x00", "").strip()
    if len(comment) > NOTE_MAX:
        raise ReportError(_("The comment is longer than %(max)d characters.") % {"max": NOTE_MAX})
    if not agree and not comment:
        raise ReportError(_("Say what you disagree with: a comment is required."))
    responding = (AssessmentState.SHARED, AssessmentState.AGREED, AssessmentState.DISPUTED)
    assessment = MeasureAssessment.objects.filter(report=report, measure=measure, state__in=responding).first()
    if assessment is None:
        raise ReportError(_("This assessment is not open for your answer."))
    if assessment.respond_by and today > assessment.respond_by:
        raise ReportError(_("The period to answer this assessment ended on %(day)s.") % {"day": assessment.respond_by})
    assessment.state = AssessmentState.AGREED if agree else AssessmentState.DISPUTED
    assessment.state_comment = comment
    assessment.state_responded_by = actor
    assessment.state_responded_at = timezone.now()
    assessment.save(update_fields=["state", "state_comment", "state_responded_by", "state_responded_at"])
    audit_log(
        action="assessment_respond",
        actor=actor,
        state=report.state,
        obj=assessment,
        measure=measure.code,
        answer=assessment.state,
        comment=comment,
    )
    return assessment


@transaction.atomic
def assessments_finalise(*, report: Report, actor: User, today: datetime.date | None = None) -> tuple[int, int]:
    """Finalise the assessments the State has answered, or whose period has passed.

    Returns (finalised, still waiting for the State)."""
    if actor.role != Role.SECRETARIAT:
        raise ReportError(_("Only a Secretariat officer can finalise assessments."))
    report = _report_locked(report)
    today = today or portal_today()
    ready = MeasureAssessment.objects.filter(report=report).filter(_ready_q(today))
    done = ready.update(state=AssessmentState.FINAL, finalised_by=actor, finalised_at=timezone.now())
    waiting = MeasureAssessment.objects.filter(report=report, state=AssessmentState.SHARED).count()
    if done:
        audit_log(action="assessments_finalise", actor=actor, state=report.state, obj=report, count=done, waiting=waiting)
    return done, waiting


def _ready_q(today: datetime.date) -> Q:
    """The State has answered, or its period has passed."""
    return Q(state__in=[AssessmentState.AGREED, AssessmentState.DISPUTED]) | Q(state=AssessmentState.SHARED, respond_by__lt=today)
