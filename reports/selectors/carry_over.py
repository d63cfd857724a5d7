"""Answers carried over from a State's last report (see reports.services.carry_over)."""

from __future__ import annotations

from django.db.models import QuerySet

from reports.models import ChecklistAnswer, ReportVersion
from reports.selectors.matrix import cycle_measures


def carry_over_source(version: ReportVersion) -> ReportVersion | None:
    """The State's last submitted version with answers to this draft's checklist (another report's)."""
    report = version.report
    measures = cycle_measures(report.cycle).values("pk")
    return (
        ReportVersion.objects.filter(report__state_id=report.state_id, is_draft=False, answers__measure__in=measures)
        .exclude(report_id=report.pk)
        .select_related("report__cycle")
        .order_by("-submitted_at", "-pk")
        .distinct()
        .first()
    )


def carried_over_answers(version: ReportVersion) -> QuerySet[ChecklistAnswer]:
    """The draft's answers still as they were carried over: neither confirmed nor edited."""
    return (
        ChecklistAnswer.objects.filter(version=version, carried_over=True)
        .select_related("measure")
        .order_by("measure__order", "measure__code")
    )
