"""Keyboard alone, labels and errors tied to fields, the skip link (axe-core runs in every journey too)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .helpers import Journey, login, totp_codes
from .seed import OPEN_CYCLE


def _tab_to(page: Page, selector: str, limit: int = 25) -> None:
    """Press Tab until the element matching selector has the focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never received the focus after {limit} Tab presses")


def test_keyboard_alone_signs_in(journey: Journey) -> None:
    page = journey.page
    journey.goto("/accounts/login/", "login")
    _tab_to(page, "input[name=login]")
    page.keyboard.type("signatory-fra")
    _tab_to(page, "input[name=password]")
    page.keyboard.type("demo-pass-2253")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    code = page.locator("input[name=code]")
    if code.count():
        journey.snap("authenticator-code")
        # The code field has the focus on arrival, or is the first field a Tab reaches.
        if not page.evaluate("() => document.activeElement && document.activeElement.name === 'code'"):
            _tab_to(page, "input[name=code]")
        page.keyboard.type(totp_codes("signatory-fra")[0])
        with page.expect_navigation():
            page.keyboard.press("Enter")
    expect(page.locator("[data-testid=identity]")).to_contain_text("signatory-fra")
    journey.snap("signed-in")


def test_skip_link_is_first_and_moves_focus_to_main(journey: Journey) -> None:
    page = journey.page
    journey.goto("/accounts/login/", "login")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_sign_in_errors_are_tied_to_their_fields(journey: Journey) -> None:
    page = journey.page
    journey.goto("/accounts/login/", "login")
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state("load")
    journey.snap("empty-form-errors")
    for name in ("login", "password"):
        field = page.locator(f"input[name={name}]")
        expect(field).to_have_attribute("aria-invalid", "true")
        described = (field.get_attribute("aria-describedby") or "").split()
        assert described, f"{name} has no aria-describedby"
        texts = [page.locator(f"[id='{ident}']").inner_text() for ident in described if page.locator(f"[id='{ident}']").count()]
        assert any(t.strip() for t in texts), f"{name}: aria-describedby {described} points at no message"
        # and the label names the field
        label = page.locator(f"label[for='{field.get_attribute('id')}']")
        expect(label).to_have_count(1)
        assert label.inner_text().strip()

    page.locator("input[name=login]").fill("focal-fra")
    page.locator("input[name=password]").fill("not-the-password")
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state("load")
    journey.snap("wrong-password")
    expect(page.locator("main .alert")).to_be_visible()
    expect(page.locator("input[name=login]")).to_have_value("focal-fra")


def test_keyboard_alone_fills_and_saves_the_checklist(journey: Journey) -> None:
    page = journey.page
    login(journey, "focal-fra", snap=False)
    journey.goto("/delegation/", "obligations")
    _tab_to(page, f"[data-testid=cycle-{OPEN_CYCLE}] button[type=submit]", limit=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.snap("editor")
    _tab_to(page, ".measure-card select[name$=answer]", limit=60)
    first_answer = page.evaluate("() => document.activeElement.name")
    page.keyboard.press("ArrowDown")  # "In place", the first answer after "Not answered yet"
    _tab_to(page, "input[name$=legal_reference]")
    page.keyboard.type("Loi n° 2015-912, art. 3")
    _tab_to(page, "#editor-form button[type=submit]", limit=120)  # leaving the field autosaves
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.snap("saved")
    assert "Saved" in page.locator(".portal-messages").inner_text()
    page.reload()
    assert page.locator(f"select[name='{first_answer}']").input_value() == "in_place"
    assert page.locator("input[name$=legal_reference]").first.input_value() == "Loi n° 2015-912, art. 3"


def test_register_errors_are_tied_to_their_fields(journey: Journey) -> None:
    """A wrong value in a register row: kept as typed, marked invalid, its message named by aria-describedby."""
    page = journey.page
    login(journey, "focal-fra", snap=False)
    journey.goto("/delegation/", "obligations")
    page.get_by_test_id(f"cycle-{OPEN_CYCLE}").get_by_role("button", name="Start the report").click()
    page.wait_for_load_state("load")
    page.locator(".editor-tabs").get_by_role("link", name="Oil interdictions").click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Add a row").click()
    row = page.locator(".register-row").last
    row.locator("input[name$=place]").fill("Port of Marseille-Fos")
    row.locator("input[name$=quantity]").fill("-5")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.wait_for_load_state("networkidle")
    page.locator("#editor-form").get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state("load")
    journey.snap("row-with-errors")
    quantity = page.locator(".register-row input[name$=quantity]").first
    assert quantity.input_value() == "-5", "the wrong value is kept as typed"
    assert quantity.get_attribute("aria-invalid") == "true"
    described = (quantity.get_attribute("aria-describedby") or "").split()
    messages = [page.locator(f"[id='{i}']").inner_text() for i in described if page.locator(f"[id='{i}']").count()]
    assert any(m.strip() for m in messages), f"quantity's aria-describedby {described} names no message"
