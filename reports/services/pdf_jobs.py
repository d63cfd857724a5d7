"""Council PDF jobs: the lifecycle (request, build in a Celery worker, store, fail).

The compendium's fan-out and merge are in reports.services.pdf_compendium, the stale-job sweep
and the briefing schedule in reports.services.pdf_schedule, the merging of tagged PDFs in
reports.pdf.assembly.

A job moves queued -> running -> done | failed. Every start bumps `attempts`; a task message
carries the attempt it was queued for, so a message delivered twice (acks_late after a worker
died, then the stale-job sweep re-queued it) finds the job already taken and does nothing.
While a job runs, a heartbeat thread touches `heartbeat_at`; the periodic sweep re-queues a
running job whose heartbeat is older than PDF_JOB_STALE_SECONDS, or fails it with the reason
once PDF_JOB_MAX_ATTEMPTS are used up.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.clock import portal_today
from reports.models import (
    UN_LANGUAGES,
    Distribution,
    DocumentLanguage,
    JobStatus,
    MemberState,
    PdfJob,
    PdfKind,
    Report,
    ReportingCycle,
)
from reports.models.pdf import JobError, JobMessage
from reports.pdf.documents import (
    DocumentRequest,
    data_as_of_for,
    file_name,
    profiles_html,
    summary_html,
)
from reports.pdf.render import render_pdf
from reports.selectors.access import audiences_requestable_by, is_back_office

from .audit import audit_log

if TYPE_CHECKING:
    from django.http import HttpRequest

    from reports.models import User

logger = logging.getLogger(__name__)

COUNCIL_KINDS = (PdfKind.SUMMARY, PdfKind.PROFILE, PdfKind.COMPENDIUM)


class PdfJobError(Exception):
    """A request that cannot be built; the message is shown to the user."""


class DataChanged(Exception):
    """A language version of a batch found other data than the batch fixed when it was asked for."""


def batch_data_as_of(job: PdfJob, built: datetime.datetime) -> datetime.datetime:
    """The time of the data a document shows: for a batch, the one it fixed, if the data is still that."""
    pinned = (job.params or {}).get("data_as_of")
    if not pinned:
        return built
    fixed = datetime.datetime.fromisoformat(pinned)
    if built != fixed:
        raise DataChanged(f"data as of {built.isoformat()}, the batch fixed {pinned}")
    return fixed


# --- asking for a document --------------------------------------------------------------------


def pdf_job_request(
    *,
    actor: User | None,
    kind: str,
    distribution: str = Distribution.GENERAL,
    cycle: ReportingCycle | None = None,
    state: MemberState | None = None,
    today: datetime.date | None = None,
    language: str = "en",
    request: HttpRequest | None = None,
    enqueue: bool = True,
) -> PdfJob:
    """Record a request for a Council document and queue its build once the row is committed.

    `actor` None means the system (Celery beat, an operator's command line).
    """
    return _jobs_request(
        actor=actor,
        kind=kind,
        distribution=distribution,
        cycle=cycle,
        state=state,
        today=today,
        languages=[language],
        request=request,
        enqueue=enqueue,
    )[0]


def pdf_job_request_all_languages(
    *,
    actor: User | None,
    kind: str,
    distribution: str = Distribution.GENERAL,
    cycle: ReportingCycle | None = None,
    state: MemberState | None = None,
    today: datetime.date | None = None,
    request: HttpRequest | None = None,
    enqueue: bool = True,
) -> list[PdfJob]:
    """One document in the six official languages: one job each, one batch, one data_as_of.

    The batch fixes the time of the data when it is asked for; a version built after the reports
    changed fails with DATA_CHANGED rather than show other figures than its siblings.
    """
    return _jobs_request(
        actor=actor,
        kind=kind,
        distribution=distribution,
        cycle=cycle,
        state=state,
        today=today,
        languages=list(DocumentLanguage.values),
        request=request,
        enqueue=enqueue,
        batch=uuid.uuid4(),
    )


def _jobs_request(
    *,
    actor: User | None,
    kind: str,
    distribution: str,
    cycle: ReportingCycle | None,
    state: MemberState | None,
    today: datetime.date | None,
    languages: list[str],
    request: HttpRequest | None,
    enqueue: bool,
    batch: uuid.UUID | None = None,
) -> list[PdfJob]:
    if actor is not None and not is_back_office(actor):
        raise PdfJobError(_("Only the Secretariat and the Monitoring Team can generate Council documents."))
    if kind not in COUNCIL_KINDS:
        raise PdfJobError(_("Unknown document."))
    if distribution not in Distribution.values:
        raise PdfJobError(_("Unknown distribution."))
    if actor is not None and distribution not in audiences_requestable_by(actor):
        raise PdfJobError(_("You may not ask for a document of this distribution."))
    if kind in (PdfKind.SUMMARY, PdfKind.COMPENDIUM) and cycle is None:
        raise PdfJobError(_("Choose the reporting cycle."))
    if cycle is not None and cycle.state_id is not None:
        raise PdfJobError(_("Summaries cover periodic cycles, not event notifications."))
    if kind == PdfKind.PROFILE and state is None:
        raise PdfJobError(_("Choose the State."))
    codes = [code for code in map(document_language, languages) if code is not None]
    if len(codes) != len(languages):
        raise PdfJobError(_("Unknown language: choose one of the six official languages."))
    if (
        kind in (PdfKind.SUMMARY, PdfKind.COMPENDIUM)
        and not Report.objects.filter(cycle=cycle, current_version__isnull=False).exists()
    ):
        raise PdfJobError(_("No State has submitted a report for this cycle yet: there is nothing to summarise."))
    today = today or portal_today()
    params: dict[str, Any] = {"today": today.isoformat()}
    if batch is not None:
        # Fixed once for the whole set: every language version prints (and must be built from) this data.
        probe = DocumentRequest(kind=kind, distribution=distribution, today=today, cycle=cycle, state=state)
        params["data_as_of"] = data_as_of_for(probe).isoformat()
    jobs = []
    with transaction.atomic():
        for language in codes:
            job = PdfJob.objects.create(
                kind=kind,
                distribution=distribution,
                language=language,
                batch=batch,
                cycle=cycle,
                state=state if kind == PdfKind.PROFILE else None,
                requested_by=actor,
                params={**params, "language": language},
                message=JobMessage.WAITING,
            )
            audit_log(
                action="pdf_job_request",
                actor=actor,
                actor_name="" if actor else "system",
                obj=job,
                request=request,
                kind=kind,
                distribution=distribution,
                language=language,
                batch=str(batch) if batch else None,
                state=job.state,
                cycle=cycle.code if cycle else None,
            )
            if enqueue:
                transaction.on_commit(partial(pdf_job_enqueue, job_id=job.pk))
            jobs.append(job)
    return jobs


def document_language(language: str) -> str | None:
    """One of the six document languages in the portal's spelling ("zh-hans", not "zh"); None if unknown."""
    wanted = (language or "").lower()
    if wanted in DocumentLanguage.values:
        return wanted
    base = wanted.split("-")[0]
    return next((code for code in DocumentLanguage.values if code.split("-")[0] == base and base in UN_LANGUAGES), None)


def _portal_language(language: str) -> str:
    """One of settings.LANGUAGES ("zh-hans", not "zh"): the document is translated with it."""
    return document_language(language) or "en"


def pdf_job_enqueue(*, job_id: int) -> None:
    from reports.tasks.pdf import pdf_job_build

    job = PdfJob.objects.get(pk=job_id)
    try:
        result = pdf_job_build.apply_async(args=(job.pk, job.attempts))
    except TRANSIENT_ERRORS as exc:
        # The broker is unreachable: say so on the job now rather than leave it queued for hours.
        logger.exception("PDF job %s: could not be queued", job_id)
        pdf_job_fail(job_id=job_id, error=JobError.QUEUE_UNREACHABLE, exc=exc)
        return
    PdfJob.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def document_request(job: PdfJob) -> DocumentRequest:
    params = job.params or {}
    today = datetime.date.fromisoformat(params.get("today") or portal_today().isoformat())
    return DocumentRequest(
        kind=job.kind,
        distribution=job.distribution,
        today=today,
        language=job.language,
        cycle=job.cycle,
        state=job.state,
    )


# --- building -------------------------------------------------------------------------------------


def pdf_job_run(*, job_id: int, attempt: int) -> PdfJob | None:
    """Build the document of a queued job (the Celery task's body). Returns None for a stale message."""
    job = _job_start(job_id=job_id, attempt=attempt)
    if job is None:
        return None
    try:
        with heartbeat(job.pk):
            if job.kind == PdfKind.COMPENDIUM:
                from .pdf_compendium import compendium_start

                compendium_start(job=job)
                return job
            request = document_request(job)
            _progress(job.pk, 15, JobMessage.READING)
            html = summary_html(request) if job.kind == PdfKind.SUMMARY else profiles_html(request, [job.state])  # type: ignore[list-item]
            batch_data_as_of(job, html.data_as_of)
            _progress(job.pk, 40, JobMessage.LAYING_OUT)
            pdf = render_pdf(html.html, identifier=request.identifier(html.data_as_of))
            if pdf.refused_urls:
                logger.warning("PDF job %s: refused %d URLs", job.pk, len(pdf.refused_urls))
            return _job_store(
                job_id=job.pk,
                content=pdf.content,
                pages=pdf.pages,
                data_as_of=html.data_as_of,
                name=file_name(request, html.data_as_of),
            )
    except TRANSIENT_ERRORS:
        _job_release(job_id=job.pk, attempt=attempt)
        raise
    except DataChanged as exc:
        pdf_job_fail(job_id=job.pk, error=JobError.DATA_CHANGED, exc=exc)
        return None
    except Exception as exc:
        logger.exception("PDF job %s failed", job.pk)
        pdf_job_fail(job_id=job.pk, error=JobError.BUILD_FAILED, exc=exc)
        return None


def _job_start(*, job_id: int, attempt: int) -> PdfJob | None:
    with transaction.atomic():
        job = PdfJob.objects.select_for_update(of=("self",)).select_related("cycle", "state").filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED or job.attempts != attempt:
            logger.info("PDF job %s: message for attempt %s ignored (job is %s)", job_id, attempt, job and job.status)
            return None
        now = timezone.now()
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = now
        job.heartbeat_at = now
        job.progress = 5
        job.message, job.message_args = JobMessage.STARTED, {}
        job.error, job.error_args, job.error_detail = "", {}, ""
        fields = ["status", "attempts", "started_at", "heartbeat_at", "progress", "message", "message_args"]
        job.save(update_fields=[*fields, "error", "error_args", "error_detail"])
    return job


def _job_release(*, job_id: int, attempt: int) -> None:
    """After a transient error: back to the queue for the task's own retry (same attempt number)."""
    try:
        PdfJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.QUEUED, attempts=attempt, message=JobMessage.RETRYING, message_args={}
        )
    except Exception:  # the database may be what failed; the stale-job sweep catches the job then
        logger.exception("PDF job %s: could not release it for a retry", job_id)


def _progress(job_id: int, percent: int, message: JobMessage, **args: int) -> None:
    """Record how far the job is: a message code and its figures, put into words by whoever looks."""
    PdfJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        progress=max(0, min(99, percent)), message=message, message_args=args, heartbeat_at=timezone.now()
    )


def _job_store(*, job_id: int, content: bytes, pages: int, data_as_of: datetime.datetime, name: str) -> PdfJob | None:
    with transaction.atomic():
        job = PdfJob.objects.select_for_update().get(pk=job_id)
        if job.status != JobStatus.RUNNING:
            return None
        job.file.save(name, ContentFile(content), save=False)
        job.sha256 = hashlib.sha256(content).hexdigest()
        job.pages = pages
        job.data_as_of = data_as_of
        job.status = JobStatus.DONE
        job.progress = 100
        job.message, job.message_args = "", {}
        job.finished_at = timezone.now()
        fields = ["file", "sha256", "pages", "data_as_of", "status", "progress", "message", "message_args", "finished_at"]
        job.save(update_fields=fields)
        audit_log(action="pdf_job_done", obj=job, actor_name="system", sha256=job.sha256, pages=pages)
    return job


def pdf_job_fail(*, job_id: int, error: JobError, exc: BaseException | None = None, **args: int) -> None:
    """Fail the job with the reason: a code and its figures, put into words by whoever looks (job
    page, job list, audit trail), and the exception's own text, if any, kept as written."""
    detail = _describe(exc) if exc is not None else ""
    with transaction.atomic():
        job = PdfJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
            return
        job.status = JobStatus.FAILED
        job.error, job.error_args, job.error_detail = error, args, detail
        job.message, job.message_args = "", {}
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "error_args", "error_detail", "message", "message_args", "finished_at"])
        recorded: dict[str, Any] = {"detail": detail[:500]} if detail else {}
        audit_log(action="pdf_job_failed", obj=job, actor_name="system", error=error.value, error_args=args, **recorded)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:1000]


@contextmanager
def heartbeat(job_id: int) -> Iterator[None]:
    """Touch the job's heartbeat every few seconds while the block runs (WeasyPrint holds no lock).

    Skipped inside an open transaction (tests running tasks eagerly): a second connection
    could not see the row, and the block is short there anyway.
    """
    if connection.in_atomic_block:
        yield
        return
    stop = threading.Event()
    interval = max(1, settings.PDF_JOB_HEARTBEAT_SECONDS)

    def beat() -> None:
        try:
            while not stop.wait(interval):
                PdfJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())
        except Exception:
            logger.exception("PDF job %s: heartbeat failed", job_id)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"pdf-heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def _transient_errors() -> tuple[type[BaseException], ...]:
    from django.db import InterfaceError, OperationalError
    from kombu.exceptions import OperationalError as KombuOperationalError

    errors: list[type[BaseException]] = [OperationalError, InterfaceError, KombuOperationalError, ConnectionError, TimeoutError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        errors += [RedisConnectionError, RedisTimeoutError]
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


TRANSIENT_ERRORS = _transient_errors()
