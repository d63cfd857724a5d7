"""The portal's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_protect

from sanctions_portal.urls import handler400, handler403, handler404, handler500
from sanctions_portal.urls import urlpatterns as portal_urls

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret-internal-detail: the database said no")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("secret-internal-detail")


@csrf_protect
def form(request: HttpRequest) -> HttpResponse:
    return HttpResponse("saved")


urlpatterns = [
    path("test-errors/500/", boom),
    path("test-errors/403/", forbidden),
    path("test-errors/400/", suspicious),
    path("test-errors/form/", form),
    *portal_urls,
]
