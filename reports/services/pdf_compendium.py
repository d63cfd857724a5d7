"""The compendium: the summary and every State's profile, rendered in parallel parts, then merged.

The job (reports.services.pdf_jobs) fans out here: one Celery task per chunk of States whose part
is not stored yet; whoever finishes the last part merges them (reports.pdf.assembly). Every part
is kept by the hash of what it was built from (reports.services.pdf_parts): a rebuild renders
only the parts whose data changed (after one amendment: that State's chunk and the summary) and
takes the others from storage, giving the same bytes as a full build.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager

import pikepdf
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.models import JobStatus, MemberState, PdfJob
from reports.models.pdf import JobError, JobMessage
from reports.pdf.assembly import Bookmark, Part, merge_parts
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

from . import pdf_parts
from .pdf_jobs import (
    TRANSIENT_ERRORS,
    DataChanged,
    _job_store,
    _progress,
    batch_data_as_of,
    document_request,
    heartbeat,
    pdf_job_fail,
)

logger = logging.getLogger(__name__)

TOC_LINES_PER_PAGE = 52  # a first guess at the TOC's length, so it is usually laid out once


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

    total = summary.pages + toc.pages + sum(chunk.pages for chunk in chunks if chunk)
    numbers = _cached_render(
        request, "page-numbers", page_numbers_html(request, pages=total, data_as_of=data_as_of), tagged=False
    )
    if numbers.pages != total:
        raise RuntimeError(f"{numbers.pages} page numbers for {total} pages")
    profiles = []
    offset = summary.pages + toc.pages
    for chunk in chunks:
        assert chunk is not None
        profiles += [Bookmark(f"{name} ({iso3})", offset + page, is_open=False) for iso3, name, page in chunk.entries]
        offset += chunk.pages
    merge = [
        Part(pdf_parts.part_content(summary.key), bookmark=Bookmark(summary_title, 0), import_outline=True),
        Part(pdf_parts.part_content(toc.key), bookmark=Bookmark(contents_title, summary.pages)),
        *(Part(pdf_parts.part_content(chunk.key)) for chunk in chunks if chunk),
    ]
    extra = [(2, Bookmark(profiles_title, summary.pages + toc.pages, profiles))] if profiles else []
    lang = _catalog_lang(pdf_parts.part_content(summary.key)) or request.language
    content = merge_parts(
        merge,
        extra_bookmarks=extra,
        page_numbers=pdf_parts.part_content(numbers.key),
        lang=lang,
        title=f"{title} ({document_symbol(request)})",
        data_as_of=data_as_of,
    )
    return _job_store(job_id=job.pk, content=content, pages=total, data_as_of=data_as_of, name=file_name(request, data_as_of))


def _catalog_lang(content: bytes) -> str:
    """The /Lang a part was rendered with (WeasyPrint's, from the document's html lang)."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        return str(pdf.Root.get("/Lang", ""))
