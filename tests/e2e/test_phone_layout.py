"""The portal on a phone (390 px wide) in French, Russian and Arabic.

Every snap() checks that the page is no wider than the window (helpers.Journey.axe): a wide
table scrolls in its own .table-responsive box and the header wraps. French has the longest
name in the header, Russian the longest labels, Arabic reads right to left. The language is
the portal's cookie, as the header's selector sets it (its menu is folded away on a phone).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Page

from reports.models import Report, ReportingCycle, ReportStatus, User
from reports.selectors.access import reports_visible_to

from .helpers import Journey, login
from .seed import OPEN_CYCLE, demo_world

PHONE = {"width": 390, "height": 844}

# Words split across two lines inside table cells; hyphens and slashes are ordinary places to wrap.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/[^\\s\\-\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


# Cells whose text runs over more than one line (a date broken at its hyphen or spaces).
WRAPPED_CELLS = """(selector) => [...document.querySelectorAll(selector)].filter(cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size > 1;
}).map(cell => cell.textContent.trim())"""

# Controls too narrow for the text they show (a select squeezed by its table column).
CUT_SELECTS = """(selector) => [...document.querySelectorAll(selector)].filter(s => {
  const style = getComputedStyle(s);
  const context = document.createElement('canvas').getContext('2d');
  context.font = style.font;
  const text = context.measureText(s.options[s.selectedIndex].text).width;
  return s.clientWidth - parseFloat(style.paddingInlineStart) - parseFloat(style.paddingInlineEnd) < text;
}).map(s => s.id)"""


def _sign_in(journey: Journey, username: str, language: str) -> None:
    context = journey.page.context
    context.clear_cookies()
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": journey.base_url}])
    login(journey, username, snap=False)


def _words_whole(page: Page, selector: str) -> None:
    assert page.locator(selector).count(), f"no {selector} on {page.url}"
    broken = page.evaluate(BROKEN_WORDS, selector)
    assert not broken, f"words broken across lines in {selector} on {page.url}: {broken[:10]}"


@pytest.mark.parametrize("language", ["fr", "ru", "ar"])
def test_pages_fit_a_phone(journey: Journey, language: str) -> None:
    page = journey.page
    page.set_viewport_size(PHONE)
    demo_world()
    cycle = ReportingCycle.objects.get(code=OPEN_CYCLE)

    _sign_in(journey, "focal-fra", language)
    journey.goto("/delegation/", "obligations")
    due_dates = "[data-testid^=cycle-] td:nth-child(3)"
    assert page.locator(due_dates).count() and page.evaluate(WRAPPED_CELLS, due_dates) == []

    _sign_in(journey, "secretariat", language)
    journey.goto(f"/secretariat/?cycle={cycle.pk}", "dashboard")
    for section in ("overdue", "incomplete", "gaps", "inconsistencies"):
        journey.goto(f"/secretariat/cycles/{cycle.pk}/register/{section}/", f"register-{section}")
    journey.goto(f"/secretariat/cycles/{cycle.pk}/states/", "states-by-status")
    journey.goto("/secretariat/reports/", "review-queue")
    journey.goto("/secretariat/parties/", "parties")
    journey.goto("/secretariat/states/FRA/", "state")
    submitted = Report.objects.filter(cycle=cycle, status=ReportStatus.SUBMITTED).order_by("pk").first()
    assert submitted is not None, "the demo data has a submitted report"
    journey.goto(f"/secretariat/reports/{submitted.pk}/", "review")
    assert page.locator("select[name=rating]").count()
    assert page.evaluate(CUT_SELECTS, "select[name=rating]") == [], "the assessment can be read in its select"

    # An accepted report with an oil register, as a Committee member reads it: every table
    # scrolls, and no word is cut in two to squeeze it into the screen.
    committee = User.objects.get(username="committee")
    report = (
        reports_visible_to(committee)
        .filter(status=ReportStatus.ACCEPTED, current_version__oilinterdiction_rows__isnull=False)
        .order_by("pk")
        .first()
    )
    assert report is not None, "the demo data has an accepted report with oil interdictions"
    _sign_in(journey, "committee", language)
    journey.goto("/committee/", "accepted-reports")
    submitted_on = "[data-testid=committee-reports] td:nth-child(5)"
    assert page.locator(submitted_on).count() and page.evaluate(WRAPPED_CELLS, submitted_on) == []
    journey.goto(f"/committee/reports/{report.pk}/", "report")
    _words_whole(page, ".content-table td")
