"""The Monitoring Team asks for the Council summary, watches it being built, and reads the PDF."""

from __future__ import annotations

import re
import time

import pypdf
from playwright.sync_api import expect

from reports.models import PdfJob, Report, ReportingCycle

from .helpers import Journey, field, login
from .seed import demo_world

PAST_CYCLE = "committee-update-2025"


def _pdf_text(path: str) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def test_monitoring_builds_the_council_summary(journey: Journey, celery_live) -> None:  # type: ignore[no-untyped-def]
    page = journey.page
    demo_world()
    cycle = ReportingCycle.objects.get(code=PAST_CYCLE)
    received = Report.objects.filter(cycle=cycle, current_version__isnull=False).count()
    assert received > 0

    login(journey, "monitoring")
    journey.goto("/monitoring/", "council-documents")
    field(page, "Document").select_option("summary")
    field(page, "Reporting cycle").select_option(str(cycle.pk))
    field(page, "Distribution").select_option("general")
    page.get_by_role("button", name="Generate the PDF").click()
    page.wait_for_load_state("load")
    expect(page.locator(".portal-messages")).to_contain_text("Your document is being prepared")

    # Watch the progress bar move (htmx polls every second) until the document is done.
    progress = page.locator("section.pdf-job-progress")
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + 90
    status = ""
    while time.monotonic() < deadline:
        # Status and text are read in one go: htmx may swap the section between two reads,
        # and a finished job has no progress line to wait for.
        status, text = progress.evaluate(
            "el => [el.dataset.status || '', (el.querySelector('[data-testid=pdf-progress]') || {}).textContent || '']"
        )
        if status in ("queued", "running"):
            match = re.search(r"(\d+)\s*%", text)
            value = int(match.group(1)) if match else -1
            if not seen or seen[-1] != (status, value):
                seen.append((status, value))
                if len(seen) <= 3:
                    journey.snap(f"progress-{status}-{value}", axe=len(seen) == 1)
        elif status in ("done", "failed"):
            break
        page.wait_for_timeout(200)
    journey.snap("summary-done")
    job = PdfJob.objects.order_by("-pk").first()
    assert job is not None
    assert status == "done", f"the job ended {status!r}: {job.error}"
    if celery_live is not None:
        # A real worker: the page showed the job before it finished, and the bar only moved forward.
        assert seen, "the progress bar was never seen"
        values = [v for _s, v in seen if v >= 0]
        assert values == sorted(values), seen
    expect(page.locator("section.pdf-job-progress")).to_contain_text(job.sha256)

    with page.expect_download() as download_info:
        page.get_by_test_id("pdf-download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = _pdf_text(str(download.path()))
    flat = " ".join(text.split())
    assert "Reporting rates" in flat, flat[:800]
    assert "193" in flat
    assert str(received) in flat
    assert "Islamic State in Iraq and the Levant" in flat or "QDe.115" in flat, "the most-named party is missing"

    # The list of documents keeps it, with its download.
    journey.goto("/monitoring/", "council-documents-after")
    expect(page.get_by_test_id("pdf-jobs")).to_contain_text("Council summary for a cycle")
    expect(page.get_by_test_id("pdf-jobs").get_by_role("link", name="Download")).to_have_count(1)
