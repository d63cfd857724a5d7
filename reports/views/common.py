"""Pages every role shares: the landing redirect, the health check and the readiness check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from reports.models import Role
from reports.selectors.access import role_of
from reports.selectors.health import service_health, service_readiness

from .errors import bad_request_page

LANDING_PAGES = {
    Role.FOCAL_POINT: "delegation:dashboard",
    Role.SIGNATORY: "delegation:dashboard",
    Role.SECRETARIAT: "secretariat:dashboard",
    Role.MONITORING: "secretariat:dashboard",
    Role.COMMITTEE: "committee:reports",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own first page; an account with no role is told so."""
    role = role_of(request.user)
    if role in LANDING_PAGES and (role not in (Role.FOCAL_POINT, Role.SIGNATORY) or request.user.state_id):  # type: ignore[union-attr]
        return redirect(LANDING_PAGES[role])
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = service_health()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503)


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 once this process may take traffic (migrations applied, storage reachable)."""
    checks = service_readiness()
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request over the portal's size limits gets a reason (413) that the page shows, never a bare 400.

    The editor's own pages never send that much (a register posts one page of rows); a client that
    does has changed nothing: what was saved before stays as it was.
    """
    if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent, RequestDataTooBig)):
        message = _(
            "This page sent more than the portal accepts in one request, and nothing was saved: "
            "what was saved before is unchanged. Reload the page and save smaller parts at a time."
        )
        if request.headers.get("HX-Request"):
            return render(request, "delegation/_save_refused.html", {"message": message}, status=413)
        return render(request, "request_too_large.html", {"message": message}, status=413)
    return bad_request_page(request, exception)
