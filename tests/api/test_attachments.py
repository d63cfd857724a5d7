"""A report's attachments through the API: listed and streamed through the pages' gate, with the
page download's headers; nothing of another State, nothing the Secretariat may not read yet.
Who may read what is recomputed with SQL (the oracle), not through the gate."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import Attachment, AuditEvent, Report, TokenScope
from reports.services.attachments import attachment_add
from reports.services.reports import report_open_addendum, report_submit_unchecked
from tests.api.conftest import ApiClient, token_for
from tests.delegation import draft_of, pdf_bytes, png_bytes
from tests.factories import make_report, signatory_of

pytestmark = pytest.mark.django_db


def attach(report: Report, name: str, content: bytes, actor: Any) -> Attachment:
    return attachment_add(version=draft_of(report), actor=actor, upload=SimpleUploadedFile(name, content))


def ids(sql: str, *params: Any) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


ALL_OF_REPORT = "SELECT a.id FROM reports_attachment a JOIN reports_reportversion v ON v.id = a.version_id WHERE v.report_id = %s"
SUBMITTED_OF_REPORT = ALL_OF_REPORT + " AND NOT v.is_draft"


@pytest.fixture
def world(state_b, cycle, focal_fra, report_fra, report_rus, focal_rus):  # type: ignore[no-untyped-def]
    """France: law.pdf in version 1 (submitted), copied into the open addendum (version 2) with
    annex.png. Russia: decree.pdf, submitted. Germany: draft.pdf in a draft never submitted."""
    fra_signatory = signatory_of(report_fra.state)
    attach(report_fra, "law.pdf", pdf_bytes(), focal_fra)
    report_submit_unchecked(report=report_fra, actor=fra_signatory)
    report_open_addendum(report=report_fra, actor=fra_signatory)
    annex = attach(report_fra, "annex.png", png_bytes(), focal_fra)
    decree = attach(report_rus, "decree.pdf", pdf_bytes(), focal_rus)
    report_submit_unchecked(report=report_rus, actor=signatory_of(report_rus.state))
    german = make_report(state_b, cycle)
    german_draft = attach(german, "draft.pdf", pdf_bytes(), german.versions.get().updated_by)
    law_v1 = Attachment.objects.get(version__report=report_fra, version__number=1)
    return {"fra": report_fra, "rus": report_rus, "deu": german, "law_v1": law_v1, "annex": annex, "decree": decree,
            "german_draft": german_draft}  # fmt: skip


def listed(api: ApiClient, report: Report, **params: Any) -> list[dict[str, Any]]:
    answer = api.get(f"/api/v1/reports/{report.pk}/attachments/", **params)
    assert answer.status_code == 200, answer.content
    return list(answer.json()["results"])


def test_a_delegation_lists_its_reports_attachments_drafts_included(fra_api, world):
    rows = listed(fra_api, world["fra"])
    assert {row["id"] for row in rows} == ids(ALL_OF_REPORT, world["fra"].pk)
    assert len(rows) == 3  # law.pdf in versions 1 and 2, annex.png in version 2
    assert sorted((row["version"], row["name"], row["is_draft"]) for row in rows) == [
        (1, "law.pdf", False),
        (2, "annex.png", True),
        (2, "law.pdf", True),
    ]
    annex = next(row for row in rows if row["name"] == "annex.png")
    assert annex["content_type"] == "image/png" and annex["size"] == len(png_bytes()) and annex["report"] == world["fra"].pk
    assert annex["sha256"] == world["annex"].sha256
    assert annex["download"] == f"/api/v1/reports/{world['fra'].pk}/attachments/{world['annex'].pk}/"
    assert [row["name"] for row in listed(fra_api, world["fra"], version=1)] == ["law.pdf"]


def test_the_back_office_lists_the_submitted_versions_attachments_only(secretariat, monitoring, world):
    for user in (secretariat, monitoring):
        api = ApiClient(token_for(user, TokenScope.READ))
        assert {row["id"] for row in listed(api, world["fra"])} == ids(SUBMITTED_OF_REPORT, world["fra"].pk)
        assert {row["id"] for row in listed(api, world["rus"])} == {world["decree"].pk}
        assert api.get(f"/api/v1/reports/{world['deu'].pk}/attachments/").status_code == 404  # a draft-only report
        # The open addendum's files are the State's until it is submitted.
        assert api.get(f"/api/v1/reports/{world['fra'].pk}/attachments/{world['annex'].pk}/").status_code == 404
        assert api.get(f"/api/v1/reports/{world['fra'].pk}/attachments/{world['law_v1'].pk}/").status_code == 200


def test_the_file_streams_with_the_page_downloads_headers(client, fra_api, focal_fra, world):
    law = world["law_v1"]
    answer = fra_api.get(f"/api/v1/reports/{world['fra'].pk}/attachments/{law.pk}/")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == pdf_bytes()
    client.force_login(focal_fra)
    page = client.get(reverse("delegation:attachment_download", args=[law.pk]))
    b"".join(page.streaming_content)
    for header in ("Content-Type", "Content-Disposition", "X-Content-Type-Options", "Content-Security-Policy", "Cache-Control"):
        assert answer[header] == page[header], header
    assert answer["Content-Disposition"] == 'attachment; filename="law.pdf"'
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in answer["Cache-Control"]
    events = AuditEvent.objects.filter(actor=focal_fra, action="attachment_download", object_id=str(law.pk))
    assert events.count() == 2  # the API's and the page's
    assert AuditEvent.objects.filter(actor=focal_fra, action="api_request").latest("id").detail["status"] == 200


def test_the_file_is_served_whatever_the_client_accepts(fra_api, world):
    path = f"/api/v1/reports/{world['fra'].pk}/attachments/{world['law_v1'].pk}/"
    for accept in ("application/pdf", "application/json", "*/*"):
        answer = fra_api.client.get(path, HTTP_ACCEPT=accept)
        assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf", accept
    missing = fra_api.client.get(f"/api/v1/reports/{world['fra'].pk}/attachments/999999/", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


def test_nothing_of_another_state(fra_api, world):
    fra, rus, deu = world["fra"], world["rus"], world["deu"]
    paths = [
        f"/api/v1/reports/{rus.pk}/attachments/",
        f"/api/v1/reports/{rus.pk}/attachments/{world['decree'].pk}/",
        f"/api/v1/reports/{deu.pk}/attachments/{world['german_draft'].pk}/",
        # Another State's file under one's own report.
        f"/api/v1/reports/{fra.pk}/attachments/{world['decree'].pk}/",
        f"/api/v1/reports/{fra.pk}/attachments/{world['german_draft'].pk}/",
        # One's own file under another State's report.
        f"/api/v1/reports/{rus.pk}/attachments/{world['law_v1'].pk}/",
    ]
    for path in paths:
        answer = fra_api.get(path)
        assert answer.status_code == 404, path
        assert answer["Content-Type"] == "application/problem+json"
    assert not AuditEvent.objects.filter(action="attachment_download").exists()


def test_a_file_of_another_report_of_the_same_state_is_404_under_this_one(fra_api, focal_fra, state_a, world):
    from tests.factories import open_cycle

    other = make_report(state_a, open_cycle("other-cycle"), focal_fra)
    theirs = attach(other, "other.pdf", pdf_bytes(), focal_fra)
    assert fra_api.get(f"/api/v1/reports/{world['fra'].pk}/attachments/{theirs.pk}/").status_code == 404
    assert fra_api.get(f"/api/v1/reports/{other.pk}/attachments/{theirs.pk}/").status_code == 200


def test_read_tokens_read_and_the_committee_has_no_api(focal_fra, committee, world):
    api = ApiClient(token_for(focal_fra, TokenScope.READ))
    assert len(listed(api, world["fra"])) == 3
    committee_api = ApiClient(token_for(committee, TokenScope.READ))
    assert committee_api.get(f"/api/v1/reports/{world['rus'].pk}/attachments/").status_code == 404


@pytest.mark.parametrize("version", ["two", "0", "-1", "9" * 30])
def test_a_bad_version_filter_is_400(fra_api, world, version):
    answer = fra_api.get(f"/api/v1/reports/{world['fra'].pk}/attachments/", version=version)
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "version"


def test_a_file_missing_from_storage_is_404_not_500(fra_api, world):
    law = world["law_v1"]
    law.file.storage.delete(law.file.name)
    assert fra_api.get(f"/api/v1/reports/{world['fra'].pk}/attachments/{law.pk}/").status_code == 404


def test_the_list_costs_the_same_for_few_and_many_attachments(fra_api, focal_fra, report_fra):
    path = f"/api/v1/reports/{report_fra.pk}/attachments/"
    attach(report_fra, "one.pdf", pdf_bytes(), focal_fra)
    fra_api.get(path)  # warm (the token's last use)
    counts = []
    for more in (1, 30):
        for n in range(more):
            attach(report_fra, f"more-{n}.pdf", pdf_bytes(), focal_fra)
        with CaptureQueriesContext(connection) as captured:
            assert fra_api.get(path).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
