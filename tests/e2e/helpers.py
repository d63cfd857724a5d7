"""What the browser journeys share: screenshots, axe-core, signing in, switching language.

A `Journey` wraps a Playwright page: every `snap()` saves a numbered screenshot under
test-artifacts/screenshots/<test>/ (so a person can look at the pages a test went through)
and runs axe-core on the page; serious or critical violations and Content-Security-Policy
refusals are collected and fail the test at its end, with the selectors that offend.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from playwright.sync_api import Page, expect

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
AXE_URL = "/static/vendor/axe/axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:80] or "page"


@dataclass
class Violation:
    page: str
    url: str
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        return f"[{self.impact}] {self.rule} on {self.page} ({self.url}): {self.help}; at {', '.join(self.targets[:6])}"


@dataclass
class Journey:
    page: Page
    base_url: str
    name: str
    check_axe: bool = True
    count: int = 0
    violations: list[Violation] = field(default_factory=list)
    csp_errors: list[str] = field(default_factory=list)
    pages_checked: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folder = ARTIFACTS / _slug(self.name)
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in [*self.folder.glob("*.png"), *self.folder.glob("*.json")]:
            old.unlink()
        self.page.on("console", self._on_console)

    def _on_console(self, message: Any) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            self.csp_errors.append(f"{self.page.url}: {text}")

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def goto(self, path: str, name: str | None = None) -> None:
        response = self.page.goto(self.url(path))
        assert response is not None and response.status < 400, f"GET {path} -> {response and response.status}"
        self.snap(name or path)

    def snap(self, name: str, *, axe: bool | None = None) -> Path:
        """Screenshot the page (full length) and, unless told not to, check it with axe-core."""
        self.page.wait_for_load_state("load")
        self.count += 1
        path = self.folder / f"{self.count:02d}-{_slug(name)}.png"
        # caret="initial": hiding the caret would inject a <style> that the portal's CSP refuses.
        self.page.screenshot(path=str(path), full_page=True, caret="initial")
        # axe runs once per address in a journey unless asked (axe=True): a page seen again
        # after a save is the same template, and axe costs about a second on a busy machine.
        if axe or (axe is None and self.check_axe and self.page.url not in self.pages_checked):
            self.axe(name)
        return path

    def axe(self, name: str) -> list[Violation]:
        page = self.page
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Loaded from the portal's own static files, so the strict CSP stays on during the test.
            page.add_script_tag(url=self.url(AXE_URL))
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map(n => n.target.join(' '))}));
            }"""
        )
        found = [
            Violation(name, page.url, v["id"], v["impact"] or "", v["help"], v["targets"])
            for v in result
            if v["impact"] in BLOCKING_IMPACTS
        ]
        # Colour is never the only signal: every visible badge carries text.
        mute = page.evaluate(
            """() => [...document.querySelectorAll('.badge')]
                .filter(b => b.offsetParent !== null && !b.closest('[aria-hidden=true]') && !b.textContent.trim())
                .map(b => b.outerHTML.slice(0, 120))"""
        )
        found += [Violation(name, page.url, "badge-without-text", "serious", "a badge shows only a colour", mute)] if mute else []
        # The page never scrolls sideways: wide tables scroll inside their own box.
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            wide = page.evaluate(
                """() => {
                    // What widens the page: past the window's edge and not inside a box that scrolls.
                    const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) {
                        if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
                    return [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !scrolls(e))
                        .slice(0, 6).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                            + (e.className ? '.' + String(e.className).split(' ').join('.') : ''));
                }"""
            )
            found.append(
                Violation(
                    name, page.url, "horizontal-overflow", "serious", f"the page is {overflow}px wider than the window", wide
                )
            )
        self.pages_checked.append(page.url)
        if found:
            (self.folder / f"{self.count:02d}-axe.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
        self.violations.extend(found)
        return found

    def assert_clean(self) -> None:
        problems = [str(v) for v in self.violations] + [f"CSP: {e}" for e in self.csp_errors]
        assert not problems, "Accessibility / CSP problems:\n" + "\n".join(problems)


def login(journey: Journey, username: str, password: str | None = None, *, snap: bool = True) -> None:
    """Sign in through the portal's form, answering the authenticator-code prompt if one appears."""
    page = journey.page
    page.goto(journey.url("/accounts/login/"))
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(password or settings.DEMO_PASSWORD)
    if snap:
        journey.snap(f"login-{username}")
    page.locator("main form").filter(has=page.locator("input[name=password]")).locator("[type=submit]").first.click()
    page.wait_for_load_state("load")
    code_input = page.locator("input[name=code]")
    if code_input.count():
        answer_totp(journey, username)
    expect(page.locator("[data-testid=identity]")).to_contain_text(username)


def totp_codes(username: str) -> list[str]:
    """What the user's authenticator app shows now, then the next and previous periods' codes.

    Demo users have fixed TOTP secrets (reports.services.mfa); the secret is read back from
    allauth's authenticator, and the "already used" markers are cleared because two journeys
    may sign the same user in within one 30-second window.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt
    from django.core.cache import cache

    from reports.models import User

    user = User.objects.get(username=username)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    now = int(time.time()) // app_settings.TOTP_PERIOD
    codes = [format_hotp_value(hotp_value(secret, now + i)) for i in (0, 1, -1)]
    for code in codes:
        cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")
    return codes


def answer_totp(journey: Journey, username: str) -> None:
    page = journey.page
    journey.snap(f"mfa-{username}")
    for code in totp_codes(username):
        page.locator("input[name=code]").fill(code)
        page.locator("main form").filter(has=page.locator("input[name=code]")).locator("[type=submit]").first.click()
        page.wait_for_load_state("load")
        if not page.locator("input[name=code]").count():
            return
    raise AssertionError(f"No authenticator code was accepted for {username}")


def logout(journey: Journey) -> None:
    page = journey.page
    page.locator("form[action$='/accounts/logout/'] [type=submit]").click()
    page.wait_for_load_state("load")
    if page.locator("form[action$='/accounts/logout/'] [type=submit]").count():  # allauth's confirmation page
        page.locator("main form[action$='/accounts/logout/'] [type=submit]").first.click()
        page.wait_for_load_state("load")


def switch_language(journey: Journey, code: str) -> None:
    """Use the header's language switcher the way a person does (it submits on change)."""
    page = journey.page
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    with page.expect_navigation():
        page.locator("#portal-language").select_option(code)
    expect(page.locator("html")).to_have_attribute("lang", code)


def field(scope: Any, label: str) -> Any:
    """The form control labelled exactly `label` (crispy adds "*" to required fields' labels)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))
