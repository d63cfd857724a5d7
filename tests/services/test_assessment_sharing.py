"""The Secretariat's assessment shared with the State before it is final (issue 12, item 3)."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from reports.models import AssessmentState, AuditEvent, Measure, MeasureAssessment
from reports.selectors.access import assessments_visible_to
from reports.services.assessments import assessment_respond, assessments_finalise, assessments_share, measure_assess
from reports.services.reports import ReportError, report_submit_unchecked

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 6)


@pytest.fixture
def assessed(report_a, signatory_a, secretariat):  # type: ignore[no-untyped-def]
    report_submit_unchecked(report=report_a, actor=signatory_a)
    measures = list(Measure.objects.filter(resolution=report_a.cycle.obligation.resolution, active=True).order_by("pk")[:3])
    for measure in measures:
        measure_assess(report=report_a, measure=measure, rating="implemented", actor=secretariat, note="Seen in Act 12")
    return report_a, measures


@override_settings(ASSESSMENT_RESPONSE_DAYS=14)
def test_sharing_sets_the_deadline_and_the_state_sees_only_shared_ones(assessed, secretariat, focal_a, focal_b):
    report, _measures = assessed
    assert not assessments_visible_to(focal_a).exists()  # drafts are the Secretariat's
    assert assessments_share(report=report, actor=secretariat, today=DAY) == 3
    shared = MeasureAssessment.objects.filter(report=report)
    assert {(a.state, a.respond_by) for a in shared} == {(AssessmentState.SHARED, DAY + datetime.timedelta(days=14))}
    assert assessments_visible_to(focal_a).count() == 3 and not assessments_visible_to(focal_b).exists()
    assert AuditEvent.objects.filter(action="assessments_share").count() == 1
    with pytest.raises(ReportError):  # nothing left to share
        assessments_share(report=report, actor=secretariat, today=DAY)


def test_default_period_is_thirty_days(assessed, secretariat):
    report, _measures = assessed
    assessments_share(report=report, actor=secretariat, today=DAY)
    assert MeasureAssessment.objects.filter(report=report).first().respond_by == DAY + datetime.timedelta(days=30)  # type: ignore[union-attr]


def test_the_state_agrees_or_comments_and_only_its_own_delegation_may(
    assessed, secretariat, focal_a, signatory_a, focal_b, monitoring
):
    report, (m1, m2, m3) = assessed
    with pytest.raises(ReportError):  # not shared yet
        assessment_respond(report=report, measure=m1, actor=focal_a, agree=True, today=DAY)
    assessments_share(report=report, actor=secretariat, today=DAY)
    for outsider in (focal_b, secretariat, monitoring):
        with pytest.raises(ReportError):
            assessment_respond(report=report, measure=m1, actor=outsider, agree=True, today=DAY)
    with pytest.raises(ReportError):  # disagreeing says why
        assessment_respond(report=report, measure=m2, actor=signatory_a, agree=False, comment="  ", today=DAY)
    assessment_respond(report=report, measure=m1, actor=focal_a, agree=True, today=DAY)
    assessment_respond(report=report, measure=m2, actor=signatory_a, agree=False, comment="Art. 4 covers it", today=DAY)
    states = dict(MeasureAssessment.objects.filter(report=report).values_list("measure_id", "state"))
    assert states == {m1.pk: "agreed", m2.pk: "disputed", m3.pk: "shared"}
    late = DAY + datetime.timedelta(days=31)
    with pytest.raises(ReportError):  # the period has passed
        assessment_respond(report=report, measure=m3, actor=focal_a, agree=True, today=late)


def test_finalising_takes_what_the_state_answered_or_whose_period_passed(assessed, secretariat, focal_a, signatory_a):
    report, (m1, _m2, _m3) = assessed
    assessments_share(report=report, actor=secretariat, today=DAY)
    assessment_respond(report=report, measure=m1, actor=focal_a, agree=True, today=DAY)
    with pytest.raises(ReportError):
        assessments_finalise(report=report, actor=focal_a, today=DAY)
    assert assessments_finalise(report=report, actor=secretariat, today=DAY) == (1, 2)
    assert assessments_finalise(report=report, actor=secretariat, today=DAY + datetime.timedelta(days=31)) == (2, 0)
    assert set(MeasureAssessment.objects.filter(report=report).values_list("state", flat=True)) == {"final"}
    with pytest.raises(ReportError):  # a final assessment does not change
        measure_assess(report=report, measure=m1, rating="partial", actor=secretariat)


def test_changing_a_shared_assessment_takes_it_back_to_draft(assessed, secretariat, focal_a):
    report, (m1, _m2, _m3) = assessed
    assessments_share(report=report, actor=secretariat, today=DAY)
    assessment_respond(report=report, measure=m1, actor=focal_a, agree=True, today=DAY)
    measure_assess(report=report, measure=m1, rating="implemented", actor=secretariat, note="Seen in Act 12")  # same: kept
    assert MeasureAssessment.objects.get(report=report, measure=m1).state == "agreed"
    measure_assess(report=report, measure=m1, rating="partial", actor=secretariat, note="Seen in Act 12")
    changed = MeasureAssessment.objects.get(report=report, measure=m1)
    assert (changed.state, changed.respond_by, changed.state_comment, changed.state_responded_by) == ("draft", None, "", None)
