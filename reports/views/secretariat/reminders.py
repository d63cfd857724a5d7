"""Reminders at scale: every State owing a cycle's report in one action, its progress, and who cannot be reached."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.models import BatchStatus
from reports.selectors.access import is_secretariat
from reports.selectors.reminders import (
    current_cycle,
    cycles_to_remind,
    reminder_batch,
    reminder_batch_results,
    reminder_batches,
    states_without_delegates,
)
from reports.services.reminder_batches import reminder_batch_request
from reports.services.reminders import states_owing
from reports.services.reports import ReportError
from reports.views.decorators import back_office_required, secretariat_required

from .common import today
from .forms import ReminderForm


@back_office_required
def reminders(request: HttpRequest) -> HttpResponse:
    """Choose a cycle (the one open today by default), see who owes it, remind them all."""
    day = today()
    cycles = list(cycles_to_remind(today=day))
    form = ReminderForm(request.GET or None, cycles=cycles_to_remind(today=day))
    cycle = form.cleaned_data["cycle"] if form.is_bound and form.is_valid() else None
    if cycle is None:
        cycle = current_cycle(cycles, today=day)
        form = ReminderForm(initial={"cycle": cycle.pk if cycle else None}, cycles=cycles_to_remind(today=day))
    owing = states_owing(cycle) if cycle else []
    unreachable = {s.pk for s in states_without_delegates() if not (s.focal_points or s.signatories)}  # type: ignore[attr-defined]
    context = {
        "form": form,
        "cycle": cycle,
        "owing": len(owing),
        "owing_unreachable": sum(1 for s in owing if s.pk in unreachable),
        "overdue": bool(cycle and day > cycle.due),
        "batches": reminder_batches(cycle=cycle) if cycle else [],
        "can_send": is_secretariat(request.user),
        "sec_tab": "reminders",
    }
    return render(request, "secretariat/reminders.html", context)


@require_POST
@secretariat_required
def reminders_send(request: HttpRequest) -> HttpResponse:
    day = today()
    form = ReminderForm(request.POST, cycles=cycles_to_remind(today=day))
    if not form.is_valid():
        messages.error(request, _("No reminder sent: choose a cycle that has opened."))
        return redirect("secretariat:reminders")
    try:
        batch = reminder_batch_request(cycle=form.cleaned_data["cycle"], actor=request.user, today=day)  # type: ignore[arg-type]
    except ReportError as error:
        messages.error(request, str(error))
        return redirect("secretariat:reminders")
    messages.info(request, _("Reminders queued: this page shows their progress and the result for each State."))
    return redirect("secretariat:reminder_batch", batch.pk)


@back_office_required
def reminder_batch_detail(request: HttpRequest, pk: str) -> HttpResponse:
    """A batch's progress and per-State result; htmx polls the progress part until it is finished."""
    batch = reminder_batch(pk)
    if batch is None:
        raise Http404
    context = {
        "batch": batch,
        "cycle": batch.cycle,
        "results": list(reminder_batch_results(batch)),
        "finished": batch.status in (BatchStatus.DONE, BatchStatus.FAILED),
        "percent": round(100 * batch.done / batch.total) if batch.total else 100,  # type: ignore[attr-defined]
        "sec_tab": "reminders",
    }
    template = "secretariat/partials/reminder_batch.html" if request.htmx else "secretariat/reminder_batch.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@back_office_required
def states_unreachable(request: HttpRequest) -> HttpResponse:
    """States missing a focal point or a signatory account: reminders and receipts cannot reach them."""
    states = states_without_delegates()
    return render(
        request,
        "secretariat/states_unreachable.html",
        {
            "states": states,
            "nobody": len([s for s in states if not (s.focal_points or s.signatories)]),  # type: ignore[attr-defined]
            "sec_tab": "reminders",
        },
    )
