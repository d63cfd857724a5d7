"""The Monitoring Team's Council documents: ask for a PDF, watch it build, download it.

Thin views: the form validates, reports.services.pdf_jobs writes, every job lookup goes
through reports.selectors.access.pdf_jobs_visible_to (another role's job answers 404).
"""

from __future__ import annotations

import datetime
import uuid
from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reports.forms.monitoring import ALL_LANGUAGES, PdfRequestForm
from reports.models import DocumentLanguage, JobStatus, PdfJob, Role
from reports.selectors.access import pdf_jobs_visible_to
from reports.services.audit import audit_log
from reports.services.pdf_jobs import (
    COUNCIL_KINDS,
    PdfJobError,
    document_language,
    pdf_job_request,
    pdf_job_request_all_languages,
)

from .decorators import back_office_required, role_required

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
JOBS_PER_PAGE = 25
summary_readers_required = role_required(Role.SECRETARIAT, Role.MONITORING, Role.COMMITTEE)


def _jobs(request: HttpRequest):  # type: ignore[no-untyped-def]
    # Council documents only: submission receipts are the delegation pages' business.
    return pdf_jobs_visible_to(request.user).filter(kind__in=COUNCIL_KINDS).select_related("requested_by", "cycle", "state")


def _get_job(request: HttpRequest, pk: int) -> PdfJob:
    try:
        return _jobs(request).get(pk=pk)
    except PdfJob.DoesNotExist:
        raise Http404 from None


def _jobs_page(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Paginator(_jobs(request), JOBS_PER_PAGE).get_page(request.GET.get("page"))


def _request_form(request: HttpRequest) -> PdfRequestForm:
    return PdfRequestForm(
        request.POST or None, user=request.user, interface_language=document_language(get_language() or "") or "en"
    )


@back_office_required
def jobs(request: HttpRequest) -> HttpResponse:
    return _jobs_response(request, _request_form(request))


def _jobs_response(request: HttpRequest, form: PdfRequestForm, status: int = 200) -> HttpResponse:
    page = _jobs_page(request)
    context = {"form": form, "page": page, "any_active": any(job.status in ACTIVE for job in page)}
    return render(request, "monitoring/jobs.html", context, status=status)


@require_POST
@back_office_required
def job_create(request: HttpRequest) -> HttpResponse:
    form = _request_form(request)
    if not form.is_valid():
        return _jobs_response(request, form, status=400)
    data = form.cleaned_data
    what = {"kind": data["kind"], "distribution": data["distribution"], "cycle": data.get("cycle"), "state": data.get("state")}
    try:
        if data["language"] == ALL_LANGUAGES:
            batch = pdf_job_request_all_languages(actor=request.user, request=request, **what)  # type: ignore[arg-type]
        else:
            job = pdf_job_request(actor=request.user, language=data["language"], request=request, **what)  # type: ignore[arg-type]
    except PdfJobError as exc:
        form.add_error(None, str(exc))
        return _jobs_response(request, form, status=400)
    if data["language"] == ALL_LANGUAGES:
        messages.success(request, _("Your document is being prepared in the six languages."))
        return redirect("monitoring:batch_detail", batch=batch[0].batch)
    messages.success(request, _("Your document is being prepared."))
    return redirect("monitoring:job_detail", pk=job.pk)


@require_GET
@back_office_required
def jobs_table(request: HttpRequest) -> HttpResponse:
    page = _jobs_page(request)
    return render(request, "monitoring/_jobs_table.html", {"page": page, "any_active": any(job.status in ACTIVE for job in page)})


@require_GET
@back_office_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "monitoring/job_detail.html", {"job": _get_job(request, pk)})


def _batch_jobs(request: HttpRequest, batch: uuid.UUID) -> list[PdfJob]:
    jobs = sorted(_jobs(request).filter(batch=batch), key=lambda job: DocumentLanguage.values.index(job.language))
    if not jobs:
        raise Http404
    return jobs


def _batch_context(jobs: list[PdfJob]) -> dict[str, object]:
    """One progress bar for the set: the mean of its jobs' (an ended job counts as complete)."""
    ended = [job for job in jobs if job.status not in ACTIVE]
    progress = sum(100 if job.status not in ACTIVE else job.progress for job in jobs) // len(jobs)
    pinned = (jobs[0].params or {}).get("data_as_of")
    return {
        "data_as_of": datetime.datetime.fromisoformat(pinned) if pinned else None,
        "batch": jobs[0].batch,
        "first": jobs[0],
        "jobs": jobs,
        "progress": progress,
        "ended": len(ended),
        "done": sum(1 for job in jobs if job.status == JobStatus.DONE),
        "failed": sum(1 for job in jobs if job.status == JobStatus.FAILED),
        "active": len(ended) < len(jobs),
    }


@require_GET
@back_office_required
def batch_detail(request: HttpRequest, batch: uuid.UUID) -> HttpResponse:
    return render(request, "monitoring/batch_detail.html", _batch_context(_batch_jobs(request, batch)))


@require_GET
@back_office_required
def batch_progress(request: HttpRequest, batch: uuid.UUID) -> HttpResponse:
    """The set's progress fragment htmx polls; once every language version has ended it stops asking."""
    return render(request, "monitoring/_batch_progress.html", _batch_context(_batch_jobs(request, batch)))


@require_GET
@back_office_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls; once the job has ended it stops asking."""
    return render(request, "monitoring/_job_progress.html", {"job": _get_job(request, pk)})


@require_GET
@summary_readers_required
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_job(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    audit_log(
        action="pdf_download",
        actor=request.user,  # type: ignore[arg-type]
        obj=job,
        request=request,
        sha256=job.sha256,
        distribution=job.distribution,  # type: ignore[arg-type]
    )
    response = FileResponse(
        job.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=(job.file.name or "document.pdf").rsplit("/", 1)[-1],
    )
    response["X-Content-SHA256"] = job.sha256
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)  # a streamed file; the role decorators are typed for HttpResponse


@require_GET
@summary_readers_required
def summaries(request: HttpRequest) -> HttpResponse:
    """Finished documents the user may read: for Committee members, the general and restricted summaries."""
    page = Paginator(_jobs(request).filter(status=JobStatus.DONE), JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "monitoring/summaries.html", {"page": page})
