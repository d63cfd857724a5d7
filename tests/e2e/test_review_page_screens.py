"""The merged review page as the Secretariat reads it: the questions and answers, the
assessments shared with the State and the whole report with what the addendum changed, in
English and Arabic, at desktop and phone width; and the State's dashboard listing what it is
asked. Each snap checks axe-core and that the page never scrolls sideways (helpers.Journey);
the copies under test-artifacts/screenshots/review-*.png are for a person to look at."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from reports.models import Measure, ReportingCycle, User
from reports.services.assessments import assessment_respond, assessments_share, measure_assess
from reports.services.threads import thread_open, thread_reply, thread_resolve

from ..review_world import amend, filed_report
from .helpers import ARTIFACTS, Journey
from .seed import OPEN_CYCLE
from .test_phone_layout import BROKEN_WORDS
from .test_phone_layout import _sign_in as sign_in_in_language

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _report_under_conversation():  # type: ignore[no-untyped-def]
    """France's report amended once (a changed quantity, an added interdiction), four threads (one
    on a register row answered by the State, one on a measure, one on a section, one resolved) and
    an internal note; three measures assessed, shared, one agreed and one disputed."""
    focal = User.objects.get(username="focal-fra")
    signatory = User.objects.get(username="signatory-fra")
    officer = User.objects.get(username="secretariat")
    cycle = ReportingCycle.objects.get(code=OPEN_CYCLE)
    report = filed_report(focal.state, cycle, focal=focal, signatory=signatory)
    measures = list(Measure.objects.filter(resolution=cycle.obligation.resolution, active=True).order_by("order", "code")[:4])
    row = thread_open(report=report, actor=officer, body="Which customs office stopped the cargo at this port, and under which decree?",
                      anchor="row", row_model="reports.oilinterdiction", row_key="1")  # fmt: skip
    thread_reply(thread=row, actor=focal, body="The Marseille-Fos customs office, under Decree No. 2016-1234; the quantity was corrected in version 2.")  # fmt: skip
    thread_open(report=report, actor=officer, body="Please cite the article that makes the freeze apply without delay.",
                anchor="measure", measure=measures[1])  # fmt: skip
    thread_open(
        report=report, actor=officer, body="Was any of the frozen assets released since?", anchor="section", section="assets"
    )
    settled = thread_open(
        report=report, actor=officer, body="Is the attachment the consolidated text?", anchor="section", section="attachments"
    )
    thread_reply(thread=settled, actor=signatory, body="Yes, as in force on 1 September 2026.")
    thread_resolve(thread=settled, actor=officer)
    thread_reply(thread=row, actor=officer, body="Check the decree against the Monitoring Team's copy.", internal=True)
    report = amend(report, signatory=signatory)
    for measure, rating in zip(measures[:3], ["implemented", "partial", "not_implemented"], strict=True):
        measure_assess(
            report=report, measure=measure, rating=rating, actor=officer, note="Read against the Customs Act, art. 12."
        )
    assessments_share(report=report, actor=officer)
    assessment_respond(report=report, measure=measures[0], actor=focal, agree=True)
    assessment_respond(
        report=report, measure=measures[1], actor=signatory, agree=False, comment="Article 4 of the Decree covers it."
    )
    measure_assess(report=report, measure=measures[3], rating="na", actor=officer)  # a draft, not yet shared
    return report


def _keep(journey: Journey, name: str) -> None:
    # axe (and the sideways-scroll check) at every width, not once per address
    shutil.copy(journey.snap(name, axe=True), ARTIFACTS / f"review-{name}.png")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_review_page_reads_whole_in_both_directions_and_on_a_phone(journey: Journey, language: str) -> None:
    page = journey.page
    report = _report_under_conversation()
    rtl = language == "ar"
    for who, url in [("secretariat", f"/secretariat/reports/{report.pk}/"), ("focal-fra", "/delegation/")]:
        sign_in_in_language(journey, who, language)
        for size, viewport in SIZES.items():
            page.set_viewport_size(viewport)
            response = page.goto(journey.url(url))
            assert response is not None and response.ok, url
            expect(page.locator("html")).to_have_attribute("dir", "rtl" if rtl else "ltr")
            _keep(journey, f"{'page' if who == 'secretariat' else 'dashboard'}-{language}-{size}")
            if who == "focal-fra":
                expect(page.get_by_test_id("open-question")).to_have_count(3)
                continue
            expect(page.get_by_test_id("thread")).to_have_count(4)
            expect(page.get_by_test_id("thread-row-now")).to_be_visible()
            expect(page.get_by_test_id("assessment")).to_have_count(4)
            expect(page.get_by_test_id("diff-legend")).to_be_visible()
            # Right to left means the text starts at the right: the threads' headings hug the side it starts from.
            section = page.get_by_test_id("threads").bounding_box()
            heading = page.locator("#threads-title").bounding_box()
            assert section and heading
            start_gap = (
                (section["x"] + section["width"]) - (heading["x"] + heading["width"]) if rtl else heading["x"] - section["x"]
            )
            assert 0 <= start_gap < 40, f"the heading does not start at the {'right' if rtl else 'left'} ({start_gap}px)"
            # A message in English reads left to right inside the Arabic page (its "?" at its end).
            message = page.get_by_test_id("thread-message").locator(".thread-body").first
            assert message.evaluate("e => getComputedStyle(e).direction") == "ltr"
            # The history's transitions point the way the page reads.
            history = page.get_by_test_id("history").inner_text()
            assert ("←" in history and "→" not in history) if rtl else ("→" in history and "←" not in history)
            # On a phone the assessments table scrolls in its box rather than cut words in two.
            assert page.evaluate(BROKEN_WORDS, "#assessments td") == [], "words cut in the assessments table"
            # The status badges keep their text on one line, readable at any width.
            for badge in page.locator("[data-testid=thread-status], [data-testid=assessment-state]").all():
                box = badge.bounding_box()
                assert box and box["height"] < 40, f"a badge is squeezed onto several lines: {badge.inner_text()}"
