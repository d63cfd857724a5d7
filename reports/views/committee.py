"""Committee members (the Council members' experts) read accepted reports.

Read only. Every lookup goes through reports.selectors.access: a report the member may not
read (a draft, one not accepted yet, one marked Secretariat-only, a bad id) answers 404, and a
section the State marked for the Secretariat only is replaced by a plain note.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports.forms.committee import CommitteeFilterForm
from reports.models import Role
from reports.selectors.access import get_report_for_user
from reports.selectors.committee import committee_cycles, committee_reports
from reports.selectors.versions import query_without_pages, row_pages, version_choice, version_display

from .decorators import role_required

REPORTS_PER_PAGE = 25
committee_required = role_required(Role.COMMITTEE)


@committee_required
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    form = CommitteeFilterForm(request.GET or None, cycles=committee_cycles(user=request.user))
    status = 200
    filters: dict[str, Any] = {}
    if form.is_bound:
        if form.is_valid():
            filters = {"cycle": form.cleaned_data["cycle"], "regional_group": form.cleaned_data["group"]}
        else:
            status = 400
    rows = committee_reports(user=request.user, **filters) if status == 200 else committee_reports(user=request.user).none()
    page = Paginator(rows, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "committee/reports.html", {"form": form, "page": page, "query": query.urlencode()}, status=status)


@committee_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The accepted report as filed, its older versions the Committee may read (?version=N) and
    what each changed; sections the State kept from the Committee are a plain note (the gate)."""
    report = get_report_for_user(request.user, pk)
    if report.current_version is None:  # the gate only lets through submitted reports; belt and braces
        raise Http404
    choice = version_choice(user=request.user, report=report, number=request.GET.get("version"))  # type: ignore[arg-type]
    display = version_display(
        user=request.user,  # type: ignore[arg-type]
        version=choice.version,
        previous=choice.previous,
        pages=row_pages(request.GET),
    )
    return render(
        request,
        "committee/report.html",
        {
            "report": report,
            "version": choice.version,
            "versions": choice.versions,
            "display": display,
            "page_query": query_without_pages(request.GET),
        },
    )
