"""Review as a conversation with the State (issue 12, items 2 and 3), in English and Arabic.

The Secretariat asks about one register row; the focal point answers in the thread and opens
the addendum; the signatory submits it; the Secretariat sees the thread and the row on the
review page and resolves it, then shares its assessment; the State agrees; the matrix shows
"agreed". Every page passes through axe-core (Journey.snap). Selectors are data-testids and
form addresses, not words: the same steps run in both languages.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from reports.models import (
    Answer,
    AssessmentState,
    ChecklistAnswer,
    MeasureAssessment,
    OilInterdiction,
    Report,
    ReportingCycle,
    ReportStatus,
    Thread,
    ThreadStatus,
    User,
)
from reports.selectors.matrix import cycle_measures
from reports.services.assessments import measure_assess
from reports.services.reports import report_get_or_create, report_submit_unchecked

from .helpers import Journey, login, logout, switch_language
from .seed import OPEN_CYCLE

QUESTION = "Which customs office stopped the cargo at this port?"
ANSWER = "The Marseille-Fos customs office; the seizure record is attached to version 2."


def _france_submitted() -> Report:
    """France's report: every measure answered, one oil interdiction, submitted; one measure assessed."""
    signatory = User.objects.get(username="signatory-fra")
    cycle = ReportingCycle.objects.get(code=OPEN_CYCLE)
    report = report_get_or_create(state=signatory.state, cycle=cycle, actor=signatory)
    draft = report.versions.get(is_draft=True)
    measures = list(cycle_measures(cycle))
    ChecklistAnswer.objects.filter(version=draft).delete()
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(version=draft, measure=m, answer=Answer.IN_PLACE, legal_reference=f"Act No. 12/2016 ({m.code})")
        for m in measures
    )
    OilInterdiction.objects.create(
        version=draft, position=1, date=datetime.date(2026, 3, 2), place="Port of Marseille-Fos", commodity="crude",
        quantity=1200, unit="barrels", direction="from",
    )  # fmt: skip
    report_submit_unchecked(report=report, actor=signatory)
    officer = User.objects.get(username="secretariat")
    measure_assess(report=report, measure=measures[0], rating="implemented", actor=officer, note="Act No. 12/2016 covers it.")
    report.refresh_from_db()
    return report


def _post(page: Page, action_suffix: str) -> None:
    """Press the button of the form that posts to an address ending in `action_suffix`."""
    page.locator(f"main form[action$='{action_suffix}'] [type=submit]").first.click()
    page.wait_for_load_state("load")


def _sign_in(journey: Journey, username: str, language: str) -> None:
    login(journey, username, snap=False)
    if journey.page.locator("html").get_attribute("lang") != language:
        switch_language(journey, language)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_conversation_on_a_register_row_to_an_agreed_assessment(journey: Journey, language: str) -> None:
    page = journey.page
    report = _france_submitted()
    measure_code = report.assessments.get().measure.code
    review_url = f"/secretariat/reports/{report.pk}/"
    state_url = f"/delegation/reports/{report.pk}/"

    # 1. The Secretariat asks about the oil register's row 1.
    _sign_in(journey, "secretariat", language)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    journey.goto(review_url, "review-page")
    ask = page.get_by_test_id("thread-open")
    ask.locator("select[name=about]").select_option("row:reports.oilinterdiction:1")
    ask.locator("textarea[name=body]").fill(QUESTION)
    ask.locator("[type=submit]").click()
    page.wait_for_load_state("load")
    journey.snap("question-asked")
    thread = page.get_by_test_id("thread").first
    expect(thread).to_contain_text(QUESTION)
    expect(thread.get_by_test_id("thread-row")).to_contain_text("Port of Marseille-Fos")
    expect(page.get_by_test_id("status")).not_to_have_text("")
    opened = Thread.objects.get(report=report)
    assert (opened.row_model, opened.row_key, opened.status) == ("reports.oilinterdiction", "1", ThreadStatus.OPEN)
    report.refresh_from_db()
    assert report.status == ReportStatus.CLARIFICATION_REQUESTED
    logout(journey)

    # 2. The focal point answers in the thread and opens the addendum (only a signatory submits it).
    _sign_in(journey, "focal-fra", language)
    journey.goto(state_url, "state-report-question")
    thread = page.get_by_test_id("thread").first
    expect(thread).to_contain_text(QUESTION)
    expect(thread.get_by_test_id("thread-row")).to_contain_text("Port of Marseille-Fos")
    expect(page.get_by_test_id("addendum-rule")).to_be_visible()
    thread.locator("textarea[name=body]").fill(ANSWER)
    thread.locator("[type=submit]").click()
    page.wait_for_load_state("load")
    journey.snap("state-answered")
    expect(page.get_by_test_id("thread").first).to_contain_text(ANSWER)
    _post(page, "/addendum/")
    journey.snap("focal-point-opened-addendum")
    assert report.versions.filter(is_draft=True, number=2).exists()
    logout(journey)

    # 3. The signatory submits the addendum.
    _sign_in(journey, "signatory-fra", language)
    journey.goto(f"/delegation/reports/{report.pk}/review/", "signatory-review")
    acknowledge = page.locator("input[name=acknowledge]")
    if acknowledge.count():
        acknowledge.check()
    page.locator("main form.submit-card [type=submit]").click()
    page.wait_for_load_state("load")
    journey.snap("addendum-submitted")
    report.refresh_from_db()
    assert report.status == ReportStatus.AMENDED and report.current_version.number == 2  # type: ignore[union-attr]
    logout(journey)

    # 4. The Secretariat sees the thread, the answer and the row together, resolves it, shares its assessment.
    _sign_in(journey, "secretariat", language)
    journey.goto("/secretariat/reports/", "review-queue")
    expect(page.locator("main tr", has_text="FRA").get_by_test_id("open-threads")).to_have_text("1")
    journey.goto(review_url, "review-page-answered")
    thread = page.get_by_test_id("thread").first
    expect(thread).to_contain_text(ANSWER)
    expect(thread.get_by_test_id("thread-row")).to_contain_text("Port of Marseille-Fos")
    _post(page, "/resolve/")
    journey.snap("thread-resolved")
    expect(page.locator("article.thread-resolved")).to_have_count(1)
    assert Thread.objects.get(report=report).status == ThreadStatus.RESOLVED
    _post(page, "/assessments/share/")
    journey.snap("assessment-shared")
    expect(page.locator(f"#assessment-{measure_code} .assessment-state-shared")).to_be_visible()
    logout(journey)

    # 5. The State agrees with the assessment.
    _sign_in(journey, "focal-fra", language)
    journey.goto(state_url, "state-assessment")
    row = page.locator(f"#assessment-{measure_code}")
    row.locator("input[value=agree]").check()
    row.locator("[type=submit]").click()
    page.wait_for_load_state("load")
    journey.snap("state-agreed")
    expect(page.locator(f"#assessment-{measure_code} .assessment-state-agreed")).to_be_visible()
    assert MeasureAssessment.objects.get(report=report).state == AssessmentState.AGREED
    logout(journey)

    # 6. The matrix shows "agreed".
    _sign_in(journey, "secretariat", language)
    journey.goto(f"/secretariat/cycles/{report.cycle_id}/matrix/", "matrix-agreed")
    cell = page.locator("tr[data-state=FRA] [data-astate=agreed]")
    expect(cell).to_have_count(1)
    if language == "en":
        expect(cell).to_contain_text("agreed")
    expect(page.get_by_test_id("assessment-legend")).to_be_visible()
