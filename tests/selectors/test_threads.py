"""The review conversations as their readers see them (reports.selectors.threads): the report
page's panel and the delegation's open questions. Nothing of another State, no internal note,
a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Measure, OilInterdiction, Role
from reports.selectors.threads import assessment_panel, thread_panel
from reports.services.assessments import assessment_respond, assessments_share, measure_assess
from reports.services.reports import report_open_addendum, report_submit_unchecked
from reports.services.threads import thread_open, thread_reply, thread_resolve
from tests.delegation import submitted_with_ports

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(report_a, signatory_a):  # type: ignore[no-untyped-def]
    return submitted_with_ports(report_a, signatory_a, rows=3)


def _row_thread(report, actor, n: int, body: str = "Which port?"):  # type: ignore[no-untyped-def]
    return thread_open(report=report, actor=actor, body=body, anchor="row", row_model="reports.oilinterdiction", row_key=str(n))


# --- the report page's panel ----------------------------------------------------------------


def test_the_panel_shows_the_row_as_asked_and_as_an_addendum_changed_it(submitted, secretariat, focal_a, signatory_a):
    asked = _row_thread(submitted, secretariat, 1)
    untouched = _row_thread(submitted, secretariat, 2, "And this one?")
    draft = report_open_addendum(report=submitted, actor=focal_a)
    OilInterdiction.objects.filter(version=draft, position=1).update(place="Port of Fos-sur-Mer")
    report_submit_unchecked(report=submitted, actor=signatory_a)
    submitted.refresh_from_db()
    panel = thread_panel(user=secretariat, report=submitted)
    threads = {t.pk: t for t in panel.threads}
    assert dict(threads[asked.pk].row_fields)["place"] == "Port 1"  # type: ignore[attr-defined]
    # what the addendum changed, and only that: the place, before and after
    assert [(label, cell.before, cell.text) for label, cell in threads[asked.pk].row_now] == [  # type: ignore[attr-defined]
        ("place", "Port 1", "Port of Fos-sur-Mer")
    ]
    assert threads[asked.pk].row_now_version == 2  # type: ignore[attr-defined]
    assert threads[untouched.pk].row_now == []  # type: ignore[attr-defined]  # the addendum left it as it was
    assert panel.can_open and panel.secretariat and panel.open_count == 2
    assert "row:reports.oilinterdiction:3" in dict(panel.rows) and panel.measures


def test_the_panel_lets_the_state_reply_to_its_own_open_threads_only(submitted, secretariat, focal_a, focal_b, monitoring):
    open_one = thread_open(report=submitted, actor=secretariat, body="Which act?")
    closed = thread_open(report=submitted, actor=secretariat, body="Which decree?", anchor="section", section="oil")
    thread_resolve(thread=closed, actor=secretariat)
    note = thread_open(report=submitted, actor=secretariat, body="Our own note", internal=True)
    state_panel = thread_panel(user=focal_a, report=submitted)
    assert {t.pk: t.can_reply for t in state_panel.threads} == {open_one.pk: True, closed.pk: False}  # type: ignore[attr-defined]
    assert not state_panel.can_open and not state_panel.secretariat and state_panel.open_count == 1
    assert thread_panel(user=focal_b, report=submitted).threads == []  # another State: nothing
    back = thread_panel(user=monitoring, report=submitted)
    assert note.pk in {t.pk for t in back.threads} and not any(t.can_reply for t in back.threads)  # type: ignore[attr-defined]
    assert not back.can_open


def test_the_panel_costs_the_same_queries_for_one_thread_or_ten(submitted, secretariat, focal_a):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            thread_panel(user=secretariat, report=submitted)
        return len(captured.captured_queries)

    first = _row_thread(submitted, secretariat, 1)
    thread_reply(thread=first, actor=focal_a, body="Port of Fos")
    count()  # the report's cycle and version, once
    one = count()
    for n in range(9):
        thread = _row_thread(submitted, secretariat, 1 + n % 3, f"Question {n}")
        thread_reply(thread=thread, actor=focal_a, body=f"Answer {n}")
    assert count() == one


def test_the_assessment_panel_opens_answers_to_the_state_only_while_shared(submitted, secretariat, focal_a):
    measures = list(Measure.objects.filter(resolution=submitted.cycle.obligation.resolution, active=True).order_by("pk")[:2])
    for measure in measures:
        measure_assess(report=submitted, measure=measure, rating="implemented", actor=secretariat)
    panel = assessment_panel(user=secretariat, report=submitted)
    assert panel.can_share and not panel.can_finalise and len(panel.assessments) == 2
    assert assessment_panel(user=focal_a, report=submitted).assessments == []  # drafts are the Secretariat's
    assessments_share(report=submitted, actor=secretariat)
    assessment_respond(report=submitted, measure=measures[0], actor=focal_a, agree=True)
    state_panel = assessment_panel(user=focal_a, report=submitted)
    assert [a.can_answer for a in state_panel.assessments] == [True, True]  # type: ignore[attr-defined]
    assert state_panel.delegation and not state_panel.secretariat
    back = assessment_panel(user=secretariat, report=submitted)
    assert back.can_finalise and not back.can_share and not any(a.can_answer for a in back.assessments)  # type: ignore[attr-defined]


# --- the delegation's open questions (its dashboard) -------------------------------------------


def _oracle_questions(state_id: int) -> dict[int, tuple[str, bool, int]]:
    """thread -> (the first message the State may read, whether the last such message is the
    State's, how many came after the first), by hand in SQL: open threads of the State, no
    internal thread, no internal message."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.id, m.body, m.created_at, m.id, u.state_id = r.state_id
            FROM reports_thread t
            JOIN reports_report r ON r.id = t.report_id
            JOIN reports_threadmessage m ON m.thread_id = t.id AND NOT m.internal
            JOIN reports_user u ON u.id = m.author_id
            WHERE r.state_id = %s AND t.status = 'open' AND NOT t.internal
            """,
            [state_id],
        )
        found = cursor.fetchall()
    by_thread: dict[int, list[tuple]] = {}
    for thread_id, body, created_at, message_id, from_state in found:
        by_thread.setdefault(thread_id, []).append((created_at, message_id, body, from_state))
    result = {}
    for thread_id, messages in by_thread.items():
        messages.sort()
        result[thread_id] = (messages[0][2], bool(messages[-1][3]), len(messages) - 1)
    return result


@pytest.fixture
def conversation(submitted, secretariat, focal_a, signatory_a, report_b, focal_b):  # type: ignore[no-untyped-def]
    """France: a question waiting, one it answered (then an internal aside), one answered and asked
    again, one resolved, an internal note. Germany: a question of its own."""
    from reports.services.reports import report_submit_unchecked as submit
    from tests.factories import make_user
    from tests.mfa import totp_give

    waiting = thread_open(report=submitted, actor=secretariat, body="Which customs office?", anchor="section", section="oil")
    answered = _row_thread(submitted, secretariat, 2, "Which port, exactly?")
    thread_reply(thread=answered, actor=focal_a, body="Port of Fos")
    thread_reply(thread=answered, actor=secretariat, body="SECRET-ASIDE: check with the Monitoring Team", internal=True)
    again = thread_open(report=submitted, actor=secretariat, body="Which decree?")
    thread_reply(thread=again, actor=signatory_a, body="Decree 7")
    thread_reply(thread=again, actor=secretariat, body="Decree 7 of which year?")
    done = thread_open(report=submitted, actor=secretariat, body="Settled question", anchor="section", section="assets")
    thread_resolve(thread=done, actor=secretariat)
    thread_open(report=submitted, actor=secretariat, body="SECRET-NOTE: internal", internal=True)
    submit(report=report_b, actor=totp_give(make_user(Role.SIGNATORY, report_b.state, "berta")))
    german = thread_open(report=report_b, actor=secretariat, body="GERMAN-QUESTION?")
    return {"waiting": waiting, "answered": answered, "again": again, "done": done, "german": german}


def test_open_questions_are_the_states_open_threads_as_the_oracle_counts_them(conversation, focal_a, signatory_a, focal_b):
    from reports.selectors.threads import open_questions

    for user in (focal_a, signatory_a, focal_b):
        got = {t.pk: (t.question, t.answered, t.replies) for t in open_questions(user=user)}  # type: ignore[attr-defined]
        assert got == _oracle_questions(user.state_id)
    questions = open_questions(user=focal_a)
    # waiting for the State first (oldest first), then what it answered
    assert [t.pk for t in questions] == [conversation[k].pk for k in ("waiting", "again", "answered")]
    assert [t.answered for t in questions] == [False, False, True]  # type: ignore[attr-defined]
    assert [t.about for t in questions] == ["Oil interdictions", "The whole report", "Oil interdictions, row 2"]  # type: ignore[attr-defined]
    texts = " ".join(f"{t.question} {t.about}" for t in questions)  # type: ignore[attr-defined]
    assert "SECRET" not in texts and "GERMAN" not in texts
    assert [t.pk for t in open_questions(user=focal_b)] == [conversation["german"].pk]


def test_open_questions_are_nothing_for_the_back_office(conversation, secretariat, monitoring, committee):
    from reports.selectors.threads import open_questions

    for user in (secretariat, monitoring, committee):
        assert open_questions(user=user) == []


def test_open_questions_cost_one_query_whatever_their_number(submitted, secretariat, focal_a):
    from reports.selectors.threads import open_questions

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            open_questions(user=focal_a)
        return len(captured.captured_queries)

    first = thread_open(report=submitted, actor=secretariat, body="Which act?")
    thread_reply(thread=first, actor=focal_a, body="Act 12")
    one = count()
    for n in range(12):
        thread = _row_thread(submitted, secretariat, 1 + n % 3, f"Question {n}")
        if n % 2:
            thread_reply(thread=thread, actor=focal_a, body=f"Answer {n}")
    assert count() == one == 1
