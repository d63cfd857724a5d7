"""The editor through its views: saving, bad input, autosave, conflicts, frozen versions, submission."""

import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import (
    Attachment,
    AuditEvent,
    ChecklistAnswer,
    DraftInput,
    Measure,
    OilInterdiction,
    PartyMention,
    ReportVersion,
)
from reports.services.reports import report_submit_unchecked
from tests.delegation import OIL_ROW, checklist_post, draft_of, formset_post, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db
RTL = "مرفأ طرطوس — ‏ميناء"


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


def editor_url(version, section):  # type: ignore[no-untyped-def]
    return reverse("delegation:editor", args=[version.pk, section])


def measures_of(report):  # type: ignore[no-untyped-def]
    return list(Measure.objects.filter(resolution=report.cycle.obligation.resolution, active=True))


def save_oil(client, draft, rows, **kwargs):  # type: ignore[no-untyped-def]
    draft.refresh_from_db()
    return client.post(editor_url(draft, "oil"), formset_post("oil", rows, revision=draft.revision), **kwargs)


def test_saving_the_checklist_then_reloading_shows_everything(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    measures = measures_of(report_a)
    answers = {measures[0].code: {"answer": "in_place", "legal_reference": "Loi n° 2015-912", "narrative": RTL}}
    response = client.post(editor_url(draft, "checklist"), checklist_post(measures, answers, revision=0))
    assert response.status_code == 302
    stored = ChecklistAnswer.objects.get(version=draft, measure=measures[0])
    assert stored.legal_reference == "Loi n° 2015-912" and stored.narrative == RTL
    page = client.get(editor_url(draft, "checklist")).content.decode()
    assert "Loi n° 2015-912" in page and RTL in page and "Saved." in page


def test_saving_an_oil_row_stores_transit_and_named_parties(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    assert save_oil(client, draft, [OIL_ROW]).status_code == 302
    row = OilInterdiction.objects.get(version=draft)
    assert row.place == "Port of Ceyhan" and row.origin.iso3 == "IRQ" and [s.iso3 for s in row.transit.all()] == ["TUR"]
    assert sorted(PartyMention.objects.values_list("name", "list_ref")) == [("ISIL", "QDe.115"), ("Tanker Company Ltd", "")]
    page = client.get(editor_url(draft, "oil")).content.decode()
    assert "Port of Ceyhan" in page and f'value="{row.pk}"' in page


BAD_VALUES = [
    ("quantity", ""),
    ("quantity", "-5"),
    ("quantity", "lots"),
    ("quantity", "1e400"),
    ("quantity", "NaN"),
    ("date", "31/02/2026"),
    ("date", "2031-01-01"),  # after today
    ("date", "2019-01-01"),  # long before the cycle opens
    # ("place", "x" * 1_000_000) is refused whole, not kept cut: tests/views/test_draft_input_limits.py
    ("place", ""),
    ("unit", "gallons"),
    ("currency", "XXX"),
    ("origin", "ZZZ"),
    ("transit", "TUR, <script>alert(1)</script>"),
    ("parties", "Someone; QDx.12"),
    ("value", "-1"),
    ("commodity", "<script>alert(1)</script>"),
]


@pytest.mark.parametrize(("field", "value"), BAD_VALUES)
def test_bad_input_is_kept_with_an_error_and_the_saved_row_is_not_lost(client, focal_a, report_a, field, value):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    save_oil(client, draft, [OIL_ROW])
    stored = OilInterdiction.objects.get(version=draft)
    bad = {**OIL_ROW, "row_id": str(stored.pk), field: value}
    second = {**OIL_ROW, "place": RTL, "quantity": "3"}
    response = save_oil(client, draft, [bad, second])
    assert response.status_code == 302
    places = sorted(OilInterdiction.objects.filter(version=draft).values_list("place", flat=True))
    assert places == sorted(["Port of Ceyhan", RTL])  # the stored row stays, the valid new row is saved
    assert DraftInput.objects.get(version=draft, section="oil").error_count == 1
    page = client.get(editor_url(draft, "oil"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "invalid-feedback" in body and "<script>alert(1)</script>" not in body


def test_script_tags_and_rtl_text_are_stored_as_text_and_escaped(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    save_oil(client, draft, [{**OIL_ROW, "place": "<script>alert(1)</script>", "outcome": RTL}])
    assert OilInterdiction.objects.get(version=draft).place == "<script>alert(1)</script>"
    body = client.get(editor_url(draft, "oil")).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body and RTL in body


def test_an_empty_or_forged_post_changes_nothing(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    save_oil(client, draft, [OIL_ROW])
    draft.refresh_from_db()
    response = client.post(editor_url(draft, "oil"), {"revision": str(draft.revision)})
    assert response.status_code == 400
    response = client.post(
        editor_url(draft, "oil"), {**formset_post("oil", [], revision=draft.revision), "oil-TOTAL_FORMS": "9" * 30}
    )
    assert response.status_code in (302, 400)
    assert OilInterdiction.objects.filter(version=draft).count() == 1


def test_register_rows_in_other_sections_validate_references_and_periods(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    asset = {"listed_party": "Listed Co", "list_ref": "qde.115", "asset_type": "bank_account", "amount": "100",
             "currency": "EUR", "date_frozen": "2026-10-01", "institution_kind": "bank"}  # fmt: skip
    wrong = {**asset, "list_ref": "QD.1", "listed_party": "Wrong"}
    response = client.post(editor_url(draft, "assets"), formset_post("assets", [asset, wrong], revision=0))
    assert response.status_code == 302
    assert list(draft.frozenasset_rows.values_list("list_ref", flat=True)) == ["QDe.115"]
    page = client.get(editor_url(draft, "assets")).content.decode()
    assert "QDi.123 or QDe.115" in page
    period = {"period_start": "2026-06-01", "period_end": "2026-01-01", "count": "4"}
    assert client.post(editor_url(draft, "str"), formset_post("str", [period], revision=1)).status_code == 302
    assert not draft.suspicioustransactioncount_rows.exists()
    assert "ends before it starts" in client.get(editor_url(draft, "str")).content.decode()


def test_autosave_answers_a_partial_with_the_new_revision(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    response = client.post(editor_url(draft, "oil"), formset_post("oil", [OIL_ROW], revision=0), headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_revision" value="1"' in body and 'hx-swap-oob="true"' in body and "Saved at" in body
    assert AuditEvent.objects.filter(action="draft_autosave").count() == 1


def test_a_stale_save_shows_both_versions_and_overwrites_nothing(client, focal_a, signatory_a, report_a):
    draft = draft_of(report_a)
    client.force_login(signatory_a)
    save_oil(client, draft, [OIL_ROW])  # revision 0 -> 1: both open the page with this row
    row_id = str(OilInterdiction.objects.get(version=draft).pk)
    save_oil(client, draft, [{**OIL_ROW, "row_id": row_id, "place": "Theirs"}])  # revision 1 -> 2
    client.force_login(focal_a)
    stale = formset_post("oil", [{**OIL_ROW, "row_id": row_id, "place": "Mine"}], revision=1, initial=1)
    notice = client.post(editor_url(draft, "oil"), stale, headers={"HX-Request": "true"})
    assert notice.status_code == 409 and "Compare both versions" in notice.content.decode()
    page = client.post(editor_url(draft, "oil"), stale)
    assert page.status_code == 409
    body = page.content.decode()
    assert "Theirs" in body and "Mine" in body and 'name="revision" value="2"' in body
    assert list(OilInterdiction.objects.filter(version=draft).values_list("place", flat=True)) == ["Theirs"]
    # Choosing "keep mine" re-posts with the revision the conflict page showed.
    keep_mine = client.post(editor_url(draft, "oil"), {**stale, "revision": "2", "_action": "keep_mine"})
    assert keep_mine.status_code == 302
    assert list(OilInterdiction.objects.filter(version=draft).values_list("place", flat=True)) == ["Mine"]


def test_a_forged_post_to_a_submitted_version_is_refused(client, focal_a, signatory_a, report_a):
    draft = draft_of(report_a)
    version = report_submit_unchecked(report=report_a, actor=signatory_a)
    sha = version.content_sha256
    client.force_login(focal_a)
    for section in ("oil", "checklist", "settings"):
        response = client.post(editor_url(version, section), formset_post("oil", [OIL_ROW], revision=version.revision))
        assert response.status_code == 409, section
    upload = client.post(
        reverse("delegation:attachment_upload", args=[version.pk]), {"file": SimpleUploadedFile("a.pdf", pdf_bytes())}
    )
    assert upload.status_code == 409
    version.refresh_from_db()
    assert version.content_sha256 == sha and not version.oilinterdiction_rows.exists() and not version.attachments.exists()
    assert ReportVersion.objects.get(pk=draft.pk).is_draft is False


def test_attachments_upload_download_and_refusal(client, focal_a, focal_b, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    url = reverse("delegation:attachment_upload", args=[draft.pk])
    refused = client.post(url, {"file": SimpleUploadedFile("law.pdf", png_bytes()), "kind": "law"})
    assert refused.status_code == 400 and "another type" in refused.content.decode()
    empty = client.post(url, {"file": SimpleUploadedFile("law.pdf", b""), "kind": "law"})
    assert empty.status_code == 400
    assert client.post(url, {"file": SimpleUploadedFile("loi.pdf", pdf_bytes()), "kind": "law"}).status_code == 302
    attachment = Attachment.objects.get()
    download = client.get(reverse("delegation:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes()
    assert download["Content-Disposition"].startswith("attachment;") and "loi.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff" and download["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="attachment_download", object_id=str(attachment.pk)).exists()
    client.force_login(focal_b)
    assert client.get(reverse("delegation:attachment_download", args=[attachment.pk])).status_code == 404


def test_a_focal_point_reviews_but_only_a_signatory_submits(
    client, focal_a, signatory_a, report_a, django_capture_on_commit_callbacks
):
    draft = draft_of(report_a)
    client.force_login(focal_a)
    measures = measures_of(report_a)
    answers = {m.code: {"answer": "in_place", "legal_reference": "Loi"} for m in measures}
    client.post(editor_url(draft, "checklist"), checklist_post(measures, answers, revision=0))
    review = client.get(reverse("delegation:review", args=[report_a.pk]))
    assert review.status_code == 200 and b"Submit the report" not in review.content
    assert client.post(reverse("delegation:review", args=[report_a.pk]), {"revision": "1"}).status_code == 403
    client.force_login(signatory_a)
    review = client.get(reverse("delegation:review", args=[report_a.pk])).content.decode()
    assert "Submit the report" in review and "Loi" in review
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("delegation:review", args=[report_a.pk]), {"revision": "1"})
    assert response.status_code == 302
    version = ReportVersion.objects.get(report=report_a, number=1)
    assert not version.is_draft and len(mail.outbox) == 2
    page = client.get(response["Location"]).content.decode()
    assert version.reference in page and version.content_sha256 in page
    receipt = client.get(reverse("delegation:receipt", args=[report_a.pk, 1]))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf" and receipt.content.startswith(b"%PDF")


def test_errors_on_the_review_page_link_to_the_field(client, signatory_a, report_a):
    client.force_login(signatory_a)
    draft = draft_of(report_a)
    page = client.get(reverse("delegation:review", args=[report_a.pk])).content.decode()
    first = measures_of(report_a)[0]
    assert f"{editor_url(draft, 'checklist')}#id_m{first.pk}-answer" in page
    response = client.post(reverse("delegation:review", args=[report_a.pk]), {"revision": "0"})
    assert response.status_code == 400 and ReportVersion.objects.get(pk=draft.pk).is_draft


def test_amending_then_comparing_versions(client, focal_a, signatory_a, report_a):
    draft = draft_of(report_a)
    client.force_login(focal_a)
    save_oil(client, draft, [OIL_ROW])
    report_submit_unchecked(report=report_a, actor=signatory_a)
    client.force_login(signatory_a)
    assert client.post(reverse("delegation:addendum", args=[report_a.pk])).status_code == 302
    addendum = draft_of(report_a)
    assert addendum.number == 2
    row = addendum.oilinterdiction_rows.get()
    save_oil(client, addendum, [{**OIL_ROW, "row_id": str(row.pk), "quantity": "1300"}])
    review = client.get(reverse("delegation:review", args=[report_a.pk])).content.decode()
    changed = re.compile(
        r'<del class="diff-del">.*?<bdi>1\u202f200</bdi></del> <ins class="diff-ins">.*?<bdi>1\u202f300</bdi></ins>'
    )
    assert "What this addendum changes in version 1" in review and changed.search(review)
    report_submit_unchecked(report=report_a, actor=signatory_a)
    history = client.get(reverse("delegation:history", args=[report_a.pk])).content.decode()
    assert changed.search(history) and "S/AC.37/2026/FRA/test-cycle/2" in history
    garbage = client.get(reverse("delegation:history", args=[report_a.pk]), {"a": "x", "b": "99"})
    assert garbage.status_code == 400


def test_a_focal_point_opens_an_addendum_that_only_a_signatory_submits(client, focal_a, signatory_a, report_a):
    report_submit_unchecked(report=report_a, actor=signatory_a)
    client.force_login(focal_a)
    page = client.get(reverse("delegation:report", args=[report_a.pk])).content.decode()
    assert "only a signatory of your State can submit it" in page
    assert client.post(reverse("delegation:addendum", args=[report_a.pk])).status_code == 302
    assert ReportVersion.objects.filter(report=report_a, is_draft=True, number=2).exists()
    refused = client.post(reverse("delegation:review", args=[report_a.pk]), {"revision": 1})
    assert refused.status_code == 403  # the focal point cannot submit it
    assert not ReportVersion.objects.filter(report=report_a, is_draft=False, number=2).exists()


def test_reporting_an_oil_interdiction_from_the_landing_page(client, focal_a):
    client.force_login(focal_a)
    for bad in ("", "2030-01-01", "not a date", "2001-01-01"):
        response = client.post(reverse("delegation:event_new"), {"event_date": bad})
        assert response.status_code == 400, bad
    response = client.post(reverse("delegation:event_new"), {"event_date": "2026-11-18"}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Oil interdictions" in body and "Implementation checklist" not in body


def test_a_register_of_a_hundred_and_twenty_rows_saves_in_one_post(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    rows = [{**OIL_ROW, "place": f"Crossing {i}", "quantity": str(i + 1)} for i in range(120)]
    assert save_oil(client, draft, rows).status_code == 302
    assert OilInterdiction.objects.filter(version=draft).count() == 120
    assert PartyMention.objects.filter(version=draft).count() == 240


def test_confidentiality_per_report_and_section(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    post = {"revision": "0", "confidentiality": "public", "note": RTL, "section_cultural": "secretariat", "section_oil": ""}
    assert client.post(editor_url(draft, "settings"), post).status_code == 302
    draft.refresh_from_db()
    assert draft.confidentiality == "public" and draft.section_confidentiality == {"cultural": "secretariat"}
    assert draft.note == RTL and draft.section_level("cultural") == "secretariat" and draft.section_level("oil") == "public"
    bad = {"revision": "1", "confidentiality": "<script>", "section_cultural": "everyone"}
    assert client.post(editor_url(draft, "settings"), bad).status_code == 302
    draft.refresh_from_db()
    assert draft.confidentiality == "public" and draft.section_confidentiality == {"cultural": "secretariat"}  # nothing lost
    assert draft.note == RTL
    assert "Select a valid choice" in client.get(editor_url(draft, "settings")).content.decode()
    review = client.get(reverse("delegation:review", args=[report_a.pk])).content.decode()
    assert "Confidentiality: Secretariat and Monitoring Team only" in review


@pytest.mark.parametrize(
    ("field", "value"),
    [("answer", "bogus"), ("answer", "<script>alert(1)</script>"), ("narrative", "x" * 1_000_000),
     ("legal_reference", "y" * 501), ("evidence_location", "\x00")],
)  # fmt: skip
def test_bad_checklist_input_keeps_the_stored_answer(client, focal_a, report_a, field, value):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    measures = measures_of(report_a)
    first = measures[0].code
    client.post(
        editor_url(draft, "checklist"), checklist_post(measures, {first: {"answer": "in_place", "narrative": RTL}}, revision=0)
    )
    bad = checklist_post(measures, {first: {"answer": "in_place", "narrative": RTL, field: value}}, revision=1)
    response = client.post(editor_url(draft, "checklist"), bad)
    stored = ChecklistAnswer.objects.get(version=draft, measure=measures[0])
    assert stored.answer == "in_place" and stored.narrative == RTL
    if "\x00" in value:  # refused before it reaches the view (reports.middleware), with a reason
        assert response.status_code == 400
        return
    if field in ("narrative", "legal_reference"):  # beyond the field's limit: refused whole, never cut
        assert response.status_code == 400 and "Nothing was saved" in response.content.decode()
        return
    assert response.status_code == 302
    page = client.get(editor_url(draft, "checklist"))
    assert page.status_code == 200 and "invalid-feedback" in page.content.decode()


def test_bad_attachment_form_input_never_fails(client, focal_a, report_a):
    client.force_login(focal_a)
    url = reverse("delegation:attachment_upload", args=[draft_of(report_a).pk])
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"file": "not a file", "kind": "law"}).status_code == 400
    response = client.post(
        url, {"file": SimpleUploadedFile("a.pdf", pdf_bytes()), "kind": "<script>", "description": "z" * 10_000}
    )
    assert response.status_code == 400 and not Attachment.objects.exists()
