"""POST /api/v1/reports/: a delegation starts its State's report for a cycle, as the dashboard's
"Start the report" does (the same service, report_open, the same rules); optionally from its last
report (the carry-over service). Figures are read back with SQL, not through the service."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from reports.models import AuditEvent, ChecklistAnswer, Measure, OilInterdiction, Role, TokenScope
from reports.services.event_reports import event_report_open
from reports.services.reports import version_freeze
from tests.api.conftest import ApiClient, token_for
from tests.delegation import draft_of
from tests.factories import make_report, make_user, open_cycle, signatory_of

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports/"


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


def rows(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def reports_of(iso3: str, cycle_id: int) -> list[tuple[Any, ...]]:
    """(report id, status, its versions as (number, is_draft)) for the State and cycle."""
    found = rows(
        "SELECT r.id, r.status FROM reports_report r JOIN reports_memberstate s ON s.id = r.state_id "
        "WHERE s.iso3 = %s AND r.cycle_id = %s",
        iso3,
        cycle_id,
    )
    return [
        (pk, status, rows("SELECT number, is_draft FROM reports_reportversion WHERE report_id = %s ORDER BY number", pk))
        for pk, status in found
    ]


@pytest.fixture
def second_cycle(reference):  # type: ignore[no-untyped-def]
    return open_cycle("second-cycle", due=datetime.date(2027, 1, 31))


def test_a_focal_point_starts_its_report_with_an_open_draft(fra_api, focal_fra, second_cycle):
    answer = fra_api.post(REPORTS, {"cycle": second_cycle.pk})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    [(pk, status, versions)] = reports_of("FRA", second_cycle.pk)
    assert body["id"] == pk and body["state"] == "FRA" and body["cycle"] == second_cycle.pk
    assert body["created"] is True and body["carried_over"] == 0 and body["status"] == status == "draft"
    assert versions == [(1, True)]
    assert answer["Location"] == f"/api/v1/reports/{pk}/"
    # Its draft is the API's to write at once.
    assert fra_api.get(f"/api/v1/reports/{pk}/draft/").json()["revision"] == 0
    # Audited: the request and the creation, as the page records it.
    assert AuditEvent.objects.filter(action="report_create", actor=focal_fra, object_id=str(pk)).count() == 1
    requests = AuditEvent.objects.filter(action="api_request", actor=focal_fra).order_by("id")
    assert [(e.detail["method"], e.detail["status"]) for e in requests] == [("POST", 201), ("GET", 200)]


def test_starting_again_answers_the_report_already_started(fra_api, focal_fra, second_cycle, client):
    first = fra_api.post(REPORTS, {"cycle": second_cycle.pk}).json()
    again = fra_api.post(REPORTS, {"cycle": second_cycle.pk})
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["created"] is False
    assert len(reports_of("FRA", second_cycle.pk)) == 1
    assert AuditEvent.objects.filter(action="report_create", object_id=str(first["id"])).count() == 1
    # The page's button continues the same report.
    client.force_login(focal_fra)
    response = client.post(reverse("delegation:start", args=[second_cycle.pk]))
    assert response["Location"] == reverse("delegation:edit", args=[first["id"]])
    assert len(reports_of("FRA", second_cycle.pk)) == 1


def test_a_report_started_on_the_page_is_answered_as_it_is(fra_api, report_fra, signatory_a):
    from reports.services.reports import report_submit_unchecked

    report_submit_unchecked(report=report_fra, actor=signatory_a)
    answer = fra_api.post(REPORTS, {"cycle": report_fra.cycle_id})
    assert answer.status_code == 200
    assert answer.json()["id"] == report_fra.pk and answer.json()["status"] == "submitted"
    assert reports_of("FRA", report_fra.cycle_id)[0][2] == [(1, False)]  # no draft opened


def test_a_signatory_starts_it_too(state_a, second_cycle):
    api = ApiClient(token_for(signatory_of(state_a)))
    assert api.post(REPORTS, {"cycle": second_cycle.pk}).status_code == 201


def test_only_a_cycle_open_to_the_state_and_the_same_answer_for_each_other(fra_api, reference, focal_rus, russia):
    not_yet = open_cycle("not-open-yet", due=datetime.date(2027, 6, 30))  # opens 2027-03-02
    russian_event = event_report_open(state=russia, actor=focal_rus, event_date=datetime.date(2026, 11, 1)).cycle
    messages = set()
    for cycle_id in (not_yet.pk, russian_event.pk, 999_999):
        answer = fra_api.post(REPORTS, {"cycle": cycle_id})
        assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
        [error] = answer.json()["errors"]
        assert error["field"] == "cycle"
        messages.add(error["message"])
        assert not reports_of("FRA", cycle_id)
    assert len(messages) == 1  # another State's cycle looks like one that does not exist


def test_read_tokens_get_403_and_other_roles_404(focal_fra, secretariat, monitoring, committee, second_cycle):
    assert ApiClient(token_for(focal_fra, TokenScope.READ)).post(REPORTS, {"cycle": second_cycle.pk}).status_code == 403
    for user in (secretariat, monitoring, committee):
        for scope in (TokenScope.READ, TokenScope.READ_WRITE_DRAFT):
            answer = ApiClient(token_for(user, scope)).post(REPORTS, {"cycle": second_cycle.pk})
            assert answer.status_code == 404, (user.role, scope)
            assert answer["Content-Type"] == "application/problem+json"
    assert not reports_of("FRA", second_cycle.pk)


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "cycle"),
        ({"cycle": "second"}, "cycle"),
        ({"cycle": -3}, "cycle"),
        ({"cycle": 2**70}, "cycle"),
        ({"cycle": None}, "cycle"),
        ({"cycle": 1, "carry_over": "perhaps"}, "carry_over"),
        ([1], ""),
    ],
)
def test_malformed_bodies_are_400_naming_the_field(fra_api, second_cycle, body, field):
    answer = fra_api.post(REPORTS, body)
    assert answer.status_code == 400
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert not reports_of("FRA", second_cycle.pk)


@pytest.fixture
def last_report(state_a, focal_fra, cycle):  # type: ignore[no-untyped-def]
    """France's submitted report of an earlier cycle: three answers and an oil row."""
    earlier = open_cycle("earlier-cycle", due=datetime.date(2026, 6, 30))
    version = draft_of(make_report(state_a, earlier, focal_fra))
    measures = list(Measure.objects.filter(resolution=cycle.obligation.resolution, active=True).order_by("order", "code"))
    for index, measure in enumerate(measures[:3]):
        ChecklistAnswer.objects.create(
            version=version, measure=measure, answer="in_place", legal_reference=f"Act {index}",
            narrative=f"Narrative {index}", evidence_location="Annex 2",
        )  # fmt: skip
    OilInterdiction.objects.create(
        version=version, date=datetime.date(2026, 5, 1), place="Old", commodity="crude", quantity=1, unit="barrels",
        direction="to",
    )  # fmt: skip
    return version_freeze(version=version, actor=focal_fra), measures


def test_carry_over_starts_the_draft_from_the_last_report(fra_api, focal_fra, second_cycle, last_report):
    _source, measures = last_report
    answer = fra_api.post(REPORTS, {"cycle": second_cycle.pk, "carry_over": True})
    assert answer.status_code == 201
    [(pk, _status, _versions)] = reports_of("FRA", second_cycle.pk)
    copied = rows(
        "SELECT m.code, a.answer, a.legal_reference, a.narrative, a.evidence_location FROM reports_checklistanswer a "
        "JOIN reports_measure m ON m.id = a.measure_id JOIN reports_reportversion v ON v.id = a.version_id "
        "WHERE v.report_id = %s AND v.is_draft AND a.carried_over ORDER BY m.code",
        pk,
    )
    expected = sorted((m.code, "in_place", f"Act {i}", f"Narrative {i}", "") for i, m in enumerate(measures[:3]))
    assert copied == expected
    assert answer.json()["carried_over"] == len(expected) == 3
    assert not rows(
        "SELECT 1 FROM reports_oilinterdiction o JOIN reports_reportversion v ON v.id = o.version_id WHERE v.report_id = %s", pk
    )
    assert AuditEvent.objects.filter(action="draft_carry_over", actor=focal_fra).count() == 1


def test_carry_over_with_nothing_to_start_from_starts_nothing(fra_api, second_cycle):
    answer = fra_api.post(REPORTS, {"cycle": second_cycle.pk, "carry_over": True})
    assert answer.status_code == 400
    [error] = answer.json()["errors"]
    assert error["field"] == "carry_over" and "no submitted report to start from" in error["message"]
    assert not reports_of("FRA", second_cycle.pk)  # the report is not started either
    assert not AuditEvent.objects.filter(action="report_create").exists()


def test_carry_over_leaves_a_report_already_started_alone(fra_api, report_fra, last_report):
    draft = draft_of(report_fra)
    answer = fra_api.post(REPORTS, {"cycle": report_fra.cycle_id, "carry_over": True})
    assert answer.status_code == 200 and answer.json()["carried_over"] == 0
    assert not ChecklistAnswer.objects.filter(version=draft).exists()
    draft.refresh_from_db()
    assert draft.revision == 0


def test_a_back_office_user_with_a_state_cannot_start_anything(reference, state_a, second_cycle):
    # A user moved from a delegation to the Secretariat keeps a State on the record: the role decides.
    moved = make_user(Role.SECRETARIAT, state_a, "moved")
    assert ApiClient(token_for(moved)).post(REPORTS, {"cycle": second_cycle.pk}).status_code == 404
    assert not reports_of("FRA", second_cycle.pk)
