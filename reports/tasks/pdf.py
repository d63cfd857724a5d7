"""Council PDF tasks: thin wrappers around reports.services.pdf_jobs, pdf_compendium and pdf_schedule.

Late acknowledgement (settings: CELERY_TASK_ACKS_LATE, REJECT_ON_WORKER_LOST) puts a message
back if the worker dies; transient errors (database or broker unreachable) are retried with
backoff; when the retries run out the job is marked failed with the reason.
"""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from reports.models.pdf import JobError
from reports.services import pdf_compendium, pdf_jobs, pdf_schedule


class PdfJobTask(Task):  # type: ignore[type-arg]
    acks_late = True
    autoretry_for = pdf_jobs.TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = False
    max_retries = 4

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        if args:
            gave_up = isinstance(exc, pdf_jobs.TRANSIENT_ERRORS)  # the retries ran out
            error = JobError.GAVE_UP if gave_up else JobError.BUILD_FAILED
            pdf_jobs.pdf_job_fail(job_id=int(args[0]), error=error, exc=exc)


@shared_task(bind=True, base=PdfJobTask, name="reports.pdf_job_build")
def pdf_job_build(self: Task, job_id: int, attempt: int) -> None:  # type: ignore[type-arg]
    pdf_jobs.pdf_job_run(job_id=job_id, attempt=attempt)


@shared_task(bind=True, base=PdfJobTask, name="reports.pdf_compendium_part")
def pdf_compendium_part(self: Task, job_id: int, run: int, index: int, state_ids: list[int]) -> None:  # type: ignore[type-arg]
    pdf_compendium.compendium_part_run(job_id=job_id, run=run, index=index, state_ids=state_ids)


@shared_task(name="reports.pdf_jobs_sweep_stale")
def pdf_jobs_sweep_stale() -> dict[str, list[int]]:
    result = pdf_schedule.pdf_jobs_sweep_stale()
    return {"requeued": result.requeued, "failed": result.failed}


@shared_task(name="reports.pdf_briefing_summaries")
def pdf_briefing_summaries() -> list[int]:
    return [job.pk for job in pdf_schedule.pdf_briefing_summaries()]


@shared_task(name="reports.pdf_parts_prune", ignore_result=True)
def pdf_parts_prune() -> int:
    """Drop compendium parts nobody has written for PDF_PARTS_KEEP_DAYS: a part still wanted is
    simply rendered again (its key is the hash of its data), so pruning never changes a document."""
    import datetime

    from django.conf import settings

    from reports.services.pdf_parts import pdf_parts_prune as prune

    return prune(older_than=datetime.timedelta(days=settings.PDF_PARTS_KEEP_DAYS))
