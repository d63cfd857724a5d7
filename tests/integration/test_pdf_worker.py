"""Council PDFs through real Celery workers and Redis: a summary, the fanned-out compendium, and
a worker killed in the middle of a job (SIGKILL) whose job still ends."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from pypdf import PdfReader

from reports.models import AuditEvent, JobStatus, PdfJob, PdfKind
from reports.services.pdf_jobs import pdf_job_request, pdf_job_request_all_languages
from reports.services.pdf_schedule import pdf_jobs_sweep_stale
from tests.pdf.world import build_world, pdf_text

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def wait_for(job: PdfJob, statuses: tuple[str, ...], timeout: float = 120, condition=None) -> PdfJob:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses and (condition is None or condition(job)):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} is {job.status} ({job.progress} %, {job.message!r}, {job.error!r}) after {timeout} s")


def read(job: PdfJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


def test_summary_is_built_by_a_real_worker(celery_worker_real, reference, monitoring):
    world = build_world()
    job = pdf_job_request(actor=monitoring, kind=PdfKind.SUMMARY, cycle=world.cycle)  # queued on commit
    job = wait_for(job, (JobStatus.DONE, JobStatus.FAILED), timeout=60)
    assert job.status == JobStatus.DONE, job.error
    assert job.task_id and job.attempts == 1 and job.heartbeat_at is not None
    assert f"S/AC.37/{job.params['today'][:4]}/NOTE.{world.cycle.pk}" in pdf_text(read(job))


def test_six_language_versions_are_built_by_a_real_worker_from_the_same_data(celery_worker_real, reference, monitoring):
    world = build_world()
    jobs = pdf_job_request_all_languages(actor=monitoring, kind=PdfKind.PROFILE, cycle=world.cycle, state=world.fra)
    jobs = [wait_for(job, (JobStatus.DONE, JobStatus.FAILED), timeout=120) for job in jobs]
    assert all(job.status == JobStatus.DONE for job in jobs), [job.error_text for job in jobs]
    assert len({job.batch for job in jobs}) == 1 and len({job.data_as_of for job in jobs}) == 1
    assert len({job.sha256 for job in jobs}) == 6  # six documents, not one six times
    symbol = f"S/AC.37/{jobs[0].params['today'][:4]}/PROFILE/FRA"
    assert all(symbol in pdf_text(read(job)) for job in jobs)


def test_compendium_fans_out_to_the_worker_and_merges(celery_worker_real, reference, settings):
    settings.PDF_COMPENDIUM_CHUNK_SIZE = 70  # three parts of States, plus the summary
    world = build_world()
    job = pdf_job_request(actor=None, kind=PdfKind.COMPENDIUM, cycle=world.cycle)
    job = wait_for(job, (JobStatus.DONE, JobStatus.FAILED), timeout=240)
    assert job.status == JobStatus.DONE, job.error
    assert job.params["parts"] == 4
    reader = PdfReader(io.BytesIO(read(job)))
    assert len(reader.outline[-1]) == 193 and job.pages == len(reader.pages)


def _worker(env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    celery = str(Path(sys.executable).parent / "celery")
    return subprocess.Popen(
        [celery, "-A", "sanctions_portal", "worker", "--pool=solo", "--loglevel=WARNING", "-n", f"{name}-{os.getpid()}@%h"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_ping(app, name: str, timeout: float = 180) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(f"{name}-{os.getpid()}@" in worker for reply in (app.control.ping(timeout=1.0) or []) for worker in reply):
            return
    raise AssertionError(f"worker {name} did not start")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_a_worker_killed_mid_job_leaves_no_job_running(redis_url, transactional_db, reference, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database they can share (PostgreSQL)")
    from sanctions_portal.celery import app

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sanctions_portal.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "PORTAL_VAR_DIR": str(tmp_path),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PDF_JOB_HEARTBEAT_SECONDS": "1",
        "PDF_COMPENDIUM_CHUNK_SIZE": "10",
        "PYTHONPATH": str(ROOT),
    }
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.control.purge()
    world = build_world()
    first = _worker(env, "doomed")
    second = None
    try:
        _wait_ping(app, "doomed")
        job = pdf_job_request(actor=None, kind=PdfKind.COMPENDIUM, cycle=world.cycle)
        job = wait_for(job, (JobStatus.RUNNING,), timeout=240, condition=lambda j: j.progress > 10)
        # Progress moves when a task ends: wait a little so that the kill lands inside the next
        # part's rendering, not between two tasks (then nothing would be lost and no sweep needed).
        time.sleep(1.5)
        os.killpg(first.pid, signal.SIGKILL)  # no warm shutdown, no acknowledgement, no last word
        first.wait()
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING and job.attempts == 1, (job.status, job.attempts, job.message)

        time.sleep(3)  # the heartbeat (every second) has stopped
        second = _worker(env, "rescuer")
        _wait_ping(app, "rescuer")
        # The rescuer may first finish the dead run's other parts (their messages are still queued),
        # which keeps the heartbeat fresh; the part that died with the worker never arrives, so the
        # heartbeat then goes quiet and the sweep (Celery beat runs it every minute) re-queues the job.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and pdf_jobs_sweep_stale(stale_after=3, max_attempts=3).requeued != [job.pk]:
            time.sleep(1)
        job.refresh_from_db()
        # Re-queued: still waiting (attempt 1), or already taken by the rescuer (attempt 2), which
        # may beat this read when it has nothing else queued (PDFs have their own queue).
        assert (job.status, job.attempts) in ((JobStatus.QUEUED, 1), (JobStatus.RUNNING, 1), (JobStatus.RUNNING, 2)), (
            job.status,
            job.attempts,
            job.message,
        )
        job = wait_for(job, (JobStatus.DONE, JobStatus.FAILED), timeout=300)
        assert job.status == JobStatus.DONE, job.error
        assert job.attempts == 2
        assert AuditEvent.objects.filter(action="pdf_job_requeued", object_id=str(job.pk)).exists()
        reader = PdfReader(io.BytesIO(read(job)))
        assert len(reader.outline[-1]) == 193
    finally:
        _stop(first)
        if second is not None:
            _stop(second)
        app.conf.task_always_eager = True


def test_a_job_killed_on_its_last_attempt_fails_with_the_reason(redis_url, transactional_db, reference):
    world = build_world()
    job = pdf_job_request(actor=None, kind=PdfKind.SUMMARY, cycle=world.cycle, enqueue=False)
    PdfJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=3, heartbeat_at=None, started_at=world_time())
    assert pdf_jobs_sweep_stale(stale_after=2, max_attempts=3).failed == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "stopped responding" in job.error_text


def world_time():  # type: ignore[no-untyped-def]
    import datetime

    from django.utils import timezone

    return timezone.now() - datetime.timedelta(minutes=10)
