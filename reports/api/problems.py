"""Errors as RFC 9457 problem details (application/problem+json), with a list of field errors.

Every error the API answers goes through `exception_handler`: DRF's own (authentication,
permission, throttling, parsing, validation), Django's Http404 and PermissionDenied, and the
portal's ReportError (a service refusing). The messages are in the request's language
(Accept-Language, through LocaleMiddleware).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from reports.services.reports import ReportError

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "https://sanctions-reporting.un.example/problems/"
CONTENT_TYPE = "application/problem+json"


class ProblemJSONRenderer(JSONRenderer):
    media_type = CONTENT_TYPE


class Conflict(exceptions.APIException):
    """A stale revision: someone saved the same section since. Carries the current revision."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, detail: str, *, current_revision: int) -> None:
        super().__init__(detail)
        self.current_revision = current_revision


class Gone(exceptions.APIException):
    """The draft has been submitted since: it can no longer change."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "frozen"


def problem(
    status_code: int, title: str, *, detail: str = "", code: str = "", errors: list[dict[str, str]] | None = None, **extra: Any
) -> Response:
    body: dict[str, Any] = {"type": PROBLEM_TYPE + (code or "error"), "title": title, "status": status_code}
    if detail:
        body["detail"] = detail
    body["errors"] = errors or []
    body.update(extra)
    return Response(body, status=status_code, content_type=CONTENT_TYPE)


def field_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error detail (dicts, lists, ErrorDetail) as a flat [{field, message, code}]."""
    found: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            found += field_errors(value, f"{prefix}.{name}" if prefix and name else (name or prefix))
    elif isinstance(detail, list):
        if all(isinstance(item, (str, exceptions.ErrorDetail)) for item in detail):
            for item in detail:
                found.append({"field": prefix, "message": str(item), "code": getattr(item, "code", "invalid") or "invalid"})
        else:
            for index, item in enumerate(detail):
                found += field_errors(item, f"{prefix}[{index}]")
    else:
        found.append({"field": prefix, "message": str(detail), "code": getattr(detail, "code", "invalid") or "invalid"})
    return found


_TITLES = {
    400: lambda: _("The request is not valid."),
    401: lambda: _("Authentication is required."),
    403: lambda: _("This token may not do that."),
    404: lambda: _("Not found."),
    405: lambda: _("Method not allowed."),
    406: lambda: _("Not acceptable."),
    409: lambda: _("Conflict."),
    413: lambda: _("The request is too large."),
    415: lambda: _("Unsupported media type."),
    429: lambda: _("Too many requests."),
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.messages)
    elif isinstance(exc, ReportError):
        exc = exceptions.ValidationError(detail={"non_field_errors": [str(exc)]})
    if not isinstance(exc, exceptions.APIException):
        return None  # a defect: Django's 500 (and its log); schemathesis in CI looks for them
    set_rollback()
    code = exc.status_code
    title = str(_TITLES.get(code, lambda: _("The request could not be served."))())
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    extra: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        detail = _("See the errors for each field.")
        kind = "invalid"
    else:
        errors = []
        if isinstance(exc, exceptions.ParseError):
            errors = [{"field": "", "message": str(exc.detail), "code": "parse_error"}]
        detail = str(exc.detail) if isinstance(exc.detail, str) else str(exc.default_detail)
        kind = getattr(exc.detail, "code", None) or exc.default_code
    if isinstance(exc, Conflict):
        extra["current_revision"] = exc.current_revision
    if isinstance(exc, exceptions.Throttled):
        detail = _("This token has made too many requests; try again in %(seconds)d seconds.") % {"seconds": int(exc.wait or 1)}
    response = problem(code, title, detail=detail, code=str(kind), errors=errors, **extra)
    for name, value in headers.items():
        response[name] = value
    return response
