"""The landing page of a focal point or signatory: the State's obligations and their reports."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.forms.report import EventReportForm
from reports.selectors.delegation import delegation_cycles
from reports.selectors.threads import open_questions
from reports.services.event_reports import event_report_open
from reports.services.reports import CycleNotOpen, ReportError, report_open
from reports.services.validation import portal_today

from ..decorators import delegation_required
from .base import DelegationRequest, request_state


@delegation_required
def dashboard(request: DelegationRequest, event_form: EventReportForm | None = None) -> HttpResponse:
    state = request_state(request)
    today = portal_today()
    return render(
        request,
        "delegation/dashboard.html",
        {
            "state": state,
            "today": today,
            "rows": delegation_cycles(state=state, today=today),
            "questions": open_questions(user=request.user),
            "event_form": event_form or EventReportForm(initial={"event_date": today}),
        },
        status=400 if event_form is not None else 200,
    )


@require_POST
@delegation_required
def report_start(request: DelegationRequest, cycle_id: int) -> HttpResponse:
    """Start the State's report for a cycle, or continue the one already started."""
    try:
        opened = report_open(state=request_state(request), cycle_id=cycle_id, actor=request.user)
    except CycleNotOpen:
        raise Http404 from None
    return redirect("delegation:edit", pk=opened.report.pk)


@require_POST
@delegation_required
def event_report_new(request: DelegationRequest) -> HttpResponse:
    form = EventReportForm(request.POST)
    if not form.is_valid():
        return dashboard(request, event_form=form)
    try:
        report = event_report_open(
            state=request_state(request),
            actor=request.user,
            event_date=form.cleaned_data["event_date"],
        )
    except ReportError as error:
        form.add_error("event_date", str(error))
        return dashboard(request, event_form=form)
    messages.success(request, _("Notification opened: describe the interdiction in the oil register."))
    return redirect("delegation:edit", pk=report.pk)
