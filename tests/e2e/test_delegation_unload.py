"""Nothing typed is lost when the page goes away between two autosaves.

The autosave runs every few seconds and on leaving a field; typing and then, at once, going
to another address or closing the tab used to lose what was typed since. The page now sends
it as it is hidden (fetch keepalive / sendBeacon, the CSRF token in the body).
"""

from __future__ import annotations

import time

from playwright.sync_api import expect

from reports.models import ChecklistAnswer, Report

from .helpers import Journey, login

CYCLE = "committee-update-2026"


def _stored_narratives() -> list[str]:
    report = Report.objects.get(state__iso3="FRA", cycle__code=CYCLE)
    return list(ChecklistAnswer.objects.filter(version__report=report).values_list("narrative", flat=True))


def _wait_stored(text: str, seconds: float = 15) -> None:
    """The request of a page that is gone completes on its own: wait for it to land."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in _stored_narratives():
            return
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never reached the database; stored: {_stored_narratives()!r}")


def test_typing_then_leaving_or_closing_at_once_loses_nothing(journey: Journey) -> None:
    page = journey.page
    login(journey, "focal-fra", snap=False)
    page.goto(journey.url("/delegation/"))
    page.get_by_test_id(f"cycle-{CYCLE}").get_by_role("button", name="Start the report").click()
    page.wait_for_load_state("load")
    editor_url = page.url
    narrative = page.locator(".measure-card").first.get_by_label("Narrative")

    # Type, and at once go elsewhere by the address bar: no focusout, no 5-second tick.
    first = "Typed a moment before leaving — « rien n'est perdu »."
    narrative.fill(first)
    page.goto(journey.url("/delegation/"))
    _wait_stored(first)
    page.goto(editor_url)
    expect(page.locator(".measure-card").first.get_by_label("Narrative")).to_have_value(first)

    # Type, and at once close the tab.
    second = "Typed a moment before closing the tab."
    page.locator(".measure-card").first.get_by_label("Narrative").fill(second)
    context = page.context
    page.close(run_before_unload=True)
    _wait_stored(second)
    again = context.new_page()
    journey.page = again
    again.goto(editor_url)
    expect(again.locator(".measure-card").first.get_by_label("Narrative")).to_have_value(second)
    journey.snap("after-closing-the-tab")
