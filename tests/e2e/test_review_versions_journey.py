"""The Secretariat reads an amended report whole: the inline diff, "show more", the version
switcher, in English and in Arabic (right to left)."""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import expect

from reports.models import ReportingCycle, User

from ..review_world import amend, filed_report
from .helpers import Journey, login, switch_language
from .seed import OPEN_CYCLE

SHOTS = Path("/tmp/shots-review")


def _keep(journey: Journey, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(journey.snap(name), SHOTS / f"{name}.png")


def test_the_secretariat_reads_the_amended_report_and_switches_versions(journey: Journey) -> None:
    page = journey.page
    focal = User.objects.get(username="focal-fra")
    signatory = User.objects.get(username="signatory-fra")
    cycle = ReportingCycle.objects.get(code=OPEN_CYCLE)
    report = amend(filed_report(focal.state, cycle, focal=focal, signatory=signatory), signatory=signatory)

    login(journey, "secretariat", snap=False)
    journey.goto(f"/secretariat/reports/{report.pk}/#version-report", "review")
    whole = page.get_by_test_id("version-report")
    expect(whole).to_have_attribute("data-version", "2")
    expect(page.get_by_test_id("diff-legend")).to_contain_text("Version 2 against version 1")
    oil = page.get_by_test_id("section-oil")
    expect(oil.locator("tr[data-mark=added]")).to_contain_text("Kilis crossing")
    changed = oil.locator("tr[data-mark=changed]")
    expect(changed.locator("del")).to_contain_text("100")
    expect(changed.locator("ins")).to_contain_text("999")
    expect(changed.locator("del")).to_have_css("text-decoration-line", "line-through")  # not colour alone
    _keep(journey, "review-en")

    # A long narrative is folded: "show more" opens it where it is.
    narrative = page.get_by_test_id("section-checklist").locator("details.fold").first
    expect(narrative).not_to_have_attribute("open", "")
    narrative.locator("summary").click()
    expect(narrative).to_have_attribute("open", "")
    expect(narrative).to_contain_text("END-OF-NARRATIVE")

    # Version 1 as filed: no diff, no interdiction at Kilis.
    page.get_by_test_id("version-switcher").get_by_role("link", name="v1").click()
    page.wait_for_load_state("load")
    expect(page.get_by_test_id("version-report")).to_have_attribute("data-version", "1")
    expect(page.get_by_test_id("diff-legend")).to_have_count(0)
    expect(page.get_by_test_id("section-oil")).not_to_contain_text("Kilis crossing")
    _keep(journey, "review-v1-en")

    # The same page in Arabic, right to left, back on version 2.
    switch_language(journey, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    journey.goto(f"/secretariat/reports/{report.pk}/?version=2#version-report", "review-ar")
    expect(page.get_by_test_id("version-report")).to_have_attribute("data-version", "2")
    expect(page.get_by_test_id("section-oil").locator("tr[data-mark=changed] ins")).to_contain_text("999")
    table = page.get_by_test_id("section-oil").locator("table")
    first, last = table.locator("thead th").first.bounding_box(), table.locator("thead th").last.bounding_box()
    assert first and last and first["x"] > last["x"], "the register's columns do not run right to left"
    _keep(journey, "review-ar")
