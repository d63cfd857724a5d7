"""A PDF job's progress reads in the language of whoever looks at it, not in the worker's."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.models import JobStatus, PdfJob, PdfKind
from reports.services import pdf_compendium, pdf_jobs, pdf_schedule
from tests.pdf.world import TODAY, build_world


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    return build_world()


def _look(client, job: PdfJob, language: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = language
    with translation.override(translation.get_language()):  # a request leaves its language active: put it back
        return {
            "progress": client.get(reverse("monitoring:job_progress", args=[job.pk])).content.decode(),
            "list": client.get(reverse("monitoring:jobs_table")).content.decode(),
        }


def _in(language: str, message: str, **args: int) -> str:
    with translation.override(language):
        return _(message) % args


def test_compendium_progress_is_shown_in_the_viewers_language(client, monitoring, world, settings, monkeypatch):
    settings.PDF_COMPENDIUM_CHUNK_SIZE = 60  # four chunks of profiles and the summary: five parts
    client.force_login(monitoring)
    job = pdf_jobs.pdf_job_request(
        actor=monitoring, kind=PdfKind.COMPENDIUM, cycle=world.cycle, today=TODAY, language="fr", enqueue=False
    )
    seen: dict[str, dict[str, str]] = {}
    render = pdf_jobs.render_pdf

    def render_while_looking(html, **kwargs):  # type: ignore[no-untyped-def]
        # The chunks are rendered eagerly, then the summary: look at the job when four of five are done.
        job.refresh_from_db()
        if not seen and (job.message_args or {}).get("done") == 4:
            seen.update({language: _look(client, job, language) for language in ("fr", "en")})
        return render(html, **kwargs)

    monkeypatch.setattr(pdf_compendium, "render_pdf", render_while_looking)
    with translation.override("ru"):  # whatever language the worker's thread happens to speak
        pdf_jobs.pdf_job_run(job_id=job.pk, attempt=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert seen, "the job was never seen half-way through"
    parts = "%(done)d of %(total)d parts rendered"
    french, english, russian = (_in(language, parts, done=4, total=5) for language in ("fr", "en", "ru"))
    assert english == "4 of 5 parts rendered" and len({french, english, russian}) == 3
    for view in ("progress", "list"):
        assert french in seen["fr"][view], seen["fr"][view]
        assert english in seen["en"][view], seen["en"][view]
        assert russian not in seen["fr"][view] + seen["en"][view]


def test_waiting_and_requeued_jobs_read_in_the_viewers_language(client, monitoring, world):
    client.force_login(monitoring)
    with translation.override("en"):  # asked for by an English speaker
        job = pdf_jobs.pdf_job_request(actor=monitoring, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)
    waiting = "Waiting for a worker"
    assert _in("fr", waiting) != waiting
    assert _in("fr", waiting) in _look(client, job, "fr")["progress"]
    assert waiting in _look(client, job, "en")["progress"]

    # The stale-job sweep (a beat task, in no one's language) puts back a job whose worker went silent.
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    PdfJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1, heartbeat_at=long_ago, started_at=long_ago)
    with translation.override("ru"):
        pdf_schedule.pdf_jobs_sweep_stale(stale_after=120, max_attempts=3)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    requeued = "Re-queued: the worker stopped responding (attempt %(n)d of %(max)d failed)"
    assert _in("fr", requeued, n=1, max=3) in _look(client, job, "fr")["progress"]
    assert "Re-queued: the worker stopped responding (attempt 1 of 3 failed)" in _look(client, job, "en")["progress"]


def test_a_message_written_before_messages_were_codes_is_shown_as_written(client, monitoring, world):
    client.force_login(monitoring)
    job = pdf_jobs.pdf_job_request(actor=monitoring, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)
    PdfJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, message="Laying out the pages")
    assert "Laying out the pages" in _look(client, job, "fr")["progress"]
