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


def test_analyst_asks_for_a_profile_in_the_six_languages_and_watches_one_progress_bar(journey: Journey, celery_live):
    world = build_world()
    page = journey.page
    login(journey, "monitoring")
    journey.goto("/monitoring/", "council-documents-six")
    page.locator("#id_kind").select_option("profile")
    page.locator("#id_state").select_option("FRA")
    page.locator("#id_cycle").select_option(str(world.cycle.pk))
    expect(page.locator("#id_language")).to_have_value("en")  # the interface's language, unless chosen
    page.locator("#id_language").select_option("all")
    page.get_by_role("button", name="Generate the PDF").click()
    page.wait_for_load_state("load")
    expect(page.locator("progress")).to_have_count(1)
    journey.snap("batch-progress")
    # htmx polls the set's progress; each language's download appears without a reload.
    expect(page.get_by_test_id("pdf-download")).to_have_count(6, timeout=120_000)
    expect(page.locator("progress")).to_have_count(1)
    journey.snap("batch-done")
    jobs = list(PdfJob.objects.all())
    assert len(jobs) == 6 and len({job.batch for job in jobs}) == 1 and len({job.data_as_of for job in jobs}) == 1
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Download.*French")).click()
    assert info.value.suggested_filename.endswith("-FR.pdf")
    assert "Français (F)" in pdf_text(Path(info.value.path()).read_bytes())
