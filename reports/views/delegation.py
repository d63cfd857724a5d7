"""The delegation side: a State's obligations and reports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reports.selectors.access import reports_visible_to

from .decorators import delegation_required


@delegation_required
def dashboard(request: HttpRequest) -> HttpResponse:
    reports = reports_visible_to(request.user).select_related("cycle", "state")
    return render(request, "delegation/dashboard.html", {"reports": reports})
