"""Review conversations (issue 12, item 2): who may open, reply and resolve; internal notes
never reach the State; two officers resolving at once; each message mailed once."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection

from reports.models import (
    AuditEvent,
    EmailDelivery,
    Measure,
    ReportStatus,
    Role,
    Thread,
    ThreadMessage,
    ThreadStatus,
)
from reports.selectors.access import threads_visible_to
from reports.selectors.threads import report_threads
from reports.services.reports import report_open_addendum, report_submit_unchecked
from reports.services.threads import ThreadConflict, ThreadError, thread_open, thread_reply, thread_resolve
from tests.delegation import submitted_with_ports
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(report_a, signatory_a):  # type: ignore[no-untyped-def]
    return submitted_with_ports(report_a, signatory_a, rows=2)


def _measure(report):  # type: ignore[no-untyped-def]
    return Measure.objects.filter(resolution=report.cycle.obligation.resolution, active=True).order_by("pk").first()


def test_secretariat_opens_a_thread_on_a_register_row_and_the_report_awaits_the_state(
    submitted, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = thread_open(
            report=submitted, actor=secretariat, body="Which port?", anchor="row",
            row_model="reports.oilinterdiction", row_key="2",
        )  # fmt: skip
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.CLARIFICATION_REQUESTED
    assert (thread.row_model, thread.row_key, thread.section, thread.status) == ("reports.oilinterdiction", "2", "oil", "open")
    assert AuditEvent.objects.filter(action="thread_open", object_id=str(thread.pk)).exists()
    delegates = sorted(m.to[0] for m in mail.outbox)
    assert delegates and all(a.endswith("@example.org") for a in delegates)
    assert "Oil interdictions, row 2" in mail.outbox[0].body and "Which port?" in mail.outbox[0].body


@pytest.mark.parametrize(
    "anchor",
    [
        {"anchor": "row", "row_model": "reports.oilinterdiction", "row_key": "3"},  # no row 3
        {"anchor": "row", "row_model": "reports.user", "row_key": "1"},
        {"anchor": "row", "row_model": "reports.oilinterdiction", "row_key": "x"},
        {"anchor": "section", "section": "passwords"},
        {"anchor": "measure", "measure": None},
        {"anchor": "sideways"},
    ],
)
def test_a_bad_anchor_is_refused_and_nothing_is_written(submitted, secretariat, anchor):
    with pytest.raises(ThreadError):
        thread_open(report=submitted, actor=secretariat, body="?", **anchor)
    assert not Thread.objects.exists() and not ThreadMessage.objects.exists()
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("role", ["focal_a", "signatory_a", "monitoring"])
def test_only_the_secretariat_opens_threads(submitted, request, role):
    with pytest.raises(ThreadError):
        thread_open(report=submitted, actor=request.getfixturevalue(role), body="?")
    assert not Thread.objects.exists()


def test_focal_point_and_signatory_of_that_state_reply_and_other_states_cannot(
    submitted, secretariat, focal_a, signatory_a, focal_b, monitoring
):
    thread = thread_open(report=submitted, actor=secretariat, body="Which act?", anchor="measure", measure=_measure(submitted))
    thread_reply(thread=thread, actor=focal_a, body="Act 12.")
    thread_reply(thread=thread, actor=signatory_a, body="And art. 4.")
    thread_reply(thread=thread, actor=secretariat, body="Thank you.")
    for outsider in (focal_b, monitoring, make_user(Role.COMMITTEE, None, "cmte")):
        with pytest.raises(ThreadError):
            thread_reply(thread=thread, actor=outsider, body="Me too")
    assert list(thread.messages.values_list("body", flat=True)) == ["Which act?", "Act 12.", "And art. 4.", "Thank you."]
    assert AuditEvent.objects.filter(action="thread_reply", object_id=str(thread.pk)).count() == 3
    assert not threads_visible_to(focal_b).exists()


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 10001, "x" * 20000])
def test_empty_or_too_long_reply_is_refused(submitted, secretariat, focal_a, body):
    thread = thread_open(report=submitted, actor=secretariat, body="Which act?")
    with pytest.raises(ThreadError):
        thread_reply(thread=thread, actor=focal_a, body=body)
    assert thread.messages.count() == 1
    thread.refresh_from_db()
    assert thread.revision == 1


def test_a_resolved_thread_takes_no_reply(submitted, secretariat, focal_a):
    thread = thread_open(report=submitted, actor=secretariat, body="Which act?")
    thread_resolve(thread=thread, actor=secretariat)
    with pytest.raises(ThreadConflict):
        thread_reply(thread=thread, actor=focal_a, body="Late answer")
    assert thread.messages.count() == 1


def test_a_double_submitted_reply_is_written_once(submitted, secretariat, focal_a):
    thread = thread_open(report=submitted, actor=secretariat, body="Which act?")
    thread_reply(thread=thread, actor=focal_a, body="Act 12.", revision=1)
    with pytest.raises(ThreadConflict):
        thread_reply(thread=thread, actor=focal_a, body="Act 12.", revision=1)
    assert thread.messages.filter(body="Act 12.").count() == 1


def test_internal_notes_never_reach_the_state(submitted, secretariat, focal_a, signatory_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        shared = thread_open(report=submitted, actor=secretariat, body="Public question")
        note = thread_open(report=submitted, actor=secretariat, body="SECRET-NOTE the State hedges", internal=True)
        thread_reply(thread=shared, actor=secretariat, body="SECRET-ASIDE compare with 2025", internal=True)
        thread_reply(thread=shared, actor=focal_a, body="Our answer")
    for user in (focal_a, signatory_a):
        with pytest.raises(ThreadError):  # the State cannot write in (or even reach) the note
            thread_reply(thread=note, actor=user, body="x")
        visible = report_threads(user=user, report=submitted)
        assert [t.pk for t in visible] == [shared.pk]
        assert [m.body for m in visible[0].shown_messages] == ["Public question", "Our answer"]
    back_office = report_threads(user=secretariat, report=submitted)
    assert {t.pk for t in back_office} == {shared.pk, note.pk}
    for message in mail.outbox:
        assert "SECRET" not in message.body and "SECRET" not in message.alternatives[0][0]
    # the State's answer went to the officer who asked; the note and the aside to nobody
    assert any(m.to == [secretariat.email] and "Our answer" in m.body for m in mail.outbox)
    thread_resolve(thread=note, actor=secretariat)
    assert not EmailDelivery.objects.filter(key__startswith=f"thread-resolved:{note.pk}:").exists()


def test_each_message_and_resolution_is_mailed_once(submitted, secretariat, focal_a):
    from reports.services.threads import thread_notify

    thread = thread_open(report=submitted, actor=secretariat, body="Which act?")
    message = thread.messages.get()
    first = thread_notify(kind="message", pk=message.pk)
    assert first >= 2  # focal point and signatory of France
    assert thread_notify(kind="message", pk=message.pk) == 0  # a redelivered task sends nothing
    thread_resolve(thread=thread, actor=secretariat)
    resolved = thread_notify(kind="resolved", pk=thread.pk)
    assert resolved == first and thread_notify(kind="resolved", pk=thread.pk) == 0
    assert AuditEvent.objects.filter(action="thread_resolve", object_id=str(thread.pk)).count() == 1


def test_the_focal_point_opens_the_addendum_but_only_the_signatory_submits(submitted, secretariat, focal_a, signatory_a, focal_b):
    from reports.services.reports import ReportError

    thread_open(
        report=submitted, actor=secretariat, body="Which port?", anchor="row", row_model="reports.oilinterdiction", row_key="1"
    )
    with pytest.raises(ReportError):
        report_open_addendum(report=submitted, actor=focal_b)
    draft = report_open_addendum(report=submitted, actor=focal_a)
    assert draft.number == 2 and draft.is_draft
    with pytest.raises(ReportError):
        report_submit_unchecked(report=submitted, actor=focal_a)
    version = report_submit_unchecked(report=submitted, actor=signatory_a)
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.AMENDED and version.number == 2


@pytest.mark.django_db(transaction=True)
def test_two_officers_resolving_at_once_one_wins_and_the_other_is_told(reference, cycle, state_a):
    from tests.factories import make_report
    from tests.mfa import totp_give

    focal = make_user(Role.FOCAL_POINT, state_a, "race-focal")
    signatory = totp_give(make_user(Role.SIGNATORY, state_a, "race-sig"))
    officers = [make_user(Role.SECRETARIAT, None, f"race-officer-{i}") for i in range(2)]
    report = make_report(state_a, cycle, focal)
    report_submit_unchecked(report=report, actor=signatory)
    thread = thread_open(report=report, actor=officers[0], body="Which act?")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def resolve(officer):  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=10)
            thread_resolve(thread=thread, actor=officer)
            outcomes.append("won")
        except ThreadConflict as told:
            outcomes.append(f"told: {told}")
        finally:
            connection.close()

    workers = [threading.Thread(target=resolve, args=(o,)) for o in officers]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=30)
    assert sorted(o.split(":")[0] for o in outcomes) == ["told", "won"], outcomes
    assert "already resolved this thread" in next(o for o in outcomes if o.startswith("told"))
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.RESOLVED and thread.revision == 2
    assert AuditEvent.objects.filter(action="thread_resolve").count() == 1


def test_the_same_question_posted_twice_opens_one_thread(submitted, secretariat):
    thread_open(report=submitted, actor=secretariat, body="Which act?", anchor="section", section="oil")
    with pytest.raises(ThreadConflict):
        thread_open(report=submitted, actor=secretariat, body="Which act?", anchor="section", section="oil")
    thread_open(report=submitted, actor=secretariat, body="Which act?", anchor="section", section="assets")  # elsewhere: fine
    assert Thread.objects.count() == 2


def test_thread_mail_is_escaped_and_in_each_delegates_language(submitted, secretariat, focal_a):
    from django.utils import translation

    from reports.models import Section
    from reports.services.threads import thread_notify

    focal_a.preferred_language = "fr"
    focal_a.save(update_fields=["preferred_language"])
    thread = thread_open(report=submitted, actor=secretariat, body="Which <script>act</script>?", anchor="section", section="oil")
    mail.outbox.clear()
    assert thread_notify(kind="message", pk=thread.messages.get().pk) >= 2
    to_focal = next(m for m in mail.outbox if m.to == [focal_a.email])
    html = to_focal.alternatives[0][0]
    assert "Which &lt;script&gt;act&lt;/script&gt;?" in html and "<script>" not in html
    assert "Which <script>act</script>?" in to_focal.body  # plain text as written
    with translation.override("fr"):
        french = str(Section.OIL.label)
    assert french != "Oil interdictions" and french in to_focal.body
