"""User text is shown as text: on the delegation's pages, the back office's, and in PDFs."""

from __future__ import annotations

import datetime
import io

from reports.models import Answer, ChecklistAnswer, Measure, OilInterdiction, PartyMention, ReportVersion
from reports.services.parties import normalize_party_name
from reports.services.reports import report_submit_unchecked

PAYLOAD = '<script>alert("x")</script><img src="file:///etc/passwd" onerror="alert(1)">'


def hostile_report(report, signatory):  # type: ignore[no-untyped-def]
    draft = report.versions.get(is_draft=True)
    ReportVersion.objects.filter(pk=draft.pk).update(note=PAYLOAD)
    for measure in Measure.objects.filter(resolution=report.cycle.obligation.resolution, active=True)[:3]:
        ChecklistAnswer.objects.create(
            version=draft, measure=measure, answer=Answer.PARTIAL, legal_reference=PAYLOAD, narrative=PAYLOAD
        )
    row = OilInterdiction.objects.create(
        version=draft, date=datetime.date(2026, 1, 5), place=PAYLOAD, commodity="crude", quantity=1, unit="barrels",
        value=1, currency="USD", direction="to", origin=report.state, parties=PAYLOAD, proceedings=PAYLOAD,
    )  # fmt: skip
    PartyMention.objects.create(
        version=draft, interdiction=row, name=PAYLOAD[:300], normalized_name=normalize_party_name(PAYLOAD)
    )
    return report_submit_unchecked(report=report, actor=signatory)


def assert_escaped(html: str, where: str) -> None:
    assert "<script>alert" not in html, where
    assert '<img src="file:' not in html, where
    assert 'onerror="alert' not in html, where


def test_pages_escape_what_a_state_typed(client, report_a, signatory_a, secretariat):
    version = hostile_report(report_a, signatory_a)
    client.force_login(signatory_a)
    shown = 0
    for url in (
        f"/delegation/reports/{report_a.pk}/",
        f"/delegation/reports/{report_a.pk}/versions/{version.number}/",
        f"/delegation/reports/{report_a.pk}/history/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_escaped(html, url)
        shown += html.count("&lt;script&gt;alert")
    client.force_login(secretariat)
    for url in (
        f"/secretariat/reports/{report_a.pk}/",
        "/secretariat/parties/",
        f"/secretariat/cycles/{report_a.cycle_id}/register/",
        f"/secretariat/cycles/{report_a.cycle_id}/matrix/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_escaped(html, url)
        shown += html.count("&lt;script&gt;alert")
    assert shown > 0  # the text is there, as text


def test_the_receipt_pdf_fetches_nothing_and_shows_text(client, report_a, signatory_a):
    from pypdf import PdfReader

    version = hostile_report(report_a, signatory_a)
    client.force_login(signatory_a)
    response = client.get(f"/delegation/reports/{report_a.pk}/versions/{version.number}/receipt.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = response.content if not response.streaming else b"".join(response.streaming_content)  # type: ignore[arg-type]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "root:x:0:0" not in text  # no local file came in through an <img>
