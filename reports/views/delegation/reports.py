"""A report's pages: overview, review and submission, addendum, history and diff, versions, receipt."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.forms.report import DiffForm, SubmitForm
from reports.models import Report, ReportVersion
from reports.selectors.delegation import (
    content_diff,
    get_delegation_report,
    get_version_of_report,
    measures_by_code,
    report_events_for_state,
    version_history,
)
from reports.services.audit import audit_log
from reports.services.receipts import receipt_pdf
from reports.services.reports import ReportError, report_draft, report_open_addendum
from reports.services.snapshot import version_content
from reports.services.submission import SubmissionBlocked, report_file
from reports.services.validation import Severity, portal_today, version_issues

from ..decorators import delegation_required
from .base import DelegationRequest
from .content import content_tables, diff_tables

SECTION_KEYS = ("checklist", "oil", "assets", "cultural", "ransom", "str", "attachments")


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


def _content_context(content: dict[str, Any]) -> dict[str, Any]:
    codes = [row["measure"] for row in content.get("checklist", [])]
    return {"content": content, "tables": content_tables(content, measures_by_code(codes))}


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
                version = report_file(
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
    content = version_content(draft)
    changes = None
    if report.current_version is not None:
        # An addendum: what it changes in the version the Secretariat has now.
        previous = report.current_version.content or {}
        codes = sorted({row["measure"] for c in (previous, content) for row in c.get("checklist", [])})
        changes = diff_tables(content_diff(previous, content), measures_by_code(codes))
    return render(
        request,
        "delegation/review.html",
        {
            "changes": changes,
            "report": report,
            "draft": draft,
            "form": form,
            "errors": [i for i in issues if i.severity == Severity.ERROR],
            "warnings": [i for i in issues if i.severity == Severity.WARNING],
            "notices": [i for i in issues if i.severity == Severity.NOTICE],
            **_content_context(content),
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
        diff = content_diff(pair[0].content or {}, pair[1].content or {})
    codes = sorted({row["measure"] for v in (pair or ()) for row in (v.content or {}).get("checklist", [])})
    return render(
        request,
        "delegation/history.html",
        {
            "report": report,
            "versions": versions,
            "form": form,
            "pair": pair,
            "diff": diff_tables(diff, measures_by_code(codes)) if diff is not None else None,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@delegation_required
def version_detail(request: DelegationRequest, pk: int, number: int) -> HttpResponse:
    report = get_delegation_report(request.user, pk)
    version = get_version_of_report(request.user, report, number)
    if version.is_draft:
        return redirect("delegation:editor", pk=version.pk, section="settings")
    return render(
        request,
        "delegation/version.html",
        {
            "report": report,
            "version": version,
            "attachments": list(version.attachments.all()),
            **_content_context(version.content or {}),
        },
    )


@delegation_required
def version_receipt(request: DelegationRequest, pk: int, number: int) -> HttpResponse:
    report: Report = get_delegation_report(request.user, pk)
    version = get_version_of_report(request.user, report, number)
    if version.is_draft:
        return redirect("delegation:report", pk=report.pk)
    pdf = receipt_pdf(version=version)
    audit_log(action="receipt_download", actor=request.user, state=report.state, obj=version, request=request)
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{report.state.iso3}-{report.pk}-v{version.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
