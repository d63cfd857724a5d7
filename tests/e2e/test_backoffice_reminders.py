"""The Secretariat reminds every State owing the open cycle's report in one click, watches the
batch finish on a real Celery worker, and sees a result per State; a second click sends nothing.
An address that does not exist shows the portal's own page, right to left in Arabic."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core import mail
from playwright.sync_api import expect

from reports.models import ReminderBatch, ReportingCycle

from .helpers import Journey, login, switch_language
from .seed import OPEN_CYCLE, demo_world, report_submitted

SHOTS = Path("/tmp/shots-backoffice")


def _keep(journey: Journey, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    shot = journey.snap(name)
    shutil.copy(shot, SHOTS / f"{name}.png")


def test_secretariat_reminds_every_owing_state_once(journey: Journey, celery_live) -> None:  # type: ignore[no-untyped-def]
    page = journey.page
    demo_world()
    report_submitted("FRA")
    cycle = ReportingCycle.objects.get(code=OPEN_CYCLE)
    login(journey, "secretariat")

    journey.goto("/secretariat/reminders/", "reminders")
    expect(page.get_by_label("Reporting cycle")).to_have_value(str(cycle.pk))  # the cycle open today
    _keep(journey, "reminders-page")
    mail.outbox.clear()
    page.get_by_test_id("remind-all").click()
    batch = page.get_by_test_id("reminder-batch")
    expect(batch).to_have_attribute("data-status", "done", timeout=60_000)
    _keep(journey, "reminder-batch-done")
    sent = page.locator("[data-outcome=sent]")
    expect(sent.first).to_be_visible()
    first_sent = sent.count()
    assert first_sent > 0 and page.locator("[data-outcome=no_recipient]").count() > 0
    assert page.locator("tr[data-iso3=FRA]").count() == 0  # France has reported
    mails = len(mail.outbox)
    assert mails >= first_sent

    # The same action again: every State is already reminded today, nothing is sent.
    journey.goto(f"/secretariat/reminders/?cycle={cycle.pk}", "reminders-again")
    page.get_by_test_id("remind-all").click()
    expect(page.get_by_test_id("reminder-batch")).to_have_attribute("data-status", "done", timeout=60_000)
    journey.snap("reminder-batch-again")
    expect(page.locator("[data-outcome=sent]")).to_have_count(0)
    expect(page.locator("[data-outcome=already_reminded]")).to_have_count(first_sent)
    assert len(mail.outbox) == mails
    assert ReminderBatch.objects.count() == 2

    journey.goto("/secretariat/states/without-accounts/", "states-without-accounts")
    expect(page.get_by_test_id("unreachable")).to_contain_text("no recipient")


def test_a_missing_page_reads_right_to_left_in_arabic(journey: Journey) -> None:
    page = journey.page
    login(journey, "secretariat")
    switch_language(journey, "ar")
    response = page.goto(journey.url("/secretariat/no-such-page/"))
    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_test_id("error-page")).to_be_visible()
    expect(page.get_by_test_id("error-home")).to_have_text("العودة إلى البوابة")
    _keep(journey, "error-404-arabic")
    page.get_by_test_id("error-home").click()
    page.wait_for_load_state("load")
    assert "/secretariat/" in page.url
