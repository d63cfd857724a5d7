"""The portal in Arabic (right to left) and French, switched with the header's control."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import Journey, login, switch_language


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_language_switcher_changes_language_and_direction(journey: Journey, language: str) -> None:
    page = journey.page
    journey.goto("/accounts/login/", "login-en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    switch_language(journey, language)
    journey.snap(f"login-{language}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")

    login(journey, "focal-fra")
    expect(page.locator("html")).to_have_attribute("lang", language)
    journey.goto("/delegation/", f"delegation-{language}")

    brand = page.locator(".navbar-brand").bounding_box()
    identity = page.locator("[data-testid=identity]").bounding_box()
    assert brand and identity
    if language == "ar":  # the layout mirrors: the brand sits on the right, the user on the left
        assert brand["x"] > identity["x"], (brand, identity)
    else:
        assert brand["x"] < identity["x"], (brand, identity)
