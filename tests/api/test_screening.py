"""The Sanctions List screening matches through the API: the same matches and counts as the
screening page, checked against hand-written SQL; back office only; cursor pages that neither skip
nor repeat a match, in the page's order; constant queries; bad filters are 400 with a reason."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import MatchStatus, Role, ScreeningMatch, ScreeningRun, TokenScope
from reports.services.screening.runs import screen_all, screening_match_decide
from tests.api.conftest import ApiClient, token_for
from tests.factories import make_report, make_user
from tests.sanctions.conftest import demo_1_bytes, listed  # noqa: F401  (fixtures)
from tests.screening.conftest import aware, submit_parties  # noqa: F401  (aware is a fixture)

pytestmark = pytest.mark.django_db
URL = "/api/v1/screening/matches/"

NAMES_A = ["Abd al-Rahman al-Anizi", "Tariq Samir", "Hamid Yusuf al-Madeupi", "Zeta Shipping Lines"]
NAMES_B = ["Omar Khalid al-Inventi", "Nadir Ismail Qasimov", "Salim Farid al-Imaginari", "عبد الرحمن العنزي"]


def _oracle(where: str = "", params: tuple[Any, ...] = ()) -> list[tuple[str, str, float, str, bool]]:
    """Every match by hand-written SQL, in the page's order: best score, then name, then reference."""
    sql = f"""
        SELECT m.name, e.reference, m.score, m.status, m.listed_after_report
        FROM reports_screeningmatch m JOIN reports_sanctionsentry e ON e.id = m.entry_id
        {where}
        ORDER BY m.score DESC, m.name_key ASC, e.reference ASC
    """  # noqa: S608  (the where clauses are this file's constants)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [(n, r, float(sc), st, bool(la)) for n, r, sc, st, la in cur.fetchall()]


def _walk(api: ApiClient, **params: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    body = api.get(URL, **params).json()
    first, results, url = body, list(body["results"]), body["next"]
    while url:
        body = api.client.get(url).json()
        results += body["results"]
        url = body["next"]
    return first, results


def _rows(results: list[dict[str, Any]]) -> list[tuple[str, str, float, str, bool]]:
    return [(r["name"], r["entry"]["reference"], r["score"], r["status"], r["listed_after_report"]) for r in results]


@pytest.fixture
def matches(listed, state_a, state_b, cycle, monitoring, aware):  # noqa: F811
    """Eight reported names over two States, screened; one match confirmed and one dismissed."""
    submit_parties(make_report(state_a, cycle, None), NAMES_A, when=aware(2014))
    submit_parties(make_report(state_b, cycle, None), NAMES_B, when=aware(2019))
    screen_all(run=ScreeningRun.objects.create(snapshot=listed))
    ordered = list(ScreeningMatch.objects.order_by("-score", "id"))
    assert len(ordered) >= 5, "the fixture must give several candidates"
    screening_match_decide(match_id=ordered[0].pk, status=MatchStatus.CONFIRMED, actor=monitoring, note="Same person")
    screening_match_decide(match_id=ordered[-1].pk, status=MatchStatus.DISMISSED, actor=monitoring, note="")
    return ordered


def test_every_match_as_the_sql_oracle_has_it_in_the_pages_order(matches, secretariat):
    api = ApiClient(token_for(secretariat, TokenScope.READ))
    first, results = _walk(api, page_size=2)  # several pages: none skipped, none repeated
    assert _rows(results) == _oracle()
    assert len({r["id"] for r in results}) == len(results) == len(matches)
    with connection.cursor() as cur:
        cur.execute("SELECT status, COUNT(*) FROM reports_screeningmatch GROUP BY status")
        counted = dict(cur.fetchall())
    assert first["counts"] == {status: counted.get(status, 0) for status in MatchStatus.values}
    confirmed = next(r for r in results if r["status"] == "confirmed")
    assert confirmed["decided_by"] == "mateo" and confirmed["note"] == "Same person" and confirmed["decided_at"]
    assert confirmed["status_label"] == "Confirmed"
    assert confirmed["forms"] and all({"name", "score"} == set(f) for f in confirmed["forms"])


@pytest.mark.parametrize("status", MatchStatus.values)
def test_each_status_equals_the_oracle_and_the_screening_page(matches, secretariat, client, status):
    api = ApiClient(token_for(secretariat, TokenScope.READ))
    _first, results = _walk(api, status=status)
    assert _rows(results) == _oracle("WHERE m.status = %s", (status,))
    client.force_login(secretariat)
    page = client.get(reverse("secretariat:screening"), {"status": status}).content.decode()
    assert [int(pk) for pk in re.findall(r'data-testid="match" data-match="(\d+)"', page)] == [r["id"] for r in results]


def test_filters_by_entry_and_listed_after_report(matches, monitoring):
    api = ApiClient(token_for(monitoring, TokenScope.READ))
    reference = matches[0].entry.reference
    _first, by_entry = _walk(api, entry=reference.lower())
    assert _rows(by_entry) == _oracle("WHERE e.reference = %s", (reference,))
    for flag in (True, False):
        _first, rows = _walk(api, listed_after_report=str(flag).lower())
        assert _rows(rows) == _oracle("WHERE m.listed_after_report = %s", (flag,))


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "maybe"}, "status"), ({"entry": "<script>"}, "entry"), ({"entry": "QDi." + "9" * 40}, "entry")],
)
def test_bad_filters_are_a_problem_with_the_field_never_a_500(matches, secretariat, params, field):
    answer = ApiClient(token_for(secretariat, TokenScope.READ), language="fr").get(URL, **params)
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/problem+json")
    assert field in {e["field"] for e in answer.json()["errors"]}


def test_only_the_back_office_reads_matches(matches, focal_a, committee, client):
    assert ApiClient(token_for(focal_a, TokenScope.READ)).get(URL).status_code == 404
    assert ApiClient(token_for(committee, TokenScope.READ)).get(URL).status_code == 404
    assert client.get(URL).status_code == 401


def test_constant_queries_whatever_the_number_of_matches(listed, state_a, state_b, cycle, secretariat, aware):  # noqa: F811
    api = ApiClient(token_for(secretariat, TokenScope.READ))
    submit_parties(make_report(state_a, cycle, None), NAMES_A[:1], when=aware(2014))
    screen_all(run=ScreeningRun.objects.create(snapshot=listed))
    api.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert api.get(URL).status_code == 200
    submit_parties(make_report(state_b, cycle, None), NAMES_B, when=aware(2019))
    screen_all(run=ScreeningRun.objects.create(snapshot=listed))
    assert ScreeningMatch.objects.count() >= 4
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(URL).json()["results"]) >= 4
    assert len(many) == len(few)


def test_an_expert_token_sees_what_a_secretariat_token_sees(matches, secretariat, reference):
    expert = make_user(Role.MONITORING, None, "expert-2")
    assert _walk(ApiClient(token_for(expert, TokenScope.READ)))[1] == _walk(ApiClient(token_for(secretariat, TokenScope.READ)))[1]


def test_each_match_names_the_reports_behind_it_as_sql_does(matches, secretariat, client):
    """The drill-down: a match lists the reports whose current version names the party (SQL oracle),
    and the screening page links to the same reports."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT DISTINCT pm.normalized_name, r.id, s.iso3
            FROM reports_partymention pm
            JOIN reports_report r ON r.current_version_id = pm.version_id
            JOIN reports_memberstate s ON s.id = r.state_id
            """
        )
        oracle: dict[str, set[tuple[int, str]]] = {}
        for key, report_id, iso3 in cur.fetchall():
            oracle.setdefault(key, set()).add((report_id, iso3))
    _first, results = _walk(ApiClient(token_for(secretariat, TokenScope.READ)))
    got = {r["normalized_name"]: {(x["report"], x["state"]) for x in r["reports"]} for r in results}
    assert got == {r["normalized_name"]: oracle[r["normalized_name"]] for r in results}
    assert {iso3 for pairs in got.values() for _id, iso3 in pairs} == {"FRA", "DEU"}  # both States' reports
    client.force_login(secretariat)
    page = client.get(reverse("secretariat:screening"), {"status": "candidate"}).content.decode()
    cells = re.findall(r'data-testid="reporters">(.*?)</td>', page, flags=re.S)
    linked = {int(pk) for cell in cells for pk in re.findall(r'href="/secretariat/reports/(\d+)/"', cell)}
    assert linked == {x["report"] for r in results if r["status"] == "candidate" for x in r["reports"]}
