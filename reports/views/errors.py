"""Error pages (400, 403, 404, 500, CSRF failure) in the portal's layout and the reader's language.

Each one says what happened in words, offers a way back and never shows a stack trace (with
DEBUG off Django calls these handlers; with DEBUG on it shows its own pages). The 500 page is
rendered without the request's context processors first failing it: if even the layout cannot
be rendered (the database is down, say), a small page in the same words stands in.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context = {"status": status, "title": title, "message": message}
    try:
        return render(request, "errors/error.html", context, status=status)
    except Exception:  # the layout itself failed (database down...): a plain page, never a trace
        logger.exception("error page %s could not be rendered in the layout", status)
        return _plain(status, title, message)


def _plain(status: int, title: str, message: str) -> HttpResponse:
    direction = "rtl" if get_language_bidi() else "ltr"
    html = (
        f'<!doctype html><html lang="{escape(get_language() or "en")}" dir="{direction}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1><p>{escape(message)}</p>"
        f'<p><a href="/">{escape(_("Back to the portal"))}</a></p></main></body></html>'
    )
    return HttpResponse(html, status=status)


def bad_request_page(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        400,
        _("The request could not be understood"),
        _("The portal could not read what this page sent. Nothing was changed. Go back and try again."),
    )


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        403,
        _("You may not open this page"),
        _("Your account does not give access to this page. If you think it should, ask the Secretariat."),
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        _("Page not found"),
        _(
            "There is no page at this address, or it is not yours to see. Check the address, or start again from the portal's home page."
        ),
    )


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    title = _("Something went wrong on our side")
    message = _(
        "The portal could not complete this request. The error has been recorded for the technical team. "
        "What you saved before is unchanged; try again in a few minutes."
    )
    try:
        # No context processors: they may be what failed (a query, the session).
        html = loader.render_to_string("errors/500.html", {"status": 500, "title": title, "message": message})
    except Exception:
        logger.exception("error page 500 could not be rendered in the layout")
        return _plain(500, title, message)
    return HttpResponseServerError(html)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form is too old (or cookies are off); say so, the reason stays in the log."""
    logger.warning("CSRF failure: %s", reason)
    return _page(
        request,
        403,
        _("This form has expired"),
        _(
            "For your security the portal refused this form: it was open too long, or the browser does not keep "
            "the portal's cookies. Nothing was saved. Go back, reload the page and send it again."
        ),
    )
