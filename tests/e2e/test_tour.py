"""The README's tour: small screenshots of the main pages in English, French and Arabic.

Not part of the normal run (it rewrites committed images): `make screenshots` sets PORTAL_TOUR=1.
Each page is shot at 1280x800 and scaled to 1000 px wide, 256 colours, so a PNG stays small.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import expect

from reports.models import ReportingCycle

from .helpers import Journey, field, login, logout, switch_language
from .seed import OPEN_CYCLE, demo_world, report_submitted
from .test_delegation_journey import fill_oil_row

pytestmark = pytest.mark.skipif(
    os.environ.get("PORTAL_TOUR") != "1", reason="set PORTAL_TOUR=1 (make screenshots) to refresh docs/screenshots"
)
OUT = Path(settings.BASE_DIR) / "docs" / "screenshots"
WIDTH = 1000


def shot(journey: Journey, name: str) -> Path:
    journey.page.wait_for_load_state("networkidle")
    journey.snap(name)  # the full page, checked by axe, in test-artifacts/
    png = journey.page.screenshot(caret="initial")  # the viewport only, for the README
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.resize((WIDTH, round(image.height * WIDTH / image.width)), Image.LANCZOS)
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    image.save(path, optimize=True)
    assert path.stat().st_size < 150_000, f"{path} is {path.stat().st_size} bytes"
    return path


def test_tour(journey: Journey) -> None:
    page = journey.page
    page.set_viewport_size({"width": 1280, "height": 800})
    demo_world()
    report_submitted("JOR")
    cycle = ReportingCycle.objects.get(code=OPEN_CYCLE)

    page.goto(journey.url("/accounts/login/"))
    page.locator("input[name=login]").fill("focal-fra")
    shot(journey, "01-sign-in")
    login(journey, "focal-fra", snap=False)
    journey.goto("/delegation/", "obligations")
    shot(journey, "02-delegation-obligations")
    page.get_by_test_id(f"cycle-{OPEN_CYCLE}").locator("a.btn, button[type=submit]").first.click()
    page.wait_for_load_state("load")
    if page.get_by_role("link", name="Edit the draft").count():
        page.get_by_role("link", name="Edit the draft").click()
        page.wait_for_load_state("load")
    shot(journey, "03-checklist-editor")
    fill_oil_row(journey)
    page.locator(".register-row").first.scroll_into_view_if_needed()
    shot(journey, "04-oil-register")
    logout(journey)

    login(journey, "secretariat", snap=False)
    journey.goto(f"/secretariat/?cycle={cycle.pk}", "dashboard")
    shot(journey, "05-secretariat-dashboard")
    journey.goto(f"/secretariat/cycles/{cycle.pk}/matrix/", "matrix")
    shot(journey, "06-implementation-matrix")
    journey.goto("/secretariat/parties/", "parties")
    shot(journey, "07-parties-named")
    logout(journey)

    login(journey, "monitoring", snap=False)
    journey.goto("/monitoring/", "council-documents")
    past = ReportingCycle.objects.get(code="committee-update-2025")
    field(page, "Reporting cycle").select_option(str(past.pk))
    page.get_by_role("button", name="Generate the PDF").click()
    page.wait_for_load_state("load")
    expect(page.get_by_test_id("pdf-download")).to_be_visible(timeout=90_000)
    shot(journey, "08-council-summary-ready")
    logout(journey)

    switch_language(journey, "fr")
    login(journey, "secretariat", snap=False)
    journey.goto(f"/secretariat/?cycle={cycle.pk}", "dashboard-fr")
    shot(journey, "09-dashboard-french")
    logout(journey)
    switch_language(journey, "ar")
    login(journey, "focal-fra", snap=False)
    journey.goto("/delegation/", "obligations-ar")
    shot(journey, "10-delegation-arabic")
