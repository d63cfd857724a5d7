"""The Monitoring Team's Council documents."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .decorators import back_office_required


@back_office_required
def jobs(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/jobs.html")
