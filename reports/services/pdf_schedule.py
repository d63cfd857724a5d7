"""Council PDFs on a schedule: the stale-job sweep and the summaries ahead of the Council's briefings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reports.clock import portal_today
from reports.models import Distribution, JobStatus, PdfJob, PdfKind, Report, ReportingCycle
from reports.models.pdf import JobError, JobMessage

from .audit import audit_log
from .pdf_jobs import pdf_job_enqueue, pdf_job_fail, pdf_job_request


@dataclass
class SweepResult:
    requeued: list[int]
    failed: list[int]


def pdf_jobs_sweep_stale(
    *, now: datetime.datetime | None = None, stale_after: int | None = None, max_attempts: int | None = None
) -> SweepResult:
    """Re-queue (or fail, with the reason) running jobs whose worker stopped sending heartbeats."""
    now = now or timezone.now()
    stale_after = settings.PDF_JOB_STALE_SECONDS if stale_after is None else stale_after
    max_attempts = settings.PDF_JOB_MAX_ATTEMPTS if max_attempts is None else max_attempts
    limit = now - datetime.timedelta(seconds=stale_after)
    queued_limit = now - datetime.timedelta(seconds=settings.PDF_JOB_QUEUED_TIMEOUT_SECONDS)
    result = SweepResult(requeued=[], failed=[])
    stale = PdfJob.objects.filter(
        Q(status=JobStatus.RUNNING) & (Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit))
    ).values_list("pk", flat=True)
    for job_id in list(stale):
        with transaction.atomic():
            job = PdfJob.objects.select_for_update().get(pk=job_id)
            if job.status != JobStatus.RUNNING or (job.heartbeat_at and job.heartbeat_at >= limit):
                continue
            if job.attempts < max_attempts:
                job.status = JobStatus.QUEUED
                job.progress = 0
                job.message, job.message_args = JobMessage.REQUEUED, {"n": job.attempts, "max": max_attempts}
                job.params = {
                    k: v for k, v in job.params.items() if k not in ("merging", "parts", "part_keys", "rendered", "run")
                }
                job.task_id = ""
                job.save(update_fields=["status", "progress", "message", "message_args", "params", "task_id"])
                audit_log(action="pdf_job_requeued", obj=job, actor_name="system", attempts=job.attempts)
                transaction.on_commit(partial(pdf_job_enqueue, job_id=job.pk))
                result.requeued.append(job.pk)
            else:
                result.failed.append(job.pk)
        if job.pk in result.failed:
            pdf_job_fail(job_id=job.pk, error=JobError.WORKER_SILENT, s=stale_after, n=job.attempts)
    for job_id in PdfJob.objects.filter(
        status=JobStatus.QUEUED, created_at__lt=queued_limit, started_at__isnull=True
    ).values_list("pk", flat=True):
        pdf_job_fail(job_id=job_id, error=JobError.NO_WORKER)
        result.failed.append(job_id)
    return result


# --- scheduled: summaries ahead of the Council's briefings -----------------------------------------


def pdf_briefing_summaries(*, today: datetime.date | None = None) -> list[PdfJob]:
    """Queue a general summary of each open periodic cycle (once a day at most per cycle)."""
    today = today or portal_today()
    grace = datetime.timedelta(days=settings.PDF_BRIEFING_GRACE_DAYS)
    cycles = ReportingCycle.objects.filter(state__isnull=True, opens__lte=today, due__gte=today - grace).order_by("due", "code")
    jobs = []
    for cycle in cycles:
        already = PdfJob.objects.filter(
            kind=PdfKind.SUMMARY, cycle=cycle, requested_by__isnull=True, params__today=today.isoformat()
        ).exists()
        if not already and Report.objects.filter(cycle=cycle, current_version__isnull=False).exists():
            jobs.append(
                pdf_job_request(actor=None, kind=PdfKind.SUMMARY, distribution=Distribution.GENERAL, cycle=cycle, today=today)
            )
    return jobs
