"""The portal in Arabic (right to left), French and Russian, switched with the header's control."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from reports.models import ReportingCycle

from .helpers import Journey, login, logout, switch_language
from .seed import OPEN_CYCLE

EXPECTED = {
    "ar": {"dir": "rtl", "sign_in": "تسجيل الدخول", "our_reports": "تقاريرنا", "dashboard": "لوحة متابعة تقديم التقارير"},
    "fr": {
        "dir": "ltr",
        "sign_in": "Se connecter",
        "our_reports": "Nos rapports",
        "dashboard": "Tableau de bord de la présentation des rapports",
    },
}


def _assert_mirrored(page: Page, language: str, start: str, end: str) -> None:
    """In Arabic what starts a line sits on the right: `start` is right of `end`; elsewhere left."""
    a = page.locator(start).first.bounding_box()
    b = page.locator(end).first.bounding_box()
    assert a and b, (start, end)
    if language == "ar":
        assert a["x"] > b["x"], f"{start} should be right of {end} in Arabic: {a} {b}"
    else:
        assert a["x"] < b["x"], f"{start} should be left of {end}: {a} {b}"


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_journeys_in_arabic_and_french(journey: Journey, language: str) -> None:
    page = journey.page
    want = EXPECTED[language]
    journey.goto("/accounts/login/", "login-en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    switch_language(journey, language)
    journey.snap(f"login-{language}")
    expect(page.locator("html")).to_have_attribute("dir", want["dir"])
    expect(page.locator("main h1")).to_have_text(want["sign_in"])

    # The delegation's landing page: translated navigation, dates in the language, mirrored layout.
    login(journey, "focal-fra", snap=False)
    expect(page.locator("html")).to_have_attribute("lang", language)
    journey.goto("/delegation/", f"delegation-{language}")
    expect(page.locator(".portal-navbar")).to_contain_text(want["our_reports"])
    cycle = ReportingCycle.objects.get(code=OPEN_CYCLE)
    with translation.override(language):
        due = date_format(cycle.due, "SHORT_DATE_FORMAT")
    row = page.get_by_test_id(f"cycle-{OPEN_CYCLE}")
    expect(row).to_contain_text(due)
    _assert_mirrored(page, language, ".navbar-brand", "[data-testid=identity]")
    _assert_mirrored(page, language, "main thead th:first-child", "main thead th:last-child")

    # The editor: measure titles come from the reference data in the language.
    row.locator("button[type=submit], a.btn").first.click()
    page.wait_for_load_state("load")
    journey.snap(f"editor-{language}")
    expect(page.locator("html")).to_have_attribute("dir", want["dir"])
    assert page.locator(".measure-card").count() > 0
    logout(journey)

    # One back-office page: the Secretariat's dashboard.
    login(journey, "secretariat", snap=False)
    journey.goto("/secretariat/", f"secretariat-{language}")
    expect(page.locator("main h1")).to_have_text(want["dashboard"])
    _assert_mirrored(page, language, ".sec-subnav .nav-item:first-child", ".sec-subnav .nav-item:last-child")
    journey.goto("/monitoring/", f"monitoring-{language}")
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_russian_pages_read_in_russian(journey: Journey) -> None:
    """Russian is complete (tests/test_translations.py): the editor's notes read in Russian, not English."""
    page = journey.page
    journey.goto("/accounts/login/", "login")
    switch_language(journey, "ru")
    login(journey, "focal-fra", snap=False)
    journey.goto("/delegation/", "delegation-ru")
    expect(page.locator(".portal-navbar")).to_contain_text("Наши доклады")
    page.get_by_test_id(f"cycle-{OPEN_CYCLE}").locator("button[type=submit], a.btn").first.click()
    page.wait_for_load_state("load")
    journey.snap("editor-ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    main = page.locator("main")
    expect(main).to_contain_text("Контрольный перечень мер по осуществлению")
    expect(main).to_contain_text("Даты в реестрах могут находиться в пределах от")
    expect(main).not_to_contain_text("Dates in the registers may run from")
