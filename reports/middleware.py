"""Request middleware of the portal."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.services.mfa import mfa_required_for, mfa_totp_active

MFA_OK_SESSION_KEY = "portal.mfa_ok"
# Views a signed-in user without a second factor may still reach: allauth's own pages (login,
# logout, the MFA set-up, re-authentication, sessions), language switching and the health check.
_ALLOWED_VIEW_MODULES = ("allauth.", "django.views.i18n", "django.views.static")
_ALLOWED_URL_NAMES = frozenset({"healthz", "readyz", "set_language"})


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
                    return HttpResponseBadRequest(
                        _("The request contained a NUL character and was refused. Nothing was saved."),
                        content_type="text/plain; charset=utf-8",
                    )
        if any("\x00" in str(value) for value in view_kwargs.values()):
            return HttpResponseBadRequest(_("Bad address."), content_type="text/plain; charset=utf-8")
        return None


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
