"""The Secretariat's assessment of each measure: a layer of its own, beside the State's answer."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from reports.models import Measure, MeasureAssessment, Rating, Report, Role, User

from .audit import audit_log
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
    previous = MeasureAssessment.objects.filter(report=report, measure=measure).values_list("rating", flat=True).first()
    assessment, _created = MeasureAssessment.objects.update_or_create(
        report=report,
        measure=measure,
        defaults={"rating": rating, "note": note, "assessed_by": actor, "version_id": report.current_version_id},
    )
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
