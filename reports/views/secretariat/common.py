"""Helpers the back-office views share: the cycle in the query string, exports, redirects."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from reports.clock import portal_today
from reports.exports import FORMATS, export_response
from reports.filters import CycleForm, periodic_cycles_qs
from reports.models import ReportingCycle
from reports.services.audit import audit_log


def today() -> datetime.date:
    return portal_today()


def default_cycle(day: datetime.date) -> ReportingCycle | None:
    """The latest periodic cycle that has opened (else the earliest one)."""
    cycles = periodic_cycles_qs().select_related("obligation__resolution")
    return cycles.filter(opens__lte=day).first() or cycles.last()


def cycle_from_query(request: HttpRequest) -> tuple[CycleForm, ReportingCycle | None]:
    """?cycle=<id>; a bad value is a form error and the default cycle is shown."""
    form = CycleForm(request.GET or None)
    cycle = None
    if form.is_bound and form.is_valid():
        cycle = form.cleaned_data.get("cycle")
    if cycle is None:
        cycle = default_cycle(today())
        if not form.is_bound and cycle is not None:
            form = CycleForm(initial={"cycle": cycle.pk})  # the selector shows the cycle on screen
    return form, cycle


def cycle_or_404(cycle_id: Any) -> ReportingCycle:
    try:
        return ReportingCycle.objects.select_related("obligation__resolution").get(pk=int(cycle_id))
    except (ValueError, TypeError, OverflowError, ReportingCycle.DoesNotExist):
        raise Http404 from None


def export_requested(request: HttpRequest) -> str | None:
    """The format asked for with ?export=csv|xlsx|json, '' for a bad one, None for none."""
    fmt = request.GET.get("export")
    if fmt is None:
        return None
    return fmt if fmt in FORMATS else ""


def maybe_export(request: HttpRequest, build: Any, name: str) -> HttpResponse | None:
    """If the request asks for an export, the file (or 400 for an unknown format)."""
    fmt = export_requested(request)
    if fmt is None:
        return None
    if not fmt:
        return HttpResponseBadRequest(_("Unknown export format: use csv, xlsx or json."))
    dataset = build()
    audit_log(action="export", actor=request.user, request=request, table=name, format=fmt, rows=len(dataset))  # type: ignore[arg-type]
    return export_response(dataset, fmt, name)


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def query_without(request: HttpRequest, *names: str) -> str:
    """The current query string minus some keys (for export links and pagination)."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
