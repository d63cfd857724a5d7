"""A report's pages: overview, review and submission, addendum, history and diff, versions, receipt."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.forms.report import DiffForm, SubmitForm
from reports.models import Report, ReportVersion
from reports.selectors.delegation import (
    get_delegation_report,
    get_version_of_report,
    report_events_for_state,
    version_history,
)
from reports.selectors.versions import query_without_pages, row_pages, version_choice, version_display
from reports.services.audit import audit_log
from reports.services.receipts import receipt_file
from reports.services.reports import ReportError, report_draft, report_open_addendum
from reports.services.snapshot import version_content
from reports.services.submission import SubmissionBlocked, report_submit
from reports.services.validation import Severity, portal_today, version_issues

from ..decorators import delegation_required
from .base import DelegationRequest


@delegation_required
def report_detail(request: DelegationRequest, pk: int) -> HttpResponse:
    report = get_delegation_report(request.user, pk)
    versions = version_history(report=report)
    draft = next((v for v in versions if v.is_draft), None)
    return render(
        request,
        "delegation/report.html",
        {
            "report": report,
            "cycle": report.cycle,
            "draft": draft,
            "versions": [v for v in versions if not v.is_draft],
            "events": list(report_events_for_state(report=report)),
            "days_left": report.cycle.days_left(portal_today()),
            "days_late": -report.cycle.days_left(portal_today()),
        },
    )


@delegation_required
def report_review(request: DelegationRequest, pk: int) -> HttpResponse:
    report = get_delegation_report(request.user, pk)
    draft = report_draft(report)
    if draft is None:
        messages.info(request, _("There is no open draft to submit."))
        return redirect("delegation:report", pk=report.pk)
    draft.report = report
    form = SubmitForm(request.POST or None, initial={"revision": draft.revision})
    status = 200
    if request.method == "POST":
        if not request.user.is_signatory:
            return render(request, "delegation/forbidden.html", status=403)
        if form.is_valid():
            try:
                version = report_submit(
                    report=report,
                    actor=request.user,
                    revision=form.cleaned_data["revision"],
                    warnings_acknowledged=form.cleaned_data["acknowledge"],
                )
            except SubmissionBlocked as blocked:
                form.add_error(None, str(blocked))
                status = 400
            except ReportError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(
                    request, _("Submitted. Reference %(reference)s; a receipt is on its way.") % {"reference": version.reference}
                )
                return redirect("delegation:version", pk=report.pk, number=version.number)
        else:
            status = 400
    issues = version_issues(version=draft)
    current = report.current_version
    if current is not None:
        current.report = report
    # The draft as it will be filed; an addendum is marked against the version the Secretariat has now.
    display = version_display(
        user=request.user,
        version=draft,
        content=version_content(draft),
        previous=current,
        pages=row_pages(request.GET),
    )
    return render(
        request,
        "delegation/review.html",
        {
            "display": display,
            "report": report,
            "draft": draft,
            "form": form,
            "errors": [i for i in issues if i.severity == Severity.ERROR],
            "warnings": [i for i in issues if i.severity == Severity.WARNING],
            "notices": [i for i in issues if i.severity == Severity.NOTICE],
            "page_query": query_without_pages(request.GET),
        },
        status=status,
    )


@require_POST
@delegation_required
def report_addendum(request: DelegationRequest, pk: int) -> HttpResponse:
    report = get_delegation_report(request.user, pk)
    try:
        draft = report_open_addendum(report=report, actor=request.user)
    except ReportError as error:
        messages.error(request, str(error))
        return redirect("delegation:report", pk=report.pk)
    messages.success(request, _("Addendum opened as version %(n)d: edit it, then submit it.") % {"n": draft.number})
    return redirect("delegation:edit", pk=report.pk)


@delegation_required
def report_history(request: DelegationRequest, pk: int) -> HttpResponse:
    report = get_delegation_report(request.user, pk)
    versions = version_history(report=report)
    frozen = {v.number: v for v in versions if not v.is_draft}
    numbers = sorted(frozen)
    diff = None
    initial = {"a": numbers[-2], "b": numbers[-1]} if len(numbers) >= 2 else {}
    form = DiffForm(request.GET if "a" in request.GET else None, numbers=numbers, initial=initial)
    pair: tuple[ReportVersion, ReportVersion] | None = None
    if form.is_bound and form.is_valid():
        pair = (frozen[form.cleaned_data["a"]], frozen[form.cleaned_data["b"]])
    elif not form.is_bound and len(numbers) >= 2:
        pair = (frozen[numbers[-2]], frozen[numbers[-1]])
    if pair:
        pair[1].report = pair[0].report = report
        diff = version_display(
            user=request.user,
            version=pair[1],
            previous=pair[0],
            only_changes=True,
            pages=row_pages(request.GET),
        )
    return render(
        request,
        "delegation/history.html",
        {
            "report": report,
            "versions": versions,
            "form": form,
            "pair": pair,
            "diff": diff,
            "page_query": query_without_pages(request.GET),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@delegation_required
def version_detail(request: DelegationRequest, pk: int, number: int) -> HttpResponse:
    report = get_delegation_report(request.user, pk)
    version = get_version_of_report(request.user, report, number)
    if version.is_draft:
        return redirect("delegation:editor", pk=version.pk, section="settings")
    choice = version_choice(user=request.user, report=report, number=version.number)
    return render(
        request,
        "delegation/version.html",
        {
            "report": report,
            "version": version,
            "display": version_display(
                user=request.user,
                version=choice.version,
                previous=choice.previous,
                pages=row_pages(request.GET),
            ),
            "page_query": query_without_pages(request.GET),
        },
    )


@delegation_required
def version_receipt(request: DelegationRequest, pk: int, number: int) -> HttpResponse:
    report: Report = get_delegation_report(request.user, pk)
    version = get_version_of_report(request.user, report, number)
    if version.is_draft:
        return redirect("delegation:report", pk=report.pk)
    content = receipt_file(version=version)
    audit_log(action="receipt_download", actor=request.user, state=report.state, obj=version, request=request)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{report.state.iso3}-{report.pk}-v{version.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
