"""The Monitoring Team reviews screening candidates in the browser (English and Arabic) and confirms one."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from django.conf import settings
from playwright.sync_api import expect

from reports.models import MatchStatus, MemberState, ReportingCycle, ScreeningMatch, ScreeningRun, User
from reports.services.reports import report_get_or_create
from reports.services.sanctions_import import import_sanctions_list
from reports.services.screening.runs import screen_all
from tests.screening.conftest import submit_parties

from .helpers import Journey, login, switch_language

FIXTURES = Path(settings.BASE_DIR) / "reports" / "fixtures" / "sanctions"
SHOTS = Path("/tmp/shots-screening")


def _shot(journey: Journey, name: str) -> None:
    path = journey.snap(name)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / f"{name}.png")


def test_an_expert_confirms_a_candidate(journey: Journey) -> None:
    snapshot = import_sanctions_list((FIXTURES / "consolidated-demo-1.xml").read_bytes(), source="e2e").snapshot
    state = MemberState.objects.get(iso3="JOR")
    focal = User.objects.filter(state=state).first() or User.objects.filter(state__isnull=False).first()
    assert focal is not None
    cycle = ReportingCycle.objects.order_by("-due").first()
    assert cycle is not None
    report = report_get_or_create(state=focal.state, cycle=cycle, actor=focal)
    submit_parties(
        report, ["Abd al-Rahman al-Anizi", "عبد الرحمن العنزي"], when=datetime.datetime(2014, 3, 1, tzinfo=datetime.UTC)
    )
    screen_all(run=ScreeningRun.objects.create(snapshot=snapshot))
    page = journey.page
    login(journey, "monitoring", snap=False)
    page.goto(journey.url("/secretariat/sanctions-list/screening/"))
    rows = page.get_by_test_id("match")
    expect(rows.first).to_be_visible()
    _shot(journey, "screening-review")
    first = rows.filter(has_text="Abd al-Rahman al-Anizi").first
    first.locator("input[name=note]").fill("Same person: date of birth and nationality agree")
    first.get_by_role("button", name="Confirm").click()
    expect(page.locator(".portal-messages")).to_contain_text("Confirmed")
    match = ScreeningMatch.objects.get(name="Abd al-Rahman al-Anizi")
    assert match.status == MatchStatus.CONFIRMED and match.decided_by.username == "monitoring"
    switch_language(journey, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _shot(journey, "screening-review-ar")
    page.goto(journey.url("/secretariat/parties/"))
    expect(page.get_by_text("QDi.901").first).to_be_visible()
    _shot(journey, "parties-grouped-ar")
