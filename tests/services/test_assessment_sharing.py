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


# --- the State is told by e-mail, once per share -------------------------------------------------


def _delegates(state_id: int) -> list[str]:
    """The oracle: the State's active focal points and signatories with an address, by hand in SQL."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT u.email FROM reports_user u
            JOIN reports_user_groups ug ON ug.user_id = u.id JOIN auth_group g ON g.id = ug.group_id
            WHERE u.state_id = %s AND u.is_active AND u.email <> '' AND g.name IN ('focal_point', 'signatory')
            ORDER BY u.email
            """,
            [state_id],
        )
        return [email for (email,) in cursor.fetchall()]


@override_settings(ASSESSMENT_RESPONSE_DAYS=14)
def test_sharing_mails_the_states_delegation_what_is_asked_and_by_when_in_its_language(
    assessed, secretariat, focal_a, signatory_a, focal_b, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.urls import reverse
    from django.utils import translation
    from django.utils.formats import date_format

    from reports.models import Rating, Role
    from tests.factories import make_user

    report, measures = assessed
    focal_a.preferred_language = "fr"
    focal_a.save(update_fields=["preferred_language"])
    gone = make_user(Role.FOCAL_POINT, report.state, "fra-gone")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assessments_share(report=report, actor=secretariat, today=DAY)
    assert mail.outbox == []  # nothing leaves before the share commits
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == _delegates(report.state_id)
    assert focal_a.email in _delegates(report.state_id) and signatory_a.email in _delegates(report.state_id)
    assert all(m.to[0] not in (gone.email, focal_b.email, secretariat.email) for m in mail.outbox)
    respond_by = DAY + datetime.timedelta(days=14)
    path = reverse("delegation:report", args=[report.pk]) + "#assessments"
    for message, language in ((next(m for m in mail.outbox if m.to == [focal_a.email]), "fr"),
                              (next(m for m in mail.outbox if m.to == [signatory_a.email]), "en")):  # fmt: skip
        with translation.override(language):
            day, rating = date_format(respond_by, "DATE_FORMAT"), str(Rating.IMPLEMENTED.label)
        assert day in message.body and path in message.body
        assert all(f"{m.code} " in message.body for m in measures) and message.body.count(rating) == len(measures)
        assert "Seen in Act 12" in message.body
        html = message.alternatives[0][0]
        assert day in html and f'lang="{language}"' in html
    assert "20 décembre 2026" in next(m for m in mail.outbox if m.to == [focal_a.email]).body


def test_the_share_is_mailed_once_however_it_or_its_task_is_retried(assessed, secretariat, django_capture_on_commit_callbacks):
    from django.core import mail

    from reports.models import EmailDelivery, OutboxMessage
    from reports.services.assessments import assessments_shared_notify
    from reports.services.outbox import outbox_dispatch, outbox_sweep

    report, _measures = assessed
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessments_share(report=report, actor=secretariat, today=DAY)
    delegates = _delegates(report.state_id)
    assert len(mail.outbox) == len(delegates) >= 2
    share = AuditEvent.objects.get(action="assessments_share")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ReportError):
        assessments_share(report=report, actor=secretariat, today=DAY)  # the button pressed again: nothing to share
    assert assessments_shared_notify(share_id=share.pk) == 0  # the task delivered twice
    outbox = OutboxMessage.objects.get(key=f"assessments_shared_notify:{share.pk}")
    assert outbox.sent_at is not None and outbox_dispatch(message_id=outbox.pk) is False
    outbox_sweep(older_than=0)
    assert len(mail.outbox) == len(delegates)
    assert EmailDelivery.objects.filter(key__startswith=f"assessments-shared:{share.pk}:").count() == len(delegates)


def test_a_send_that_fails_midway_is_retried_for_the_others_only(assessed, secretariat, monkeypatch):
    from smtplib import SMTPException

    from django.core import mail
    from django.core.mail import EmailMultiAlternatives

    from reports.services.assessments import assessments_shared_notify

    report, _measures = assessed
    assessments_share(report=report, actor=secretariat, today=DAY)
    share = AuditEvent.objects.get(action="assessments_share")
    send, calls = EmailMultiAlternatives.send, []

    def flaky(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(self.to[0])
        if len(calls) == 2:
            raise SMTPException("the relay hung up")
        return send(self, *args, **kwargs)

    mail.outbox.clear()
    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    with pytest.raises(SMTPException):  # the task retries on this (autoretry_for)
        assessments_shared_notify(share_id=share.pk)
    assert len(mail.outbox) == 1
    assert assessments_shared_notify(share_id=share.pk) == len(_delegates(report.state_id)) - 1  # the retry: the rest
    assert sorted(m.to[0] for m in mail.outbox) == _delegates(report.state_id)  # each address once


def test_a_new_share_after_a_change_mails_what_was_shared_again(assessed, secretariat, django_capture_on_commit_callbacks):
    from django.core import mail

    report, (m1, m2, _m3) = assessed
    with django_capture_on_commit_callbacks(execute=True):
        assessments_share(report=report, actor=secretariat, today=DAY)
    measure_assess(report=report, measure=m2, rating="partial", actor=secretariat, note="Only in part")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert assessments_share(report=report, actor=secretariat, today=DAY) == 1
    assert len(mail.outbox) == len(_delegates(report.state_id))
    body = mail.outbox[0].body
    assert f"{m2.code} " in body and "Only in part" in body and f"{m1.code} " not in body


def test_the_share_mail_escapes_the_officers_note_in_html(assessed, secretariat, django_capture_on_commit_callbacks):
    from django.core import mail

    report, (m1, _m2, _m3) = assessed
    measure_assess(report=report, measure=m1, rating="partial", actor=secretariat, note="Act <12> & <script>x</script>")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessments_share(report=report, actor=secretariat, today=DAY)
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "Act &lt;12&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert "Act <12> & <script>x</script>" in message.body  # plain text as written
