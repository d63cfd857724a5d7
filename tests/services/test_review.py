"""The review workflow and assessments as services: transitions, who may, what is recorded."""

from __future__ import annotations

import pytest

from reports.models import AuditEvent, Measure, MeasureAssessment, ReportStatus, ReviewEvent, Role
from reports.services.assessments import measure_assess
from reports.services.followups import followup_update
from reports.services.reports import ReportError
from reports.services.review import (
    report_accept,
    report_assign,
    report_comment,
    report_request_clarification,
    report_start_review,
)
from tests.factories import make_user
from tests.secretariat.fixtures import world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_full_cycle_records_who_when_why(world, secretariat):  # noqa: F811
    report = world.reports["FRA"]
    officer = make_user(Role.SECRETARIAT, None, "omar")
    report_assign(report=report, officer=officer, actor=secretariat)
    report = report_start_review(report=report, actor=officer)
    report = report_request_clarification(report=report, actor=officer, comment="Which act?", section="checklist")
    assert report.status == ReportStatus.CLARIFICATION_REQUESTED
    with pytest.raises(ReportError):
        report_accept(report=report, actor=officer)  # must go back under review (after the State amends)
    report.status = ReportStatus.AMENDED
    report.save(update_fields=["status"])
    report = report_start_review(report=report, actor=officer)
    report = report_accept(report=report, actor=officer, comment="Complete.")
    assert report.status == ReportStatus.ACCEPTED and report.assigned_to == officer
    actions = list(
        ReviewEvent.objects.filter(report=report)
        .exclude(action__in=["create", "submit"])
        .values_list("action", "actor__username")
    )
    assert actions == [
        ("assign", "sofia"),
        ("start_review", "omar"),
        ("request_clarification", "omar"),
        ("start_review", "omar"),
        ("accept", "omar"),
    ]
    assign = ReviewEvent.objects.get(report=report, action="assign")
    assert not assign.visible_to_state
    assert AuditEvent.objects.filter(action="report_accept", object_id=str(report.pk), actor=officer).exists()


def test_clarification_needs_a_comment_and_a_known_section(world, secretariat):  # noqa: F811
    report = report_start_review(report=world.reports["IRQ"], actor=secretariat)
    for comment, section in (("", ""), ("   ", ""), ("x" * 10001, ""), ("ok", "bogus")):
        with pytest.raises(ReportError):
            report_request_clarification(report=report, actor=secretariat, comment=comment, section=section)
    report.refresh_from_db()
    assert report.status == ReportStatus.UNDER_REVIEW


def test_only_the_secretariat_reviews_assesses_and_follows_up(world, monitoring, focal_a):  # noqa: F811
    report = world.reports["FRA"]
    measure = Measure.objects.filter(resolution=world.cycle.obligation.resolution).first()
    for actor in (monitoring, focal_a):
        with pytest.raises(ReportError):
            report_start_review(report=report, actor=actor)
        with pytest.raises(ReportError):
            measure_assess(report=report, measure=measure, rating="implemented", actor=actor)
        with pytest.raises(ReportError):
            followup_update(kind="overdue", key="1:USA", actor=actor, note="n", close=True)
        with pytest.raises(ReportError):
            report_comment(report=report, actor=actor, comment="x")
    with pytest.raises(ReportError):
        report_assign(report=report, officer=monitoring, actor=make_user(Role.SECRETARIAT))


def test_drafts_cannot_be_reviewed_or_assessed(world, secretariat):  # noqa: F811
    draft = world.reports["NGA"]
    measure = Measure.objects.filter(resolution=world.cycle.obligation.resolution).first()
    with pytest.raises(ReportError):
        report_start_review(report=draft, actor=secretariat)
    with pytest.raises(ReportError):
        measure_assess(report=draft, measure=measure, rating="implemented", actor=secretariat)


def test_assessment_is_kept_apart_from_the_answer_and_tied_to_the_version(world, secretariat):  # noqa: F811
    report = world.reports["FRA"]
    measure = Measure.objects.filter(resolution=world.cycle.obligation.resolution, active=True).first()
    measure_assess(report=report, measure=measure, rating="not_implemented", note="Law not in force", actor=secretariat)
    assessment = measure_assess(report=report, measure=measure, rating="partial", actor=secretariat)
    assert MeasureAssessment.objects.filter(report=report).count() == 1
    assert assessment.rating == "partial" and assessment.version_id == report.current_version_id
    assert report.current_version.answers.get(measure=measure).answer == "in_place"  # the State's layer unchanged
    event = AuditEvent.objects.filter(action="measure_assess").latest("id")
    assert event.detail["previous"] == "not_implemented" and event.detail["rating"] == "partial"
    other = Measure.objects.exclude(resolution=world.cycle.obligation.resolution).first()
    with pytest.raises(ReportError):
        measure_assess(report=report, measure=other, rating="partial", actor=secretariat)
    with pytest.raises(ReportError):
        measure_assess(report=report, measure=measure, rating="brilliant", actor=secretariat)


def test_follow_up_closes_with_a_note_and_reopens(world, secretariat):  # noqa: F811
    with pytest.raises(ReportError):
        followup_update(kind="inconsistency", key="k", actor=secretariat, note=" ", close=True)
    with pytest.raises(ReportError):
        followup_update(kind="nonsense", key="k", actor=secretariat, note="n", close=True)
    closed = followup_update(kind="inconsistency", key="k", actor=secretariat, note="Resolved", close=True, cycle=world.cycle)
    assert closed.is_closed
    reopened = followup_update(kind="inconsistency", key="k", actor=secretariat, note="New cargo", close=False)
    assert reopened.pk == closed.pk and not reopened.is_closed and reopened.note == "New cargo"
    assert AuditEvent.objects.filter(action="followup_reopen").count() == 1
