"""Why a PDF job failed reads in the language of whoever looks at it, not in the worker's;
an exception's own text (not translatable) is shown as written, after the reason."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from reports.models import JobStatus, PdfJob, PdfKind
from reports.services import pdf_jobs, pdf_schedule
from tests.pdf.world import build_world

SILENT = "The worker building this document stopped responding (no sign of life for %(s)d seconds) %(n)d times."


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    return build_world()


def _get(client, user, url: str, language: str) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    client.cookies["django_language"] = language
    with translation.override(translation.get_language()):  # a request leaves its language active: put it back
        return client.get(url).content.decode()


def _look(client, monitoring, job: PdfJob, language: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "progress": _get(client, monitoring, reverse("monitoring:job_progress", args=[job.pk]), language),
        "list": _get(client, monitoring, reverse("monitoring:jobs_table"), language),
    }


def _in(language: str, message: str, **args: int) -> str:
    with translation.override(language):
        return escape(_(message) % args)


def _failed_by_a_silent_worker_in_russian(job: PdfJob) -> None:
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    PdfJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=3, heartbeat_at=long_ago, started_at=long_ago)
    with translation.override("ru"):  # the beat task's process, in whatever language it happens to speak
        assert pdf_schedule.pdf_jobs_sweep_stale(stale_after=120, max_attempts=3).failed == [job.pk]


def test_a_failure_reads_in_the_viewers_language_not_the_workers(client, monitoring, secretariat, world):
    job = pdf_jobs.pdf_job_request(actor=monitoring, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)
    _failed_by_a_silent_worker_in_russian(job)
    french, english, russian = (_in(language, SILENT, s=120, n=3) for language in ("fr", "en", "ru"))
    assert english == "The worker building this document stopped responding (no sign of life for 120 seconds) 3 times."
    assert len({french, english, russian}) == 3
    seen = {language: _look(client, monitoring, job, language) for language in ("fr", "en")}
    for view in ("progress", "list"):
        assert french in seen["fr"][view], seen["fr"][view]
        assert english in seen["en"][view], seen["en"][view]
        assert russian not in seen["fr"][view] + seen["en"][view]

    # The audit trail records the failure without words of any language and shows it in the reader's.
    audit = {language: _get(client, secretariat, reverse("security:audit"), language) for language in ("fr", "en")}
    assert french in audit["fr"] and english in audit["en"]
    assert russian not in audit["fr"] + audit["en"]


def test_an_exception_is_shown_as_written_after_the_reason(client, monitoring, world, monkeypatch):
    job = pdf_jobs.pdf_job_request(actor=monitoring, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("the layout engine ran out of paper")

    monkeypatch.setattr(pdf_jobs, "render_pdf", broken)
    with translation.override("ru"):
        assert pdf_jobs.pdf_job_run(job_id=job.pk, attempt=0) is None
    detail = "ValueError: the layout engine ran out of paper"
    for language in ("fr", "en"):
        for view, page in _look(client, monitoring, job, language).items():
            reason = _in(language, "The document could not be built.")
            assert reason in page and detail in page, (language, view, page)
            assert page.index(reason) < page.index(detail), (language, view)


def test_an_error_written_before_reasons_were_codes_is_shown_as_written(client, monitoring, world):
    job = pdf_jobs.pdf_job_request(actor=monitoring, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)
    legacy = "Обработчик перестал отвечать 3 раза."  # free text in the language the worker spoke then
    PdfJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=legacy, finished_at=timezone.now())
    for view, page in _look(client, monitoring, job, "fr").items():
        assert legacy in page, (view, page)
