"""The Secretariat's back office."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .decorators import back_office_required


@back_office_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "secretariat/dashboard.html")
