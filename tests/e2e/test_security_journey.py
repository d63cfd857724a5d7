"""Security in the browser: the second factor at sign-in, the audit trail, account security, lockout."""

from __future__ import annotations

from playwright.sync_api import expect

from .helpers import Journey, login


def test_secretariat_signs_in_with_a_code_and_reads_the_audit_trail(journey: Journey) -> None:
    page = journey.page
    login(journey, "secretariat")  # password, then the authenticator code (fixed demo secret)
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    page.locator("select[name=action]").select_option("login")
    page.get_by_role("button", name="Filter").click()
    table = page.locator("[data-testid=audit-table]")
    expect(table).to_contain_text("secretariat")
    expect(table).to_contain_text("login")
    journey.snap("audit-trail-filtered")
    page.get_by_role("link", name="Account security").click()
    expect(page.get_by_role("heading", name="Account security")).to_be_visible()
    expect(page.locator("[data-testid=sessions-link]")).to_be_visible()
    journey.snap("account-security")


def test_five_wrong_passwords_lock_the_account(journey: Journey) -> None:
    page = journey.page
    for _ in range(5):
        journey.goto("/accounts/login/")
        page.locator("input[name=login]").fill("focal-nga")
        page.locator("input[name=password]").fill("not-the-password")
        page.locator("main form [type=submit]").first.click()
    expect(page.get_by_role("heading", name="This account is locked")).to_be_visible()
    journey.snap("account-locked")
