"""Request middleware of the portal."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.observability import (
    REQUEST_ID_HEADER,
    printable,
    request_count,
    request_id_accept,
    request_id_new,
    request_id_reset,
    request_id_set,
)
from reports.services.mfa import mfa_required_for, mfa_totp_active

MFA_OK_SESSION_KEY = "portal.mfa_ok"
# Views a signed-in user without a second factor may still reach: allauth's own pages (login,
# logout, the MFA set-up, re-authentication, sessions), language switching and the health check.
_ALLOWED_VIEW_MODULES = ("allauth.", "django.views.i18n", "django.views.static")
_ALLOWED_URL_NAMES = frozenset({"healthz", "readyz", "set_language"})


request_logger = logging.getLogger("reports.request")


class RequestIdMiddleware:
    """Give each request an id: on every log line it causes, on the Celery tasks it queues, and
    in the response's X-Request-ID. An incoming X-Request-ID (from the proxy) is kept only if it
    looks like a UUID or a short token. Logs one line per request and counts it by status class.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_accept(request.headers.get(REQUEST_ID_HEADER)) or request_id_new()
        token = request_id_set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            path = printable(request.path)
            request_logger.info(
                "%s %s %d %.1fms",
                request.method,
                path,
                response.status_code,
                duration_ms,
                extra={"method": request.method, "path": path, "status": response.status_code, "duration_ms": duration_ms},
            )
            request_count(response.status_code)
            return response
        finally:
            request_id_reset(token)


class _ViewMiddleware:
    """A middleware that acts in process_view only (it needs the resolved view)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)


class MfaRequiredMiddleware(_ViewMiddleware):
    """Send a signed-in user whose role requires MFA and who has no TOTP to its activation page.

    allauth asks for the code at login once an authenticator exists; this closes the gap
    before it exists. The check is remembered in the session once passed (a user of such a
    role cannot remove the authenticator: see PortalMFAAdapter).
    """

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.session.get(MFA_OK_SESSION_KEY) == user.pk:
            return None
        module = getattr(view_func, "__module__", "") or ""
        match = request.resolver_match
        if module.startswith(_ALLOWED_VIEW_MODULES) or (match is not None and match.url_name in _ALLOWED_URL_NAMES):
            return None
        if not mfa_required_for(user):  # type: ignore[arg-type]
            return None
        if mfa_totp_active(user):  # type: ignore[arg-type]
            request.session[MFA_OK_SESSION_KEY] = user.pk
            return None
        target = reverse("mfa_activate_totp")
        messages.warning(
            request,
            _("Your role requires two-factor authentication. Set up an authenticator app to continue."),
            fail_silently=True,
        )
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)


class RejectNulCharactersMiddleware(_ViewMiddleware):
    """Answer 400 to a request whose parameters carry a NUL character.

    No keyboard types one, PostgreSQL refuses to store or even compare one (text and JSON
    alike), so it only ever arrives from a fuzzer or an attack; refusing it here keeps every
    form, filter and service from turning it into a 500. Uploaded files are not inspected.
    """

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        params = [request.GET]
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            params.append(request.POST)
        for query in params:
            for key, values in query.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    if request.path.startswith("/api/"):
                        return _api_problem(_("The request contained a NUL character and was refused. Nothing was saved."))
                    return HttpResponseBadRequest(
                        _("The request contained a NUL character and was refused. Nothing was saved."),
                        content_type="text/plain; charset=utf-8",
                    )
        if any("\x00" in str(value) for value in view_kwargs.values()):
            if request.path.startswith("/api/"):
                return _api_problem(_("Bad address."))
            return HttpResponseBadRequest(_("Bad address."), content_type="text/plain; charset=utf-8")
        return None


def _api_problem(detail: str) -> HttpResponse:
    """The API's answer to the same refusal: RFC 9457 problem details (reports.api.problems)."""
    body = {"type": "https://sanctions-reporting.un.example/problems/invalid", "title": str(detail), "status": 400}
    body.update(detail=str(detail), errors=[{"field": "", "message": str(detail), "code": "null_characters_not_allowed"}])
    return HttpResponse(json.dumps(body), status=400, content_type="application/problem+json")


SESSION_TOUCHED_KEY = "portal.touched"


class SessionActivityMiddleware:
    """The inactivity timeout, with one session write a minute instead of one per request.

    A session expires SESSION_COOKIE_AGE after it was last saved. Saving it on every request
    (SESSION_SAVE_EVERY_REQUEST) cost a transaction per page view; here a request marks the
    session for saving only when the last save is SESSION_TOUCH_SECONDS old or more, so the
    session lasts between SESSION_COOKIE_AGE - SESSION_TOUCH_SECONDS and SESSION_COOKIE_AGE
    after the last request. Anonymous visitors without a session get none.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.every = settings.SESSION_TOUCH_SECONDS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.session_key or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(SESSION_TOUCHED_KEY, 0) >= self.every:
            session[SESSION_TOUCHED_KEY] = now  # modified: SessionMiddleware saves it and renews the expiry
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on everything that is not public.

    That is: every response to a signed-in user, every file (a download or an inline PDF), and
    every response that sets a cookie. Shared computers in a Mission and proxies on the way
    must not keep a confidential page, an attachment or a receipt. Static files never reach this
    middleware (WhiteNoise, above it, answers them), so they stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or response.has_header("Content-Disposition")
            or getattr(response, "streaming", False)
            or response.cookies
        ):
            # Replace, not patch: a view's max-age must not survive beside no-store.
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"  # HTTP/1.0 proxies
        return response
