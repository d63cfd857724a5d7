"""References typed in registers against the list in force: unknown is an error kept as typed,
delisted a warning to acknowledge; drafts saved before an import are checked again; no list, no check."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from reports.models import DraftInput, FrozenAsset, OilInterdiction, ReportVersion
from reports.services.sanctions_import import import_sanctions_list
from reports.services.validation import Severity, version_issues
from tests.delegation import OIL_ROW, draft_of, formset_post

pytestmark = pytest.mark.django_db

ASSET = {"listed_party": "Crescent Dune Exchange House", "list_ref": "QDe.901", "asset_type": "bank_account",
         "amount": "100", "currency": "EUR", "date_frozen": "2026-10-01", "institution_kind": "bank"}  # fmt: skip


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


def editor_url(version, section):  # type: ignore[no-untyped-def]
    return reverse("delegation:editor", args=[version.pk, section])


def save(client, draft, section, rows):  # type: ignore[no-untyped-def]
    draft.refresh_from_db()
    return client.post(editor_url(draft, section), formset_post(section, rows, revision=draft.revision))


def test_unknown_reference_is_kept_as_typed_with_an_error_beside_it(client, focal_a, report_a, listed):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    unknown = {**ASSET, "list_ref": "QDi.999", "listed_party": "Nobody Listed"}
    assert save(client, draft, "assets", [ASSET, unknown]).status_code == 302
    assert list(FrozenAsset.objects.filter(version=draft).values_list("list_ref", flat=True)) == ["QDe.901"]
    assert DraftInput.objects.get(version=draft, section="assets").error_count == 1
    body = client.get(editor_url(draft, "assets")).content.decode()
    assert 'value="QDi.999"' in body and 'value="Nobody Listed"' in body  # kept as typed
    assert "QDi.999 is not on the ISIL (Da&#x27;esh) &amp; Al-Qaida Sanctions List in force" in body
    errors = [i for i in version_issues(version=draft) if i.severity == Severity.ERROR and i.section == "assets"]
    assert errors  # the kept input blocks submission


def test_unknown_reference_in_a_party_line_is_an_error(client, focal_a, report_a, listed):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    save(client, draft, "oil", [{**OIL_ROW, "parties": "Made Up Co; QDe.998\nSand River; QDe.902"}])
    assert not OilInterdiction.objects.filter(version=draft).exists()
    body = client.get(editor_url(draft, "oil")).content.decode()
    assert "Line 1: QDe.998 is not on the ISIL" in body and "Made Up Co; QDe.998" in body


def test_delisted_reference_saves_with_a_warning_that_must_be_acknowledged(client, focal_a, signatory_a, report_a, listed):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    assert save(client, draft, "assets", [{**ASSET, "list_ref": "QDi.917"}]).status_code == 302
    assert FrozenAsset.objects.get(version=draft).list_ref == "QDi.917"  # saved: not blocking
    body = client.get(editor_url(draft, "assets")).content.decode()
    assert "sanctions-ref-warning" in body and "QDi.917 has been delisted" in body
    issues = version_issues(version=draft)
    warning = [i for i in issues if i.severity == Severity.WARNING and "QDi.917" in i.message]
    assert warning and warning[0].field_id == "id_assets-0-list_ref"
    assert not [i for i in issues if i.severity == Severity.ERROR and i.section == "assets"]


def test_draft_saved_before_an_import_is_checked_against_the_new_list(client, focal_a, report_a, listed, demo_2_bytes):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    rows = [{**ASSET, "list_ref": "QDi.913"}, {**ASSET, "list_ref": "QDe.911"}, {**ASSET, "list_ref": "QDe.902"}]
    save(client, draft, "assets", rows)
    assert FrozenAsset.objects.filter(version=draft).count() == 3
    assert not [i for i in version_issues(version=draft) if "QD" in i.message]  # all listed in snapshot 1
    import_sanctions_list(demo_2_bytes, source="demo-2")  # QDi.913 delisted, QDe.911 removed
    messages = {i.message: i.severity for i in version_issues(version=draft) if "QD" in i.message}
    assert len(messages) == 2 and set(messages.values()) == {Severity.WARNING}
    assert any("QDi.913 has been delisted" in m for m in messages)
    assert any("QDe.911 is no longer on" in m for m in messages)
    body = client.get(editor_url(draft, "assets")).content.decode()
    assert body.count("sanctions-ref-warning") == 2


def test_signatory_must_acknowledge_the_delisted_warning_to_submit(client, signatory_a, report_a, listed):
    client.force_login(signatory_a)
    draft = draft_of(report_a)
    from reports.models import Measure
    from tests.delegation import checklist_post  # the required checklist answered, to isolate the warning

    measures = list(Measure.objects.filter(resolution=report_a.cycle.obligation.resolution, active=True))
    answers = {m.code: {"answer": "in_place", "legal_reference": "Loi"} for m in measures}
    client.post(editor_url(draft, "checklist"), checklist_post(measures, answers, revision=0))
    save(client, draft, "assets", [{**ASSET, "list_ref": "QDi.917"}])
    draft.refresh_from_db()
    review = reverse("delegation:review", args=[report_a.pk])
    assert "QDi.917 has been delisted" in client.get(review).content.decode()
    refused = client.post(review, {"revision": str(draft.revision)})
    assert refused.status_code == 400 and ReportVersion.objects.get(pk=draft.pk).is_draft
    done = client.post(review, {"revision": str(draft.revision), "acknowledge": "on"})
    assert done.status_code == 302 and not ReportVersion.objects.get(pk=draft.pk).is_draft


def test_without_any_list_references_are_not_checked(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    assert save(client, draft, "assets", [{**ASSET, "list_ref": "QDi.999"}]).status_code == 302
    assert FrozenAsset.objects.get(version=draft).list_ref == "QDi.999"
    assert not [i for i in version_issues(version=draft) if "QDi.999" in i.message]


def test_editor_page_checks_references_in_constant_queries(client, focal_a, report_a, listed, django_assert_max_num_queries):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    save(client, draft, "assets", [{**ASSET, "list_ref": r} for r in ("QDe.901", "QDi.917")])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        client.get(editor_url(draft, "assets"))
    save(
        client,
        draft,
        "assets",
        [{**ASSET, "list_ref": r} for r in ("QDe.901", "QDi.917", "QDi.901", "QDe.115", "QDi.902", "QDi.913")] * 3,
    )
    with CaptureQueriesContext(connection) as eighteen:
        client.get(editor_url(draft, "assets"))
    assert len(eighteen) == len(two)
