"""A delegation files its report in the browser, from the first answer to the amendment.

focal-fra fills the checklist and an oil interdiction, attaches a PDF, leaves and comes back
(nothing lost); signatory-fra submits and downloads the receipt; the Secretariat asks for
clarification and the signatory answers by amending (version 2).
"""

from __future__ import annotations

import datetime
import io
import re

import pypdf
from playwright.sync_api import Page, expect

from reports.models import Report, ReportStatus, User
from reports.services.review import report_request_clarification, report_start_review

from .helpers import Journey, login, logout

CYCLE = "committee-update-2026"
LEGAL_REFERENCE = "Code pénal, art. 421-2-2"
NARRATIVE = "Customs at Le Havre inspect every tanker bound for the eastern Mediterranean; « vérifié »."
PLACE = "Port of Marseille-Fos"


def _small_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_text(path: str) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def _tab(page: Page, name: str) -> None:
    page.locator(".editor-tabs").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state("load")


def _save(page: Page) -> None:
    # Straight from the field being typed in: its focusout autosave must not race the save.
    page.locator("#editor-form").get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.locator(".portal-messages")).to_contain_text("Saved")


def fill_checklist(journey: Journey) -> int:
    page = journey.page
    cards = page.locator(".measure-card")
    count = cards.count()
    assert count > 0, "the checklist shows no measure"
    for i in range(count):
        card = cards.nth(i)
        card.get_by_label("Answer").select_option("in_place")
        card.get_by_label("Legal reference (act, article)").fill(f"{LEGAL_REFERENCE} ({i + 1})")
    cards.first.get_by_label("Narrative").fill(NARRATIVE)
    expect(page.get_by_test_id("progress")).to_be_visible()
    journey.snap("checklist-filled")
    _save(page)
    journey.snap("checklist-saved")
    return count


def fill_oil_row(journey: Journey) -> str:
    page = journey.page
    _tab(page, "Oil interdictions")
    page.get_by_role("button", name="Add a row").click()
    row = page.locator(".register-row").last
    date_input = row.get_by_label("Date of interdiction")
    latest = datetime.date.fromisoformat(date_input.get_attribute("max") or datetime.date.today().isoformat())
    day = (latest - datetime.timedelta(days=3)).isoformat()
    date_input.fill(day)
    row.get_by_label("Place (port or border crossing)").fill(PLACE)
    row.get_by_label("Kind of place").select_option("port")
    row.get_by_label("Commodity").select_option("crude")
    row.get_by_label("Quantity").fill("1250")
    row.get_by_label(re.compile(r"^\s*Unit\s*\*?\s*$")).select_option("barrels")
    row.get_by_label("Estimated value").fill("87500")
    row.get_by_label("Currency").select_option("USD")
    row.get_by_label("Direction").select_option("from")
    row.get_by_label("Country of origin").fill("IRQ")
    row.get_by_label("Parties involved", exact=False).fill(
        "Crescent Tanker Logistics (fictitious)\nIslamic State in Iraq and the Levant; QDe.115"
    )
    journey.snap("oil-row-filled")
    _save(page)
    journey.snap("oil-row-saved")
    return day


def attach_pdf(journey: Journey) -> None:
    page = journey.page
    _tab(page, "Attachments")
    page.get_by_label("File (PDF", exact=False).set_input_files(
        files=[{"name": "loi-2015-1786.pdf", "mimeType": "application/pdf", "buffer": _small_pdf()}]
    )
    page.get_by_label("Kind").select_option("law")
    page.get_by_label("Description").fill("Loi relative au gel des avoirs")
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state("load")
    expect(page.locator("main table")).to_contain_text("loi-2015-1786.pdf")
    journey.snap("attachment-uploaded")


def test_delegation_files_submits_and_amends(journey: Journey) -> None:
    page = journey.page

    # focal-fra starts the report from the obligations page.
    login(journey, "focal-fra")
    journey.goto("/delegation/", "obligations")
    row = page.get_by_test_id(f"cycle-{CYCLE}")
    expect(row).to_contain_text("Not started")
    row.get_by_role("button", name="Start the report").click()
    page.wait_for_load_state("load")
    journey.snap("editor-checklist")
    editor_url = page.url

    measures = fill_checklist(journey)
    oil_day = fill_oil_row(journey)
    attach_pdf(journey)

    # Autosave: type, wait for the quiet "Saved at" and leave without pressing Save.
    _tab(page, "Implementation checklist")
    later = "Added after the first save: kept by the autosave."
    page.locator(".measure-card").nth(1).get_by_label("Narrative").fill(later)
    page.locator(".measure-card").nth(1).get_by_label("Where the attachments show it").focus()
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=15_000)

    # Leave, sign out, come back: nothing lost.
    journey.goto("/delegation/", "obligations-after-draft")
    expect(page.get_by_test_id(f"cycle-{CYCLE}")).to_contain_text("Draft")
    logout(journey)
    login(journey, "focal-fra", snap=False)
    page.goto(editor_url)
    journey.snap("checklist-back")
    cards = page.locator(".measure-card")
    expect(cards).to_have_count(measures)
    for i in range(measures):
        expect(cards.nth(i).get_by_label("Answer")).to_have_value("in_place")
        expect(cards.nth(i).get_by_label("Legal reference (act, article)")).to_have_value(f"{LEGAL_REFERENCE} ({i + 1})")
    expect(cards.first.get_by_label("Narrative")).to_have_value(NARRATIVE)
    expect(cards.nth(1).get_by_label("Narrative")).to_have_value(later)
    _tab(page, "Oil interdictions")
    row = page.locator(".register-row").first
    expect(row.get_by_label("Place (port or border crossing)")).to_have_value(PLACE)
    expect(row.get_by_label("Date of interdiction")).to_have_value(oil_day)
    assert float(row.get_by_label("Quantity").input_value()) == 1250
    journey.snap("oil-back")
    _tab(page, "Attachments")
    expect(page.locator("main table")).to_contain_text("loi-2015-1786.pdf")
    logout(journey)

    # signatory-fra reviews the whole report and submits it.
    login(journey, "signatory-fra")
    journey.goto("/delegation/", "signatory-obligations")
    page.get_by_test_id(f"cycle-{CYCLE}").get_by_role("link", name="Continue the report").click()
    page.wait_for_load_state("load")
    journey.snap("report-page")
    page.get_by_role("link", name="Review and submit").first.click()
    page.wait_for_load_state("load")
    journey.snap("review")
    expect(page.locator("main")).to_contain_text(PLACE)
    acknowledge = page.locator("input[name=acknowledge]")
    if acknowledge.count():
        acknowledge.check()
    page.get_by_role("button", name="Submit the report").click()
    page.wait_for_load_state("load")
    expect(page.locator(".portal-messages")).to_contain_text("Submitted. Reference")
    journey.snap("submitted")

    report = Report.objects.get(state__iso3="FRA", cycle__code=CYCLE)
    assert report.status == ReportStatus.SUBMITTED
    version = report.current_version
    assert version is not None and version.number == 1 and version.reference

    # The receipt: a PDF naming the reference and the fingerprint.
    page.goto(journey.url(f"/delegation/reports/{report.pk}/"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Receipt (PDF)").first.click()
    receipt = download_info.value.path()
    text = _pdf_text(str(receipt))
    assert version.reference in text, text[:500]
    assert "France" in text

    # The Secretariat asks for clarification (its own journey does this in the browser).
    officer = User.objects.get(username="secretariat")
    report_start_review(report=report, actor=officer)
    report_request_clarification(
        report=report, actor=officer, comment="Please cite the decree that designates the customs authority."
    )

    journey.goto("/delegation/", "clarification-requested")
    asks = page.get_by_test_id("clarifications")
    expect(asks).to_contain_text("Please cite the decree")
    asks.get_by_role("link", name="Open the report and answer").first.click()
    page.wait_for_load_state("load")
    expect(page.locator("main")).to_contain_text("Clarification requested")
    journey.snap("report-clarification")
    page.get_by_role("button", name="Open an addendum").click()
    page.wait_for_load_state("load")
    journey.snap("addendum-editor")
    answer = "Décret n° 2016-1234 designates the Directorate-General of Customs (added in version 2)."
    page.locator(".measure-card").first.get_by_label("Narrative").fill(answer)
    _save(page)
    page.get_by_role("link", name="Review and submit").first.click()
    page.wait_for_load_state("load")
    journey.snap("addendum-review")
    acknowledge = page.locator("input[name=acknowledge]")
    if acknowledge.count():
        acknowledge.check()
    page.get_by_role("button", name="Submit the report").click()
    page.wait_for_load_state("load")
    expect(page.locator(".portal-messages")).to_contain_text("Submitted. Reference")
    journey.snap("addendum-submitted")

    report.refresh_from_db()
    assert report.status == ReportStatus.AMENDED
    assert report.current_version is not None and report.current_version.number == 2
    page.get_by_role("link", name="History and changes").click()
    page.wait_for_load_state("load")
    history = page.locator("main table").first
    expect(history).to_contain_text(version.reference)
    expect(history).to_contain_text(report.current_version.reference)
    page.get_by_label("From version").select_option("1")
    page.get_by_label("To version").select_option("2")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state("load")
    journey.snap("history-diff")
    expect(page.get_by_test_id("diff")).to_contain_text("Décret n° 2016-1234")
