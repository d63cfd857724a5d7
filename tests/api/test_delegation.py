"""A delegation's token: its own State's draft, read and written through the editor's rules; nothing of another State."""

from __future__ import annotations

import pytest

from reports.models import AuditEvent, DraftInput, OilInterdiction, TokenScope
from reports.services.reports import report_open_addendum, report_submit_unchecked
from tests.api.conftest import ApiClient, token_for
from tests.delegation import OIL_ROW, draft_of
from tests.factories import signatory_of

pytestmark = pytest.mark.django_db


def _oil(report_id: int) -> str:
    return f"/api/v1/reports/{report_id}/draft/registers/oil/"


def test_focal_fra_writes_rows_into_france_draft(fra_api, report_fra):
    draft = draft_of(report_fra)
    answer = fra_api.post(_oil(report_fra.pk), {"revision": draft.revision, "rows": [OIL_ROW, {**OIL_ROW, "place": "Mersin"}]})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["error_count"] == 0 and body["revision"] == draft.revision + 1
    stored = list(OilInterdiction.objects.filter(version=draft).order_by("position", "id"))
    assert [row.place for row in stored] == ["Port of Ceyhan", "Mersin"]
    assert [row["id"] for row in body["rows"]] == [row.pk for row in stored]
    assert stored[0].origin.iso3 == "IRQ" and [s.iso3 for s in stored[0].transit_route] == ["TUR"]
    # The same row read back, as stored.
    page = fra_api.get(_oil(report_fra.pk)).json()
    assert [row["place"] for row in page["results"]] == ["Port of Ceyhan", "Mersin"]
    assert page["results"][0]["transit"] == ["TUR"]


def test_row_with_errors_is_kept_as_typed_like_the_editor(fra_api, report_fra):
    draft = draft_of(report_fra)
    bad = {**OIL_ROW, "quantity": "-5", "origin": "Atlantis"}
    body = fra_api.post(_oil(report_fra.pk), {"revision": draft.revision, "rows": [OIL_ROW, bad]}).json()
    assert body["error_count"] == 1
    assert {e["field"] for e in body["errors"]} == {"rows[1].quantity", "rows[1].origin"}
    assert body["rows"][1]["id"] is None and body["rows"][1]["draft_key"].startswith("n")
    assert OilInterdiction.objects.filter(version=draft).count() == 1
    kept = DraftInput.objects.get(version=draft, section="oil")
    assert kept.data["rows"][0]["values"]["quantity"] == ["-5"]  # nothing typed is lost
    # Corrected under its draft key, it replaces the kept row.
    fixed = {**bad, "quantity": "5", "origin": "IRQ", "draft_key": body["rows"][1]["draft_key"]}
    again = fra_api.post(_oil(report_fra.pk), {"revision": body["revision"], "rows": [fixed]}).json()
    assert again["error_count"] == 0
    assert not DraftInput.objects.filter(version=draft, section="oil").exists()
    assert OilInterdiction.objects.filter(version=draft).count() == 2


def test_rows_are_changed_and_removed_by_id(fra_api, report_fra):
    draft = draft_of(report_fra)
    body = fra_api.post(_oil(report_fra.pk), {"revision": draft.revision, "rows": [OIL_ROW, OIL_ROW]}).json()
    first, second = (row["id"] for row in body["rows"])
    body = fra_api.post(
        _oil(report_fra.pk),
        {"revision": body["revision"], "rows": [{**OIL_ROW, "id": first, "place": "Basra"}, {"id": second, "delete": True}]},
    ).json()
    assert body["error_count"] == 0
    assert list(OilInterdiction.objects.filter(version=draft).values_list("pk", "place")) == [(first, "Basra")]


def test_stale_revision_gets_409_with_the_current_one(fra_api, report_fra):
    draft = draft_of(report_fra)
    fra_api.post(_oil(report_fra.pk), {"revision": draft.revision, "rows": [OIL_ROW]})
    answer = fra_api.post(_oil(report_fra.pk), {"revision": draft.revision, "rows": [OIL_ROW]})
    assert answer.status_code == 409
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["current_revision"] == draft.revision + 1
    assert OilInterdiction.objects.filter(version=draft).count() == 1


def test_checklist_answers_through_the_editor_form(fra_api, report_fra):
    draft = draft_of(report_fra)
    answers = fra_api.get(f"/api/v1/reports/{report_fra.pk}/draft/checklist/").json()["answers"]
    first, second = answers[0]["measure"], answers[1]["measure"]
    body = fra_api.put(
        f"/api/v1/reports/{report_fra.pk}/draft/checklist/",
        {
            "revision": draft.revision,
            "answers": [
                {"measure": first, "answer": "in_place", "legal_reference": "Code pénal, art. 421-2-2"},
                {"measure": second, "answer": "maybe"},
            ],
        },
    ).json()
    assert body["saved"] == 1 and body["error_count"] == 1
    assert body["errors"][0]["field"] == "answers[1].answer" and body["errors"][0]["code"] == "invalid_choice"
    after = {a["measure"]: a for a in fra_api.get(f"/api/v1/reports/{report_fra.pk}/draft/checklist/").json()["answers"]}
    assert after[first]["answer"] == "in_place"
    assert after[second]["kept_as_typed"]["answer"] == "maybe"
    unknown = fra_api.put(
        f"/api/v1/reports/{report_fra.pk}/draft/checklist/", {"revision": body["revision"], "answers": [{"measure": "NOPE"}]}
    )
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "answers[0].measure"


def test_cannot_read_russia_anything(fra_api, report_fra, report_rus, focal_rus):
    # Russia has a submitted version 1 and an open addendum (version 2): neither may show.
    signatory = signatory_of(report_rus.state)
    report_submit_unchecked(report=report_rus, actor=signatory)
    report_open_addendum(report=report_rus, actor=signatory)
    rus_draft = draft_of(report_rus)
    assert ApiClient(token_for(focal_rus)).get(f"/api/v1/reports/{report_rus.pk}/versions/1/").status_code == 200
    paths = [
        f"/api/v1/reports/{report_rus.pk}/",
        f"/api/v1/reports/{report_rus.pk}/versions/",
        f"/api/v1/reports/{report_rus.pk}/versions/1/",
        f"/api/v1/reports/{report_rus.pk}/draft/",
        f"/api/v1/reports/{report_rus.pk}/draft/checklist/",
        *[f"/api/v1/reports/{report_rus.pk}/draft/registers/{s}/" for s in ("oil", "assets", "cultural", "ransom", "str")],
    ]
    for path in paths:
        answer = fra_api.get(path)
        assert answer.status_code == 404, path
        assert answer["Content-Type"] == "application/problem+json"
    assert fra_api.post(_oil(report_rus.pk), {"revision": rus_draft.revision, "rows": [OIL_ROW]}).status_code == 404
    assert not OilInterdiction.objects.filter(version=rus_draft).exists()
    listed = fra_api.get("/api/v1/reports/").json()["results"]
    assert {r["state"] for r in listed} == {"FRA"}
    # Back-office endpoints do not exist for a delegation.
    assert fra_api.get(f"/api/v1/cycles/{report_rus.cycle_id}/status/").status_code == 404
    assert fra_api.get("/api/v1/parties/").status_code == 404


def test_read_scope_cannot_write(focal_fra, report_fra):
    api = ApiClient(token_for(focal_fra, TokenScope.READ))
    draft = draft_of(report_fra)
    assert api.get(_oil(report_fra.pk)).status_code == 200
    answer = api.post(_oil(report_fra.pk), {"revision": draft.revision, "rows": [OIL_ROW]})
    assert answer.status_code == 403 and answer["Content-Type"] == "application/problem+json"
    assert not OilInterdiction.objects.filter(version=draft).exists()


def test_back_office_token_cannot_write_a_draft(secretariat, report_fra):
    api = ApiClient(token_for(secretariat, TokenScope.READ_WRITE_DRAFT))
    assert api.post(_oil(report_fra.pk), {"revision": 0, "rows": [OIL_ROW]}).status_code == 404


def test_submitted_draft_cannot_change(fra_api, report_fra, signatory_a):
    draft = draft_of(report_fra)
    report_submit_unchecked(report=report_fra, actor=signatory_a)
    answer = fra_api.post(_oil(report_fra.pk), {"revision": draft.revision, "rows": [OIL_ROW]})
    assert answer.status_code == 404  # no open draft
    version = fra_api.get(f"/api/v1/reports/{report_fra.pk}/versions/1/").json()
    assert len(version["content_sha256"]) == 64 and version["content"] is not None and not version["is_draft"]


def test_there_is_no_submit_endpoint(fra_api, report_fra):
    from django.urls import get_resolver

    names = [str(p.pattern) for p in get_resolver().url_patterns if "api" in str(p.pattern)]
    assert names
    schema = fra_api.client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert not [path for path in schema["paths"] if "submit" in path or "file" in path]
    assert "cannot submit" in schema["info"]["description"]


def test_every_use_is_audited(fra_api, report_fra, focal_fra):
    fra_api.get(f"/api/v1/reports/{report_fra.pk}/draft/")
    fra_api.get("/api/v1/reports/999999/")
    events = list(AuditEvent.objects.filter(action="api_request", actor=focal_fra).order_by("id"))
    assert [(e.detail["method"], e.detail["status"]) for e in events] == [("GET", 200), ("GET", 404)]
    assert events[0].object_type == "ApiToken"


def test_messages_in_the_requests_language(focal_fra, report_fra):
    api = ApiClient(token_for(focal_fra), language="fr")
    draft = draft_of(report_fra)
    body = api.post(_oil(report_fra.pk), {"revision": draft.revision, "rows": [{**OIL_ROW, "quantity": "-1"}]}).json()
    assert "supérieure ou égale à 0" in body["errors"][0]["message"]
    missing = api.get("/api/v1/reports/999999/")
    assert missing.json()["title"] != "Not found." and missing["Content-Language"] == "fr"


@pytest.mark.parametrize(
    "body",
    [
        [],
        "text",
        {"revision": "x", "rows": []},
        {"revision": 0, "rows": "x"},
        {"revision": 0, "rows": [1]},
        {"revision": -1, "rows": []},
    ],
)
def test_malformed_bodies_are_400_with_fields(fra_api, report_fra, body):
    answer = fra_api.post(_oil(report_fra.pk), body)
    assert answer.status_code == 400
    assert answer.json()["errors"]


def test_hostile_values_are_refused_or_kept_never_500(fra_api, report_fra):
    draft = draft_of(report_fra)
    rows = [
        {**OIL_ROW, "place": "<script>alert(1)</script>"},
        {**OIL_ROW, "quantity": 1e308, "value": [1, 2], "date": {"a": 1}},
        {**OIL_ROW, "id": 2**70},
        {**OIL_ROW, "returned": None, "transit": ["FRA", "DEU"]},
    ]
    answer = fra_api.post(_oil(report_fra.pk), {"revision": draft.revision, "rows": rows})
    assert answer.status_code == 200
    too_long = fra_api.post(
        _oil(report_fra.pk), {"revision": answer.json()["revision"], "rows": [{**OIL_ROW, "place": "x" * 201}]}
    )
    assert too_long.status_code == 400 and too_long.json()["errors"][0]["field"] == "rows[0].place"


def test_nul_characters_are_refused_whole(fra_api, report_fra):
    draft = draft_of(report_fra)
    answer = fra_api.post(_oil(report_fra.pk), {"revision": draft.revision, "rows": [{**OIL_ROW, "place": "a\x00b"}]})
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
    assert not OilInterdiction.objects.filter(version=draft).exists()
    query = fra_api.get(_oil(report_fra.pk), cursor="a\x00")
    assert query.status_code == 400 and query["Content-Type"] == "application/problem+json"
