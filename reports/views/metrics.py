"""/metrics: the Prometheus text format, for the back office or a scraper holding METRICS_TOKEN."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.cache import never_cache

from reports.selectors.access import is_back_office
from reports.selectors.metrics import Family, metrics_collect

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _bearer_ok(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if not token or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode())


def _label_value(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def exposition(families: list[Family]) -> str:
    lines: list[str] = []
    for family in families:
        lines.append(f"# HELP {family.name} {family.help}")
        lines.append(f"# TYPE {family.name} {family.type}")
        for labels, value in family.samples:
            inner = ",".join(f'{key}="{_label_value(str(val))}"' for key, val in labels.items())
            lines.append(f"{family.name}{{{inner}}} {value}" if inner else f"{family.name} {value}")
    return "\n".join(lines) + "\n"


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Anyone else gets 404, whatever the method: the page does not exist for them."""
    user = request.user
    if not (_bearer_ok(request) or is_back_office(user) or (user.is_authenticated and user.is_staff)):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return HttpResponse(exposition(metrics_collect()), content_type=CONTENT_TYPE)
