"""One State's page, and sending it a reminder by hand."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from reports.exports import state_datasets
from reports.selectors.access import get_state_for_user, is_secretariat
from reports.selectors.reminders import current_cycle
from reports.selectors.states import cycles_owing, state_overview
from reports.services.reminders import NoRecipient, reminder_send_manual
from reports.services.reports import ReportError
from reports.views.decorators import back_office_required, secretariat_required

from .common import maybe_export, today
from .forms import ReminderForm
from .review import with_status_labels


@back_office_required
def state_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    state = get_state_for_user(request.user, iso3)
    overview = state_overview(user=request.user, state=state)
    overview.events = with_status_labels(overview.events)
    which = request.GET.get("table", "reports")
    if which not in ("reports", "reminders", "assessments", "mentions"):
        return HttpResponseBadRequest(_("Unknown table: use reports, reminders, assessments or mentions."))
    exported = maybe_export(request, lambda: state_datasets(overview)[which], f"{state.iso3}-{which}")
    if exported is not None:
        return exported
    reminder_form = None
    if is_secretariat(request.user):
        cycles = cycles_owing(state=state, today=today())
        default = current_cycle(list(cycles), today=today())
        reminder_form = ReminderForm(cycles=cycles, initial={"cycle": default.pk if default else None})
    return render(
        request, "secretariat/state.html", {"o": overview, "state": state, "reminder_form": reminder_form, "sec_tab": ""}
    )


@require_POST
@secretariat_required
def state_remind(request: HttpRequest, iso3: str) -> HttpResponse:
    state = get_state_for_user(request.user, iso3)
    form = ReminderForm(request.POST, cycles=cycles_owing(state=state, today=today()))
    if not form.is_valid():
        messages.error(request, _("No reminder sent: choose a cycle the State has not reported for."))
        return redirect("secretariat:state", state.iso3)
    try:
        log = reminder_send_manual(state=state, cycle=form.cleaned_data["cycle"], actor=request.user, today=today())  # type: ignore[arg-type]
    except NoRecipient as warning:  # nothing sent, nothing logged: a warning, not a success
        messages.warning(request, str(warning))
    except ReportError as error:
        messages.error(request, str(error))
    else:
        count = len(log.recipients)
        messages.success(
            request,
            ngettext("Reminder sent to %(count)s address.", "Reminder sent to %(count)s addresses.", count) % {"count": count},
        )
    return redirect("secretariat:state", state.iso3)
