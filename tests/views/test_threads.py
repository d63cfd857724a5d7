"""The review conversations and shared assessments through the pages: 4xx with a reason for
bad input, nothing half-written, internal notes absent from every page the State opens, the
matrix's assessment states at a constant number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import Measure, OilInterdiction, ReportStatus, Thread, ThreadMessage
from reports.services.assessments import assessment_respond, assessments_share, measure_assess
from reports.services.reports import report_submit_unchecked
from reports.services.threads import thread_open, thread_reply
from tests.secretariat.fixtures import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(report_a, signatory_a):  # type: ignore[no-untyped-def]
    draft = report_a.versions.get(is_draft=True)
    OilInterdiction.objects.create(
        version=draft, position=1, date=datetime.date(2026, 3, 1), place="Port of Marseille", commodity="crude",
        quantity=100, unit="barrels", direction="to",
    )  # fmt: skip
    report_submit_unchecked(report=report_a, actor=signatory_a)
    report_a.refresh_from_db()
    return report_a


def _open(client, report, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse("secretariat:thread_new", args=[report.pk]), data)


def test_secretariat_opens_a_row_thread_and_both_pages_show_it(client, submitted, secretariat, focal_a):
    client.force_login(secretariat)
    page = client.get(reverse("secretariat:report", args=[submitted.pk])).content.decode()
    assert 'value="row:reports.oilinterdiction:1"' in page
    response = _open(client, submitted, about="row:reports.oilinterdiction:1", body="Which <b>port</b>?")
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert (thread.anchor, thread.row_key) == ("row", "1")
    page = client.get(reverse("secretariat:report", args=[submitted.pk])).content.decode()
    assert "Oil interdictions, row 1" in page and "Port of Marseille" in page
    assert "Which &lt;b&gt;port&lt;/b&gt;?" in page and "<b>port</b>" not in page
    queue = client.get(reverse("secretariat:reports")).content.decode()
    assert 'data-testid="open-threads">1<' in queue
    client.force_login(focal_a)
    page = client.get(reverse("delegation:report", args=[submitted.pk])).content.decode()
    assert "Oil interdictions, row 1" in page and "Which &lt;b&gt;port&lt;/b&gt;?" in page
    assert "only a signatory can submit it" in page


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"about": "report", "body": ""}, 400),
        ({"about": "report", "body": "x" * 20000}, 400),
        ({"about": "row:reports.oilinterdiction:9", "body": "?"}, 400),
        ({"about": "row:reports.user:1", "body": "?"}, 400),
        ({"about": "section:passwords", "body": "?"}, 400),
        ({"about": "measure:-1", "body": "?"}, 400),
        ({"body": "?"}, 400),
    ],
)
def test_bad_questions_get_400_with_a_reason_and_write_nothing(client, submitted, secretariat, data, status):
    client.force_login(secretariat)
    response = _open(client, submitted, **data)
    assert response.status_code == status
    assert 'data-testid="refused"' in response.content.decode()
    assert not Thread.objects.exists() and not ThreadMessage.objects.exists()
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_bad_replies_get_4xx_and_the_text_back(client, submitted, secretariat, focal_a, focal_b):
    thread = thread_open(report=submitted, actor=secretariat, body="Which act?")
    url = reverse("delegation:thread_reply", args=[thread.pk])
    client.force_login(focal_a)
    assert client.post(url, {"body": "", "revision": 1}).status_code == 400
    long = client.post(url, {"body": "y" * 20000, "revision": 1})
    assert long.status_code == 400 and "y" * 20000 in long.content.decode()  # nothing typed is lost
    script = "<script>alert(1)</script>"
    assert client.post(url, {"body": script, "revision": 1}).status_code == 302
    again = client.post(url, {"body": script, "revision": 1})  # double submit
    assert again.status_code == 409 and "&lt;script&gt;" in again.content.decode()
    page = client.get(reverse("delegation:report", args=[submitted.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and script not in page
    assert thread.messages.filter(body=script).count() == 1
    client.force_login(secretariat)
    assert client.post(reverse("secretariat:thread_resolve", args=[thread.pk])).status_code == 302
    told = client.post(reverse("secretariat:thread_resolve", args=[thread.pk]))
    assert told.status_code == 409 and "already resolved" in told.content.decode()
    client.force_login(focal_a)
    resolved = client.post(url, {"body": "Late", "revision": 3})
    assert resolved.status_code == 409 and "resolved" in resolved.content.decode()
    client.force_login(focal_b)  # another State's thread does not exist for it
    assert client.post(url, {"body": "Hello", "revision": 3}).status_code == 404
    assert thread.messages.count() == 2


def test_internal_notes_are_on_no_page_the_state_opens(client, submitted, secretariat, focal_a, signatory_a):
    shared = thread_open(report=submitted, actor=secretariat, body="Public question")
    thread_reply(thread=shared, actor=secretariat, body="SECRET-ASIDE", internal=True)
    note = thread_open(report=submitted, actor=secretariat, body="SECRET-NOTE", internal=True)
    pages = [
        reverse("delegation:report", args=[submitted.pk]),
        reverse("delegation:dashboard"),
        reverse("delegation:history", args=[submitted.pk]),
        reverse("delegation:version", args=[submitted.pk, 1]),
    ]
    for user in (focal_a, signatory_a):
        client.force_login(user)
        for url in pages:
            body = client.get(url).content.decode()
            assert "SECRET" not in body, url
        assert client.post(reverse("delegation:thread_reply", args=[note.pk]), {"body": "x", "revision": 1}).status_code == 404
    client.force_login(secretariat)
    body = client.get(reverse("secretariat:report", args=[submitted.pk])).content.decode()
    assert "SECRET-NOTE" in body and "SECRET-ASIDE" in body


def test_the_state_agrees_through_its_page_and_bad_answers_get_400(client, submitted, secretariat, focal_a, focal_b):
    measure = Measure.objects.filter(resolution=submitted.cycle.obligation.resolution, active=True).order_by("pk").first()
    measure_assess(report=submitted, measure=measure, rating="implemented", actor=secretariat)
    url = reverse("delegation:assessment_answer", args=[submitted.pk, measure.pk])
    client.force_login(focal_a)
    assert client.post(url, {"answer": "agree"}).status_code == 400  # a draft is not open for an answer
    client.force_login(secretariat)
    assert client.post(reverse("secretariat:assessments_share", args=[submitted.pk])).status_code == 302
    assert client.post(reverse("secretariat:assessments_share", args=[submitted.pk])).status_code == 409
    client.force_login(focal_a)
    page = client.get(reverse("delegation:report", args=[submitted.pk])).content.decode()
    assert f'id="assessment-{measure.code}"' in page and "Shared with the State" in page
    assert client.post(url, {"answer": "comment", "comment": ""}).status_code == 400
    assert client.post(url, {"answer": "maybe"}).status_code == 400
    assert client.post(url, {"answer": "agree", "comment": "z" * 20000}).status_code == 400
    assert client.post(url, {"answer": "agree"}).status_code == 302
    client.force_login(focal_b)
    assert client.post(url, {"answer": "comment", "comment": "no"}).status_code == 404
    measure.refresh_from_db()
    assert submitted.assessments.get(measure=measure).state == "agreed"


def _matrix_queries(client, cycle) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("secretariat:matrix", args=[cycle.pk]))
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_matrix_shows_each_assessment_state_at_a_constant_number_of_queries(reference, client, secretariat):
    with time_machine.travel(datetime.datetime(2026, 8, 15, 16, tzinfo=datetime.UTC), tick=False):
        few = build_world()
        client.force_login(secretariat)
        measures = list(Measure.objects.filter(resolution=few.cycle.obligation.resolution, active=True).order_by("pk")[:2])
        fra, deu = few.reports["FRA"], few.reports["DEU"]
        for report in (fra, deu):
            for measure in measures:
                measure_assess(report=report, measure=measure, rating="implemented", actor=secretariat)
        assessments_share(report=fra, actor=secretariat)
        from reports.models import User

        focal = User.objects.filter(state=fra.state).first()
        assert focal is not None
        assessment_respond(report=fra, measure=measures[0], actor=focal, agree=True)
        assessment_respond(report=fra, measure=measures[1], actor=focal, agree=False, comment="No")
        _matrix_queries(client, few.cycle)  # the first request also loads the session and caches
        count_few, page = _matrix_queries(client, few.cycle)
        assert 'data-testid="assessment-legend"' in page
        row = page.split('data-state="FRA"')[1].split("</tr>")[0]
        assert 'data-astate="agreed"' in row and "· agreed" in row and 'data-astate="disputed"' in row
        deu_row = page.split('data-state="DEU"')[1].split("</tr>")[0]
        assert 'data-astate="draft"' in deu_row and "agreed" not in deu_row
        many = build_world(extra_states=20, code="sec-many")
        for report in list(many.reports.values())[:10]:
            if report.current_version_id:
                measure_assess(report=report, measure=measures[0], rating="partial", actor=secretariat)
        count_many, _page = _matrix_queries(client, many.cycle)
    assert count_few == count_many


def test_the_review_page_shows_the_row_as_asked_about_and_as_the_addendum_changed_it(
    client, submitted, secretariat, focal_a, signatory_a
):
    from reports.services.reports import report_open_addendum

    thread_open(
        report=submitted, actor=secretariat, body="Which port?", anchor="row", row_model="reports.oilinterdiction", row_key="1"
    )
    draft = report_open_addendum(report=submitted, actor=focal_a)
    OilInterdiction.objects.filter(version=draft, position=1).update(place="Port of Fos-sur-Mer")
    report_submit_unchecked(report=submitted, actor=signatory_a)
    client.force_login(secretariat)
    page = client.get(reverse("secretariat:report", args=[submitted.pk])).content.decode()
    asked, now = page.split('data-testid="thread-row-now"')
    assert "Port of Marseille" in asked.split('data-testid="thread-row"')[1] and "Port of Fos-sur-Mer" in now
    now = now.split("</dl>")[0]  # only the field that changed, struck through and inserted
    assert re.search(r'<del class="diff-del">.*?Port of Marseille.*?</del> <ins class="diff-ins">.*?Port of Fos-sur-Mer', now)
    assert "Crude oil" not in now and now.count("<dt") == 1


def test_a_double_submitted_question_is_409_and_opens_one_thread(client, submitted, secretariat):
    client.force_login(secretariat)
    assert _open(client, submitted, about="section:oil", body="Which port?").status_code == 302
    again = _open(client, submitted, about="section:oil", body="Which port?")
    assert again.status_code == 409 and "Which port?" in again.content.decode()
    assert Thread.objects.count() == 1


def test_the_review_history_names_a_requests_section_in_words(client, submitted, secretariat):
    thread_open(report=submitted, actor=secretariat, body="Which port?", anchor="section", section="oil")
    client.force_login(secretariat)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("secretariat:report", args=[submitted.pk])).content.decode()
    badge = re.search(r'data-testid="history-section">([^<]*)<', page)
    from django.utils import translation

    from reports.models import Section

    with translation.override("fr"):
        assert badge and badge.group(1) == str(Section.OIL.label) != "oil"
