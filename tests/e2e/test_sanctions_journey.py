"""The Sanctions List in the browser.

focal-fra types a party's name in the frozen-assets register, picks the suggested entry and its
reference is attached and saved; then a party line of the oil register gets its reference the
same way. The Secretariat looks the list up (English and Arabic), imports the second snapshot
through the form and reads the changes.
"""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

from django.conf import settings
from playwright.sync_api import expect

from reports.models import FrozenAsset, OilInterdiction, ReportingCycle, User
from reports.services.reports import report_draft, report_get_or_create
from reports.services.sanctions_import import import_sanctions_list

from .helpers import Journey, login, switch_language

CYCLE = "committee-update-2026"
FIXTURES = Path(settings.BASE_DIR) / "reports" / "fixtures" / "sanctions"
SHOTS = Path("/tmp/shots-sanctions")


def _shot(journey: Journey, name: str) -> None:
    path = journey.snap(name)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / f"{name}.png")


def test_a_delegate_attaches_a_suggested_reference(journey: Journey) -> None:
    import_sanctions_list((FIXTURES / "consolidated-demo-1.xml").read_bytes(), source="e2e")
    page = journey.page
    focal = User.objects.get(username="focal-fra")
    report = report_get_or_create(state=focal.state, cycle=ReportingCycle.objects.get(code=CYCLE), actor=focal)
    draft = report_draft(report)
    assert draft is not None
    login(journey, "focal-fra", snap=False)
    journey.goto(f"/delegation/drafts/{draft.pk}/assets/", "assets-register")

    page.get_by_role("button", name="Add a row").click()
    row = page.locator(".register-row").last
    party = row.get_by_label("Listed party")
    party.press_sequentially("Abd al-Rahman al-Anizi", delay=20)
    suggestions = row.get_by_test_id("sanctions-suggestions")
    expect(suggestions).to_be_visible()
    expect(suggestions.locator(".list-group-item").first).to_contain_text("QDi.901")
    _shot(journey, "suggestions-assets")
    suggestions.get_by_role("button", name="Attach QDi.901").click()
    expect(row.get_by_label("Sanctions List reference")).to_have_value("QDi.901")
    expect(row.get_by_test_id("sanctions-suggestions")).to_have_count(0)
    row.get_by_label("Asset type").select_option("bank_account")
    row.get_by_label("Amount").fill("2500")
    row.get_by_label("Currency").select_option("USD")
    row.get_by_label("Date frozen").fill((datetime.date.today() - datetime.timedelta(days=3)).isoformat())
    row.get_by_label("Kind of institution").select_option("bank")
    page.locator("#editor-form").get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.locator(".portal-messages")).to_contain_text("Saved")
    asset = FrozenAsset.objects.get(version=draft)
    assert (asset.listed_party, asset.list_ref) == ("Abd al-Rahman al-Anizi", "QDi.901")

    # A list of parties, one a line: the reference goes at the end of the line being typed (Arabic here).
    journey.goto(f"/delegation/drafts/{draft.pk}/oil/", "oil-register")
    page.get_by_role("button", name="Add a row").click()
    oil = page.locator(".register-row").last
    parties = oil.get_by_label("Parties involved", exact=False)
    parties.fill("Tanker Company Ltd (fictitious)\n")
    parties.press_sequentially("العنزي", delay=30)
    box = oil.get_by_test_id("sanctions-suggestions")
    expect(box.locator(".list-group-item").first).to_contain_text("QDi.901")
    box.get_by_role("button", name="Attach QDi.901").first.click()
    expect(parties).to_have_value("Tanker Company Ltd (fictitious)\nالعنزي; QDi.901")
    journey.snap("oil-party-attached")
    assert not OilInterdiction.objects.filter(version=draft).exists()  # the row is not complete: nothing forced


def test_the_secretariat_looks_up_and_imports_the_list(journey: Journey) -> None:
    import_sanctions_list((FIXTURES / "consolidated-demo-1.xml").read_bytes(), source="e2e")
    page = journey.page
    login(journey, "secretariat", snap=False)
    journey.goto("/secretariat/", "dashboard")
    page.locator(".sec-subnav").get_by_role("link", name="Sanctions List").click()
    page.wait_for_load_state("load")
    page.get_by_label("Name (any form, any script) or reference").fill("العنزي")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("load")
    expect(page.get_by_test_id("sanctions-entries")).to_contain_text("QDi.901")
    page.get_by_label("Name (any form, any script) or reference").fill("")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("load")
    _shot(journey, "list-en")

    page.get_by_role("link", name="QDi.901").click()
    page.wait_for_load_state("load")
    expect(page.get_by_test_id("name-forms")).to_contain_text("Abdulrahman al Anezi")
    _shot(journey, "entry-en")

    page.goto(journey.url("/secretariat/sanctions-list/imports/new/"))
    page.get_by_label("Consolidated List file (XML)").set_input_files(str(FIXTURES / "consolidated-demo-2.xml"))
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.locator(".portal-messages")).to_contain_text("3 added, 3 amended, 2 delisted")
    expect(page.get_by_test_id("snapshot").first).to_contain_text("QDe.912")
    _shot(journey, "imports-en")

    page.goto(journey.url("/secretariat/sanctions-list/imports/new/"))
    page.get_by_label("Consolidated List file (XML)").set_input_files(
        files=[{"name": "evil.xml", "mimeType": "application/xml", "buffer": b'<!DOCTYPE a [<!ENTITY x "y">]><a/>'}]
    )
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.get_by_test_id("upload-error")).to_contain_text("document type")
    _shot(journey, "upload-refused-en")

    switch_language(journey, "ar")
    page.goto(journey.url("/secretariat/sanctions-list/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _shot(journey, "list-ar")
    page.goto(journey.url("/secretariat/sanctions-list/entries/QDi.901/"))
    expect(page.locator("h1")).to_contain_text(re.compile("QDi.901"))
    _shot(journey, "entry-ar")
