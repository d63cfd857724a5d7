"""The Monitoring Team asks for a Council summary, watches it build, downloads it; a Committee
member then finds the general summary under "Council summaries" (and nothing restricted)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from reports.models import JobStatus, PdfJob
from tests.pdf.world import build_world, pdf_text

from .helpers import Journey, login, logout


def test_analyst_builds_a_summary_and_the_committee_reads_it(journey: Journey, celery_live):
    world = build_world()
    page = journey.page
    login(journey, "monitoring")
    journey.goto("/monitoring/", "council-documents")
    page.locator("#id_kind").select_option("summary")
    page.locator("#id_cycle").select_option(str(world.cycle.pk))
    page.get_by_role("button", name="Generate the PDF").click()
    page.wait_for_load_state("load")
    expect(page.locator(".pdf-job-progress")).to_be_visible()
    journey.snap("job-progress")
    # htmx polls the progress every second; the download appears without a reload.
    download_link = page.get_by_test_id("pdf-download")
    expect(download_link).to_be_visible(timeout=90_000)
    journey.snap("job-done")
    with page.expect_download() as info:
        download_link.click()
    content = Path(info.value.path()).read_bytes()
    job = PdfJob.objects.get()
    assert job.status == JobStatus.DONE
    text = re.sub(r"\s+", " ", pdf_text(content))
    assert "Distr.: General" in text and "Crude oil barrels 1500 2 2" in text
    logout(journey)

    login(journey, "committee")
    journey.goto("/monitoring/summaries/", "committee-summaries")
    expect(page.get_by_role("link", name=re.compile("Download"))).to_have_count(1)
    assert page.goto(journey.url(f"/monitoring/jobs/{job.pk}/")).status == 404
