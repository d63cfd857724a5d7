"""Screening named parties against the Sanctions List: the review page, decisions, a re-screen."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from reports.filters import ScreeningFilterForm
from reports.models import MatchStatus, Role, SanctionsSnapshot, ScreeningMatch
from reports.selectors.access import role_of
from reports.selectors.screening import screening_counts, screening_matches, screening_reporters_attach, screening_runs_latest
from reports.services.screening.runs import ScreeningError, screening_match_decide, screening_run_request
from reports.views.decorators import back_office_required, role_required

from .common import safe_next

monitoring_required = role_required(Role.MONITORING)


class DecisionForm(forms.Form):
    match = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(choices=[(MatchStatus.CONFIRMED, ""), (MatchStatus.DISMISSED, "")])
    expected = forms.ChoiceField(choices=MatchStatus.choices)
    note = forms.CharField(required=False, max_length=2000, label=gettext_lazy("Note"))


@back_office_required
def screening(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", MatchStatus.CANDIDATE)
    if status not in MatchStatus.values:
        status = MatchStatus.CANDIDATE
    entry = ScreeningFilterForm({"entry": request.GET.get("entry", "")}).values().get("entry", "")  # bad: every entry
    page = Paginator(screening_matches(status=status, entry=entry), 50).get_page(request.GET.get("page"))
    screening_reporters_attach(user=request.user, matches=page)  # the drill-down: which reports name the party
    return render(
        request,
        "secretariat/sanctions/screening.html",
        {
            "page": page,
            "status": status,
            "statuses": MatchStatus.choices,
            "counts": screening_counts(entry=entry),
            "entry": entry,
            "runs": screening_runs_latest(),
            "can_decide": role_of(request.user) == Role.MONITORING,
            "snapshot": SanctionsSnapshot.current(),
            "sec_tab": "sanctions",
        },
    )


@require_POST
@monitoring_required
def screening_decide(request: HttpRequest) -> HttpResponse:
    form = DecisionForm(request.POST)
    back = safe_next(request, reverse("secretariat:screening"))
    if not form.is_valid():
        messages.error(request, _("The decision could not be recorded: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect(back)
    data = form.cleaned_data
    try:
        match = screening_match_decide(
            match_id=data["match"],
            status=data["decision"],
            actor=request.user,  # type: ignore[arg-type]  # signed in: the role gate let it through
            note=data["note"],
            expected=data["expected"],
        )
    except ScreeningError as exc:
        messages.warning(request, str(exc))
        return redirect(back)
    except ScreeningMatch.DoesNotExist:
        messages.error(request, _("This match no longer exists."))
        return redirect(back)
    messages.success(
        request,
        _("%(name)s: %(status)s for %(reference)s.")
        % {"name": match.name, "status": match.get_status_display(), "reference": match.entry.reference},
    )
    return redirect(back)


@require_POST
@back_office_required
def screening_rerun(request: HttpRequest) -> HttpResponse:
    snapshot = SanctionsSnapshot.current()
    if snapshot is None:
        messages.error(request, _("No Sanctions List has been imported yet: there is nothing to screen against."))
    else:
        screening_run_request(snapshot=snapshot, user=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Screening queued; this page shows its progress."))
    return redirect("secretariat:screening")
