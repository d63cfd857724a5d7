"""The review page: candidates with score and forms, confirm / dismiss by the Monitoring Team, two experts at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import AuditEvent, MatchStatus, Role, ScreeningMatch, ScreeningRun
from reports.services.screening.runs import screen_all
from tests.factories import make_user
from tests.mfa import totp_give

from .conftest import submit_parties

URL = reverse("secretariat:screening")
DECIDE = reverse("secretariat:screening_decide")


@pytest.fixture
def candidate(listed, report_a, aware):  # type: ignore[no-untyped-def]
    submit_parties(report_a, ["Abd al-Rahman al-Anizi", "Tariq Samir"], when=aware(2014))
    screen_all(run=ScreeningRun.objects.create(snapshot=listed))
    return ScreeningMatch.objects.select_related("entry").get(name="Abd al-Rahman al-Anizi")


@pytest.mark.django_db
def test_review_page_lists_candidates_with_score_and_forms(client, monitoring, candidate, django_assert_max_num_queries):
    client.force_login(monitoring)
    with django_assert_max_num_queries(20):
        page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Abd al-Rahman al-Anizi" in html and "QDi.901" in html and 'name="decision"' in html
    assert f"{candidate.score:.1f}" in html


@pytest.mark.django_db
def test_page_costs_the_same_queries_with_many_matches(
    client, monitoring, listed, report_a, report_b, aware, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(monitoring)
    submit_parties(report_a, ["Abd al-Rahman al-Anizi"], when=aware(2014))
    screen_all(run=ScreeningRun.objects.create(snapshot=listed))
    client.get(URL)  # warm-up: the first request of a session costs more
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    submit_parties(report_b, ["Hamid Yusuf al-Madeupi", "Omar Khalid al-Inventi", "Nadir Ismail Qasimov"], when=aware(2019))
    screen_all(run=ScreeningRun.objects.create(snapshot=listed))
    assert ScreeningMatch.objects.count() >= 3
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_expert_confirms_and_the_decision_is_audited(client, monitoring, candidate):
    client.force_login(monitoring)
    done = client.post(DECIDE, {"match": candidate.pk, "decision": "confirmed", "expected": "candidate", "note": "same DOB"})
    assert done.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == MatchStatus.CONFIRMED and candidate.decided_by == monitoring and candidate.note == "same DOB"
    assert AuditEvent.objects.filter(action="screening_match_confirmed", actor=monitoring).count() == 1


@pytest.mark.django_db
def test_two_experts_at_once_the_second_is_told_and_nothing_changes(client, monitoring, candidate):
    other = totp_give(make_user(Role.MONITORING, username="expert-2"))
    form = {"match": candidate.pk, "expected": "candidate"}
    client.force_login(monitoring)
    client.post(DECIDE, {**form, "decision": "dismissed"})
    client.force_login(other)
    answer = client.post(DECIDE, {**form, "decision": "confirmed"}, follow=True)
    shown = [str(m) for m in answer.context["messages"]]
    assert any("has already decided this match" in m for m in shown), (answer.redirect_chain, shown)
    candidate.refresh_from_db()
    assert candidate.status == MatchStatus.DISMISSED and candidate.decided_by == monitoring


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form",
    [
        {},
        {"match": "abc", "decision": "confirmed", "expected": "candidate"},
        {"match": "1", "decision": "<script>", "expected": "candidate"},
        {"match": "999999", "decision": "confirmed", "expected": "candidate"},
        {"match": "1", "decision": "confirmed", "expected": "candidate", "note": "x" * 3000},
    ],
)
def test_bad_decisions_are_refused_with_a_reason_never_a_500(client, monitoring, candidate, form):
    client.force_login(monitoring)
    answer = client.post(DECIDE, form, follow=True)
    assert answer.status_code == 200
    candidate.refresh_from_db()
    assert candidate.status == MatchStatus.CANDIDATE


@pytest.mark.django_db
def test_secretariat_reads_but_may_not_decide(client, secretariat, candidate):
    client.force_login(secretariat)
    page = client.get(URL)
    assert page.status_code == 200 and 'name="decision"' not in page.content.decode()
    assert client.post(DECIDE, {"match": candidate.pk, "decision": "confirmed", "expected": "candidate"}).status_code == 404


@pytest.mark.django_db
def test_rescreen_button_queues_a_run(client, secretariat, candidate, django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("secretariat:screening_rerun"))
    assert ScreeningRun.objects.filter(requested_by=secretariat, status="done").exists()


@pytest.mark.django_db
def test_entry_page_counts_drill_down_to_that_entrys_matches(client, secretariat, listed, report_a, report_b, aware):
    """The entry page counts its matches per status (SQL oracle); each count links to the
    screening page narrowed to that entry, which lists exactly those matches."""
    import re

    from django.db import connection

    submit_parties(report_a, ["Abd al-Rahman al-Anizi", "Tariq Samir"], when=aware(2014))
    submit_parties(report_b, ["عبد الرحمن العنزي", "Abdulrahman Al Enezi"], when=aware(2016))
    screen_all(run=ScreeningRun.objects.create(snapshot=listed))
    entry = ScreeningMatch.objects.get(name="Abd al-Rahman al-Anizi").entry
    with connection.cursor() as cur:
        cur.execute(
            "SELECT m.id, m.status FROM reports_screeningmatch m JOIN reports_sanctionsentry e ON e.id = m.entry_id"
            " WHERE e.reference = %s",
            [entry.reference],
        )
        oracle = cur.fetchall()
    assert len(oracle) >= 2, "two spellings of one listed name: two matches with that entry"
    assert ScreeningMatch.objects.exclude(entry=entry).exists(), "and another entry's match, to be left out"
    client.force_login(secretariat)
    html = client.get(reverse("secretariat:sanctions_entry", args=[entry.reference])).content.decode()
    links = dict(re.findall(r'href="([^"]+)" data-status="candidate">[^<]*: (\d+)<', html))
    (link, count), *_ = links.items()
    assert int(count) == sum(1 for _id, status in oracle if status == "candidate")
    listed_page = client.get(link.replace("&amp;", "&")).content.decode()
    assert {int(pk) for pk in re.findall(r'data-testid="match" data-match="(\d+)"', listed_page)} == {
        pk for pk, status in oracle if status == "candidate"
    }
    assert 'data-testid="entry-filter"' in listed_page
    # A bad reference in the address narrows nothing and is no error.
    assert client.get(URL, {"entry": "<script>"}).status_code == 200
