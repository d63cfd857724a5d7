"""Council PDF jobs: request, build (in a Celery worker), fan out the compendium, fail, sweep.

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
import io
import logging
import math
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject

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
from reports.pdf.assembly import TaggedMerger, mark_as_artifact
from reports.pdf.documents import (
    DocumentRequest,
    data_as_of_for,
    document_symbol,
    file_name,
    page_numbers_html,
    profiles_html,
    summary_html,
    toc_html,
)
from reports.pdf.render import render_pdf
from reports.selectors.access import audiences_requestable_by, is_back_office

from . import pdf_parts
from .audit import audit_log

if TYPE_CHECKING:
    from django.http import HttpRequest

    from reports.models import User

logger = logging.getLogger(__name__)

COUNCIL_KINDS = (PdfKind.SUMMARY, PdfKind.PROFILE, PdfKind.COMPENDIUM)
TOC_LINES_PER_PAGE = 52  # a first guess at the TOC's length, so it is usually laid out once


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


# --- the compendium: summary + per-State chunks rendered in parallel, then merged ------------------
#
# Every part is kept by the hash of what it was built from (reports.services.pdf_parts): a
# rebuild renders only the parts whose data changed (after one amendment: that State's chunk
# and the summary) and takes the others from storage, giving the same bytes as a full build.


def compendium_chunks(states: list[MemberState], size: int) -> list[list[int]]:
    ids = [s.pk for s in states]
    return [ids[i : i + size] for i in range(0, len(ids), size)]


@contextmanager
def _snapshot() -> Iterator[None]:
    """Read a part's key and its content from one snapshot of the database (PostgreSQL: repeatable
    read), so a change committed in between cannot be stored under the key of the data before it."""
    if connection.in_atomic_block:  # tests running tasks eagerly: already one transaction
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def compendium_start(*, job: PdfJob) -> None:
    """Fan out: one task per chunk of States whose part is not stored yet (a Celery group), and
    the summary rendered here if its data changed."""
    from celery import group

    from reports.tasks.pdf import pdf_compendium_part

    request = document_request(job)
    states = list(MemberState.objects.order_by("sort_key"))
    chunks = compendium_chunks(states, settings.PDF_COMPENDIUM_CHUNK_SIZE)
    with _snapshot():
        reference = pdf_parts.reference_digest()
        keys = [
            pdf_parts.summary_part_key(request, reference=reference),
            *pdf_parts.profile_part_keys(request, chunks, reference=reference),
        ]
        summary = None if pdf_parts.part_get(keys[0]) else summary_html(request)
    missing = [index for index in range(1, len(keys)) if pdf_parts.part_get(keys[index]) is None]
    params = dict(job.params)
    params.update({"parts": len(keys), "part_keys": keys, "rendered": len(missing) + (summary is not None), "run": job.attempts})
    PdfJob.objects.filter(pk=job.pk).update(params=params)
    job.params = params
    batch_data_as_of(job, data_as_of_for(request))
    _progress(job.pk, 8, JobMessage.RENDERING_PARTS, n=len(missing) + 1)
    if missing:
        group(pdf_compendium_part.si(job.pk, job.attempts, index, chunks[index - 1]) for index in missing).apply_async()
    if summary is not None:
        pdf = render_pdf(summary.html, identifier=keys[0])
        pdf_parts.part_put(key=keys[0], content=pdf.content, pages=pdf.pages)
    compendium_part_done(job_id=job.pk, run=job.attempts)


def compendium_part_run(*, job_id: int, run: int, index: int, state_ids: list[int]) -> None:
    """Render one chunk of State profiles (a task of the group)."""
    job = PdfJob.objects.select_related("cycle").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.RUNNING or job.attempts != run:
        return  # a message from an earlier run of a re-queued job
    try:
        with heartbeat(job.pk):
            states = list(MemberState.objects.filter(pk__in=state_ids).order_by("sort_key"))
            request = document_request(job)
            with _snapshot():
                key = pdf_parts.profile_part_keys(request, [state_ids], reference=pdf_parts.reference_digest())[0]
                html = profiles_html(request, states)
            if pdf_parts.part_get(key) is None:  # another job may have stored it meanwhile
                pdf = render_pdf(html.html, identifier=key)
                if len(pdf.bookmarks) != len(states):
                    raise RuntimeError(f"part {index}: {len(pdf.bookmarks)} bookmarks for {len(states)} States")
                entries = [(s.iso3, label, page) for s, (label, page) in zip(states, pdf.bookmarks, strict=True)]
                pdf_parts.part_put(key=key, content=pdf.content, pages=pdf.pages, entries=entries)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        logger.exception("PDF job %s part %s failed", job_id, index)
        pdf_job_fail(job_id=job_id, error=JobError.PART_FAILED, exc=exc, n=index)
        return
    compendium_part_done(job_id=job_id, run=run, index=index, key=key)


def compendium_part_done(*, job_id: int, run: int, index: int | None = None, key: str | None = None) -> None:
    """Count finished parts under the job's row lock; whoever finishes the last one merges.

    A part whose data changed between the fan-out and its rendering comes back with its new key.
    """
    with transaction.atomic():
        job = PdfJob.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=job_id)
        if job.status != JobStatus.RUNNING or job.attempts != run or job.params.get("merging") == run:
            return
        keys = list(job.params.get("part_keys", []))
        fields = ["progress", "message", "message_args", "heartbeat_at"]
        if index is not None and key is not None and keys[index] != key:
            keys[index] = key
            job.params = {**job.params, "part_keys": keys}
            fields.append("params")
        total = len(keys)
        done = sum(1 for k in keys if pdf_parts.part_get(k) is not None)
        job.heartbeat_at = timezone.now()
        if done < total:
            job.progress = min(90, 8 + 82 * done // max(1, total))
            job.message, job.message_args = JobMessage.PARTS_RENDERED, {"done": done, "total": total}
            job.save(update_fields=fields)
            return
        job.params = {**job.params, "merging": run}
        job.progress = 92
        job.message, job.message_args = JobMessage.MERGING, {}
        job.save(update_fields=[*fields, "params"] if "params" not in fields else fields)
    try:
        with heartbeat(job.pk):
            compendium_merge(job=job)
    except DataChanged as exc:
        pdf_job_fail(job_id=job.pk, error=JobError.DATA_CHANGED, exc=exc)
    except Exception as exc:
        logger.exception("PDF job %s: merge failed", job.pk)
        pdf_job_fail(job_id=job.pk, error=JobError.MERGE_FAILED, exc=exc)


def _cached_render(request: DocumentRequest, name: str, html: str, *, tagged: bool = True) -> pdf_parts.StoredPart:
    key = pdf_parts.html_part_key(request, name, html)
    found = pdf_parts.part_get(key)
    if found is None:
        pdf = render_pdf(html, identifier=key, tagged=tagged)
        found = pdf_parts.part_put(key=key, content=pdf.content, pages=pdf.pages)
    return found


def compendium_merge(*, job: PdfJob) -> PdfJob | None:
    """Summary, table of contents, then every State's profile; bookmarks for each of them; the
    parts' structure trees grafted into one (reports.pdf.assembly)."""
    request = document_request(job)
    parts = [pdf_parts.part_get(key) for key in job.params["part_keys"]]
    if any(part is None for part in parts):
        raise RuntimeError("a part of the compendium is missing from storage")
    summary, chunks = parts[0], parts[1:]
    assert summary is not None
    data_as_of = batch_data_as_of(job, data_as_of_for(request))
    with translation.override(request.language):  # the bookmarks speak the document's language, not the worker's
        summary_title, contents_title, profiles_title = _("Summary for the Council"), _("Contents"), _("State profiles")
        title = _("Compendium of State profiles")

    def toc_entries(toc_pages: int) -> list[tuple[str, str, int]]:
        entries, offset = [], summary.pages + toc_pages
        for chunk in chunks:
            assert chunk is not None
            entries += [(iso3, name, offset + page + 1) for iso3, name, page in chunk.entries]
            offset += chunk.pages
        return entries

    toc_pages = max(1, math.ceil((sum(len(c.entries) for c in chunks if c) + 1) / TOC_LINES_PER_PAGE))
    for _round in range(3):  # the TOC's own length moves the page numbers it prints
        html = toc_html(request, entries=toc_entries(toc_pages), summary_pages=summary.pages, data_as_of=data_as_of)
        toc = _cached_render(request, "toc", html)
        if toc.pages == toc_pages:
            break
        toc_pages = toc.pages

    merger = TaggedMerger()
    merger.append(_reader(summary.key), outline_item=summary_title, import_outline=True)
    merger.append(_reader(toc.key))
    writer = merger.writer
    writer.add_outline_item(title=contents_title, page_number=summary.pages)
    profiles_root = None
    offset = summary.pages + toc.pages
    for chunk in chunks:
        assert chunk is not None
        merger.append(_reader(chunk.key))
        if profiles_root is None:
            profiles_root = writer.add_outline_item(title=profiles_title, page_number=offset)
        for iso3, name, page in chunk.entries:
            writer.add_outline_item(title=f"{name} ({iso3})", page_number=offset + page, parent=profiles_root, is_open=False)
        offset += chunk.pages
    _number_pages(writer, request=request, data_as_of=data_as_of)
    summary_catalog: Any = _reader(summary.key).trailer["/Root"]
    lang = str(summary_catalog.get("/Lang") or request.language)
    merger.finish(lang=lang, title=f"{title} ({document_symbol(request)})", data_as_of=data_as_of)
    # A file identifier from the request and the data (not random), so the same data gives the same bytes.
    file_id = ByteStringObject(hashlib.md5(request.identifier(data_as_of).encode(), usedforsecurity=False).digest())
    writer._ID = ArrayObject([file_id, file_id])
    buffer = io.BytesIO()
    writer.write(buffer)
    content = buffer.getvalue()
    return _job_store(job_id=job.pk, content=content, pages=offset, data_as_of=data_as_of, name=file_name(request, data_as_of))


def _number_pages(writer: PdfWriter, *, request: DocumentRequest, data_as_of: datetime.datetime) -> None:
    """Print each page's number in its footer ("7 / 201"), counted across the merged parts.

    The parts are rendered in parallel, so none knows on which page it starts; their footers
    leave the number out (pdf.css: @page chunk, unnumbered) and it is laid over them here, marked
    as an artifact (pagination) so that the tags' reading order does not take it for text.
    """
    html = page_numbers_html(request, pages=len(writer.pages), data_as_of=data_as_of)
    numbers = _cached_render(request, "page-numbers", html, tagged=False)
    if numbers.pages != len(writer.pages):
        raise RuntimeError(f"{numbers.pages} page numbers for {len(writer.pages)} pages")
    for page, number in zip(writer.pages, _reader(numbers.key).pages, strict=True):
        mark_as_artifact(number)
        page.merge_page(number)
        page.compress_content_streams()  # merging leaves the page's content uncompressed


def _reader(key: str) -> PdfReader:
    return PdfReader(io.BytesIO(pdf_parts.part_content(key)))


# --- reliability: the stale-job sweep ---------------------------------------------------------------


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
