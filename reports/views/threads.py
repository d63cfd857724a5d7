"""The review conversations and the shared assessments, both sides (issue 12, items 2 and 3).

Thin views: the form, one service, a redirect back to the report page. Bad input and
conflicts get a 4xx page that says why and gives the text back (nothing typed is lost).
Threads and reports come only through the gate (reports.selectors.access): another State's
thread, or an internal note, is 404 for a delegation.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.forms.threads import AssessmentAnswerForm, ThreadOpenForm, ThreadReplyForm
from reports.models import Measure, Role
from reports.selectors.access import get_report_for_user, get_thread_for_user, role_of
from reports.selectors.matrix import cycle_measures
from reports.selectors.threads import row_choices
from reports.services.assessments import assessment_respond, assessments_finalise, assessments_share
from reports.services.reports import ReportError
from reports.services.threads import ThreadError, thread_open, thread_reply, thread_resolve

from .decorators import delegation_required, role_required, secretariat_required

thread_users_required = role_required(Role.SECRETARIAT, Role.FOCAL_POINT, Role.SIGNATORY)


def _report_url(request: HttpRequest, report_pk: int, anchor: str = "") -> str:
    name = "secretariat:report" if role_of(request.user) == Role.SECRETARIAT else "delegation:report"
    return reverse(name, args=[report_pk]) + (f"#{anchor}" if anchor else "")


def _refused(request: HttpRequest, *, report_pk: int, reason: str, text: str = "", status: int = 400) -> HttpResponse:
    """Nothing was written: say why, and give the text back so it can be copied and sent again."""
    return render(
        request,
        "threads/refused.html",
        {"reason": reason, "text": text, "back": _report_url(request, report_pk, "threads")},
        status=status,
    )


def _form_reason(form: object) -> str:
    errors = getattr(form, "errors", {})
    return " ".join(str(e) for field_errors in errors.values() for e in field_errors)


@require_POST
@secretariat_required
def thread_new(request: HttpRequest, pk: str) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    form = ThreadOpenForm(request.POST, measures=list(cycle_measures(report.cycle)), rows=row_choices(report))
    if not form.is_valid():
        return _refused(request, report_pk=report.pk, reason=_form_reason(form), text=request.POST.get("body", ""))
    try:
        thread = thread_open(
            report=report,
            actor=request.user,  # type: ignore[arg-type]
            body=form.cleaned_data["body"],
            internal=form.cleaned_data["internal"],
            **form.anchor(),
        )
    except ThreadError as error:
        return _refused(request, report_pk=report.pk, reason=str(error), text=form.cleaned_data["body"], status=error.status)
    messages.success(request, _("Internal note saved.") if thread.internal else _("Question sent to the State."))
    return redirect(_report_url(request, report.pk, f"thread-{thread.pk}"))


@require_POST
@thread_users_required
def thread_reply_view(request: HttpRequest, thread_id: str) -> HttpResponse:
    thread = get_thread_for_user(request.user, thread_id)
    form = ThreadReplyForm(request.POST)
    if not form.is_valid():
        return _refused(request, report_pk=thread.report_id, reason=_form_reason(form), text=request.POST.get("body", ""))
    try:
        thread_reply(
            thread=thread,
            actor=request.user,  # type: ignore[arg-type]
            body=form.cleaned_data["body"],
            revision=form.cleaned_data["revision"],
            internal=form.cleaned_data["internal"] and role_of(request.user) == Role.SECRETARIAT,
        )
    except ThreadError as error:
        return _refused(
            request, report_pk=thread.report_id, reason=str(error), text=form.cleaned_data["body"], status=error.status
        )
    messages.success(request, _("Reply sent."))
    return redirect(_report_url(request, thread.report_id, f"thread-{thread.pk}"))


@require_POST
@secretariat_required
def thread_resolve_view(request: HttpRequest, thread_id: str) -> HttpResponse:
    thread = get_thread_for_user(request.user, thread_id)
    try:
        thread_resolve(thread=thread, actor=request.user)  # type: ignore[arg-type]
    except ThreadError as error:
        return _refused(request, report_pk=thread.report_id, reason=str(error), status=error.status)
    messages.success(request, _("Thread resolved."))
    return redirect(_report_url(request, thread.report_id, f"thread-{thread.pk}"))


@require_POST
@secretariat_required
def assessments_share_view(request: HttpRequest, pk: str) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    try:
        count = assessments_share(report=report, actor=request.user)  # type: ignore[arg-type]
    except ReportError as error:
        return _refused(request, report_pk=report.pk, reason=str(error), status=409)
    messages.success(request, _("%(n)d assessments shared with the State.") % {"n": count})
    return redirect(_report_url(request, report.pk, "assessments"))


@require_POST
@secretariat_required
def assessments_finalise_view(request: HttpRequest, pk: str) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    try:
        done, waiting = assessments_finalise(report=report, actor=request.user)  # type: ignore[arg-type]
    except ReportError as error:
        return _refused(request, report_pk=report.pk, reason=str(error), status=409)
    messages.success(
        request,
        _("%(done)d assessments are final; %(waiting)d still wait for the State's answer.") % {"done": done, "waiting": waiting},
    )
    return redirect(_report_url(request, report.pk, "assessments"))


@require_POST
@delegation_required
def assessment_answer(request: HttpRequest, pk: str, measure_id: str) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    try:
        measure = cycle_measures(report.cycle).get(pk=int(measure_id))
    except (ValueError, OverflowError, Measure.DoesNotExist):
        from django.http import Http404

        raise Http404 from None
    form = AssessmentAnswerForm(request.POST)
    if not form.is_valid():
        return _refused(request, report_pk=report.pk, reason=_form_reason(form), text=request.POST.get("comment", ""))
    try:
        assessment_respond(
            report=report,
            measure=measure,
            actor=request.user,  # type: ignore[arg-type]
            agree=form.cleaned_data["answer"] == "agree",
            comment=form.cleaned_data["comment"],
        )
    except ReportError as error:
        return _refused(request, report_pk=report.pk, reason=str(error), text=form.cleaned_data["comment"], status=400)
    messages.success(request, _("Your answer on %(code)s was sent to the Secretariat.") % {"code": measure.code})
    return redirect(_report_url(request, report.pk, f"assessment-{measure.code}"))
