"""The Secretariat in the browser: the new report on the dashboard, the matrix cell, review, reminder."""

from __future__ import annotations

from django.core import mail
from playwright.sync_api import expect

from reports.models import Report, ReportingCycle, ReportStatus, ReviewAction

from .helpers import Journey, login
from .seed import OPEN_CYCLE, demo_world, report_submitted


def test_secretariat_reviews_and_reminds(journey: Journey) -> None:
    page = journey.page
    demo_world()
    france = report_submitted("FRA")
    cycle = ReportingCycle.objects.get(code=OPEN_CYCLE)
    received = Report.objects.filter(cycle=cycle, current_version__isnull=False).count()
    other = (
        Report.objects.filter(cycle=cycle, status=ReportStatus.SUBMITTED).exclude(pk=france.pk).select_related("state").first()
    )
    assert other is not None, "the demo data has a submitted report of another State"

    login(journey, "secretariat")

    # The dashboard counts France's new report.
    journey.goto(f"/secretariat/?cycle={cycle.pk}", "dashboard")
    totals = page.get_by_test_id("totals")
    expect(totals.locator("[data-n=received]")).to_have_text(str(received))
    expect(totals.locator("[data-n=expected]")).to_have_text("193")

    # The review queue lists it; the matrix shows its answers; a cell opens the answer.
    page.get_by_role("link", name="Review queue").click()
    page.wait_for_load_state("load")
    journey.snap("review-queue")
    expect(page.locator("main")).to_contain_text("France")

    page.go_back()
    page.get_by_role("link", name="Implementation matrix").click()
    page.wait_for_load_state("load")
    journey.snap("matrix")
    row = page.locator("tr[data-state=FRA]")
    expect(row).to_contain_text("In place")
    row.locator("a.sec-cell-link").first.click()
    page.wait_for_load_state("load")
    journey.snap("matrix-cell")
    expect(page.get_by_test_id("answer")).to_contain_text("In place")
    expect(page.get_by_test_id("answer")).to_contain_text("Act No. 12/2016, art. 4")
    expect(page.get_by_test_id("answer")).to_contain_text(france.current_version.reference)

    # Review France's report: start, then ask for clarification (a comment is required).
    page.locator("main .breadcrumb").get_by_role("link", name="France", exact=False).click()
    page.wait_for_load_state("load")
    journey.snap("report")
    expect(page.get_by_test_id("status")).to_have_text("Submitted")
    page.get_by_role("button", name="Start review").click()
    page.wait_for_load_state("load")
    expect(page.get_by_test_id("status")).to_have_text("Under review")
    page.get_by_role("button", name="Request clarification").click()  # empty: refused beside the field
    page.wait_for_load_state("load")
    journey.snap("clarification-without-comment")
    expect(page.get_by_test_id("status")).to_have_text("Under review")
    page.get_by_label("What the State should clarify").fill("Please cite the decree that designates the customs authority.")
    page.get_by_role("button", name="Request clarification").click()
    page.wait_for_load_state("load")
    journey.snap("clarification-requested")
    expect(page.get_by_test_id("status")).to_have_text("Clarification requested")
    expect(page.get_by_test_id("history")).to_contain_text("Please cite the decree")
    france.refresh_from_db()
    assert france.status == ReportStatus.CLARIFICATION_REQUESTED
    assert france.events.filter(action=ReviewAction.REQUEST_CLARIFICATION).exists()

    # Accept another State's report.
    journey.goto(f"/secretariat/reports/{other.pk}/", "other-report")
    page.get_by_role("button", name="Start review").click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Accept").click()
    page.wait_for_load_state("load")
    journey.snap("accepted")
    expect(page.get_by_test_id("status")).to_have_text("Accepted")
    other.refresh_from_db()
    assert other.status == ReportStatus.ACCEPTED

    # Printed, the page keeps the report and drops the navigation and the buttons.
    page.emulate_media(media="print")
    expect(page.locator(".portal-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Add note")).to_be_hidden()
    expect(page.get_by_test_id("status")).to_be_visible()
    journey.snap("accepted-print", axe=False)
    page.emulate_media(media="screen")

    # Remind a State whose report is still a draft: the reminder is logged and mailed.
    mail.outbox.clear()
    journey.goto("/secretariat/states/RUS/", "state-russia")
    page.get_by_label("Reporting cycle").select_option(str(cycle.pk))
    page.get_by_role("button", name="Send a reminder now").click()
    page.wait_for_load_state("load")
    journey.snap("reminder-sent")
    reminders = page.get_by_test_id("reminders")
    expect(reminders).to_contain_text(cycle.display_label)  # the cycle in words, not its code
    expect(reminders).to_contain_text("secretariat")
    recipients = {address for message in mail.outbox for address in message.to}
    assert "focal-rus@demo.un.example" in recipients, recipients

    # The other back-office pages, with the demo data behind them: they render and pass axe.
    for path in (
        f"/secretariat/cycles/{cycle.pk}/states/?category=overdue",
        f"/secretariat/cycles/{cycle.pk}/register/",
        f"/secretariat/cycles/{cycle.pk}/register/incomplete/",
        f"/secretariat/cycles/{cycle.pk}/register/gaps/",
        f"/secretariat/cycles/{cycle.pk}/register/inconsistencies/",
        "/secretariat/parties/",
        "/security/audit/",
        "/security/account/",
        "/monitoring/summaries/",
    ):
        journey.goto(path)
        expect(page.locator("main h1")).to_be_visible()
