"""The PdfJob lifecycle: request, build, fail with a reason, retry, sweep stale jobs, briefings."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.utils import timezone

from reports.models import AuditEvent, Distribution, JobStatus, PdfJob, PdfKind, ReportingCycle
from reports.models.pdf import JobError
from reports.services import pdf_compendium, pdf_jobs, pdf_schedule
from reports.services.pdf_jobs import PdfJobError, pdf_job_request, pdf_job_run
from reports.services.pdf_schedule import pdf_jobs_sweep_stale
from tests.pdf.world import TODAY, build_world


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    return build_world()


def test_request_records_who_what_and_queues_after_commit(world, monitoring, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(pdf_jobs, "pdf_job_enqueue", lambda *, job_id: sent.append(job_id))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = pdf_job_request(actor=monitoring, kind=PdfKind.SUMMARY, cycle=world.cycle, today=TODAY)
    assert sent == []  # nothing queued before the row is committed
    for callback in callbacks:
        callback()
    assert sent == [job.pk]
    assert (job.status, job.requested_by, job.params["today"], job.distribution) == (
        JobStatus.QUEUED,
        monitoring,
        "2026-08-15",
        Distribution.GENERAL,
    )
    event = AuditEvent.objects.get(action="pdf_job_request", object_id=str(job.pk))
    assert event.actor == monitoring and event.detail["kind"] == "summary"


@pytest.mark.parametrize("who", ["committee", "focal_a"])
def test_only_the_back_office_may_request(world, who, request):
    with pytest.raises(PdfJobError):
        pdf_job_request(actor=request.getfixturevalue(who), kind=PdfKind.SUMMARY, cycle=world.cycle)
    assert not PdfJob.objects.exists()


def test_request_refuses_missing_or_wrong_inputs(world, monitoring):
    with pytest.raises(PdfJobError, match="cycle"):
        pdf_job_request(actor=monitoring, kind=PdfKind.SUMMARY, cycle=None)
    with pytest.raises(PdfJobError, match="State"):
        pdf_job_request(actor=monitoring, kind=PdfKind.PROFILE, state=None)
    with pytest.raises(PdfJobError):
        pdf_job_request(actor=monitoring, kind=PdfKind.RECEIPT, cycle=world.cycle)
    with pytest.raises(PdfJobError):
        pdf_job_request(actor=monitoring, kind=PdfKind.SUMMARY, cycle=world.cycle, distribution="secret")
    event_cycle = ReportingCycle.objects.create(
        obligation=world.cycle.obligation, code="event-x", opens=TODAY, due=TODAY, state=world.fra, event_date=TODAY
    )
    with pytest.raises(PdfJobError, match="event"):
        pdf_job_request(actor=monitoring, kind=PdfKind.SUMMARY, cycle=event_cycle)


def test_a_failure_is_recorded_with_its_reason(world, monkeypatch):
    job = pdf_job_request(actor=None, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("the layout engine ran out of paper")

    monkeypatch.setattr(pdf_jobs, "render_pdf", broken)
    assert pdf_job_run(job_id=job.pk, attempt=0) is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert (job.error, job.error_args) == (JobError.BUILD_FAILED, {})
    assert job.error_detail == "ValueError: the layout engine ran out of paper"
    assert job.error_text == "The document could not be built. ValueError: the layout engine ran out of paper"
    assert job.finished_at is not None and not job.file
    failed = AuditEvent.objects.get(action="pdf_job_failed", object_id=str(job.pk))
    assert failed.detail == {"error": "build_failed", "error_args": {}, "detail": job.error_detail}


def test_a_failed_compendium_part_is_named_in_the_reason(world, monkeypatch, settings):
    settings.PDF_COMPENDIUM_CHUNK_SIZE = 100  # two parts of profiles
    job = pdf_job_request(actor=None, kind=PdfKind.COMPENDIUM, cycle=world.cycle, enqueue=False)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("no room for the flag")

    monkeypatch.setattr(pdf_compendium, "profiles_html", broken)
    pdf_job_run(job_id=job.pk, attempt=0)
    job.refresh_from_db()
    assert (job.status, job.error, job.error_args) == (JobStatus.FAILED, JobError.PART_FAILED, {"n": 1})
    assert job.error_text == "Part 1 of the compendium could not be built. RuntimeError: no room for the flag"


def test_a_transient_error_puts_the_job_back_for_the_tasks_retry(world, monkeypatch):
    job = pdf_job_request(actor=None, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(pdf_jobs, "render_pdf", flaky)
    with pytest.raises(OperationalError):
        pdf_job_run(job_id=job.pk, attempt=0)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 0)  # the retry (same attempt number) will take it
    monkeypatch.undo()
    assert pdf_job_run(job_id=job.pk, attempt=0) is not None
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1


def test_task_retries_transient_errors_then_fails_the_job(world, monkeypatch):
    from reports.tasks.pdf import PdfJobTask, pdf_job_build

    assert OperationalError in PdfJobTask.autoretry_for and pdf_job_build.acks_late
    job = pdf_job_request(actor=None, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)
    pdf_job_build.on_failure(OperationalError("database is gone"), "task-id", (job.pk, 0), {}, None)
    job.refresh_from_db()
    assert (job.status, job.error, job.error_detail) == (JobStatus.FAILED, JobError.GAVE_UP, "OperationalError: database is gone")


def test_a_message_for_an_old_attempt_is_ignored(world):
    job = pdf_job_request(actor=None, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)
    PdfJob.objects.filter(pk=job.pk).update(attempts=1)  # re-queued once already
    assert pdf_job_run(job_id=job.pk, attempt=0) is None
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def _running(world, *, heartbeat_age: int, attempts: int = 1) -> PdfJob:  # type: ignore[no-untyped-def]
    job = pdf_job_request(actor=None, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)
    beat = timezone.now() - datetime.timedelta(seconds=heartbeat_age)
    PdfJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=attempts, started_at=beat, heartbeat_at=beat, progress=40
    )
    return job


def test_sweep_requeues_a_job_whose_worker_went_silent(world, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(pdf_schedule, "pdf_job_enqueue", lambda *, job_id: sent.append(job_id))
    stale = _running(world, heartbeat_age=600)
    alive = _running(world, heartbeat_age=5)
    with django_capture_on_commit_callbacks(execute=True):
        result = pdf_jobs_sweep_stale(stale_after=120, max_attempts=3)
    assert result.requeued == [stale.pk] and result.failed == []
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert (stale.status, stale.progress, stale.attempts) == (JobStatus.QUEUED, 0, 1)
    assert "stopped responding" in stale.message_text
    assert alive.status == JobStatus.RUNNING
    assert sent == [stale.pk]
    # The re-queued job builds normally with the next attempt.
    assert pdf_job_run(job_id=stale.pk, attempt=1) is not None
    stale.refresh_from_db()
    assert stale.status == JobStatus.DONE and stale.attempts == 2


def test_sweep_fails_a_job_that_used_up_its_attempts_with_the_reason(world):
    job = _running(world, heartbeat_age=600, attempts=3)
    result = pdf_jobs_sweep_stale(stale_after=120, max_attempts=3)
    assert result.failed == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert (job.error, job.error_args) == (JobError.WORKER_SILENT, {"s": 120, "n": 3})
    assert "stopped responding" in job.error_text and "120 seconds" in job.error_text


def test_sweep_fails_a_job_no_worker_ever_took(world, settings):
    job = pdf_job_request(actor=None, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)
    PdfJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))
    pdf_jobs_sweep_stale()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "No worker" in job.error_text


def test_briefing_builds_the_summary_of_each_open_cycle_once_a_day(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jobs = pdf_schedule.pdf_briefing_summaries(today=TODAY)
    assert [j.cycle for j in jobs] == [world.cycle]
    job = PdfJob.objects.get(pk=jobs[0].pk)
    assert (job.kind, job.distribution, job.requested_by, job.status) == (PdfKind.SUMMARY, "general", None, JobStatus.DONE)
    assert pdf_schedule.pdf_briefing_summaries(today=TODAY) == []  # already built today
    assert len(pdf_schedule.pdf_briefing_summaries(today=TODAY + datetime.timedelta(days=1))) == 1


def test_briefing_schedule_is_read_from_the_environment(monkeypatch):
    from sanctions_portal.settings.env import env_crontab

    monkeypatch.setenv("PDF_BRIEFING_SCHEDULE", "30 7 * * 2")
    assert env_crontab("PDF_BRIEFING_SCHEDULE", "0 6 * * 1-5") == {
        "minute": "30", "hour": "7", "day_of_month": "*", "month_of_year": "*", "day_of_week": "2"
    }  # fmt: skip
    monkeypatch.setenv("PDF_BRIEFING_SCHEDULE", "off")
    assert env_crontab("PDF_BRIEFING_SCHEDULE", "0 6 * * 1-5") is None
    for bad in ("every monday", "99 6 * * 1"):
        monkeypatch.setenv("PDF_BRIEFING_SCHEDULE", bad)
        with pytest.raises(ImproperlyConfigured, match="PDF_BRIEFING_SCHEDULE"):
            env_crontab("PDF_BRIEFING_SCHEDULE", "0 6 * * 1-5")


def test_beat_schedule_has_the_sweep_and_the_briefings(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["pdf-jobs-sweep-stale"]["task"] == "reports.pdf_jobs_sweep_stale"
    assert schedule["pdf-briefing-summaries"]["task"] == "reports.pdf_briefing_summaries"


def test_an_unreachable_broker_fails_the_job_at_once_with_the_reason(world, monkeypatch, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError as BrokerDown

    from reports.tasks.pdf import pdf_job_build

    def down(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(pdf_job_build, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        job = pdf_job_request(actor=None, kind=PdfKind.SUMMARY, cycle=world.cycle)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == JobError.QUEUE_UNREACHABLE
    assert "task queue could not be reached" in job.error_reason and "refused" in job.error_detail
