"""Suggestions of Sanctions List entries while a delegate types a party's name (htmx, debounced 300 ms)."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports.services.sanctions_suggest import suggest
from reports.views.decorators import delegation_required

# The field whose value is asked about (the row's party field), and where its reference goes.
_TARGET = re.compile(r"^id_(oil|cultural|assets)-\d+-(parties|list_ref)$")
_REF_AT_END = re.compile(r"[;,]?\s*QD[ie]\.\d{1,4}\s*$", re.IGNORECASE)


@delegation_required
@require_GET
def sanctions_suggest(request: HttpRequest) -> HttpResponse:
    target = request.GET.get("target", "")
    mode = request.GET.get("mode", "value")
    # htmx sends the field under its own name ("assets-3-listed_party"); "q" for anyone else.
    others = [str(v) for k, v in request.GET.items() if k not in ("target", "mode", "q")]
    typed: str = request.GET.get("q") or (others[0] if others else "")
    if mode == "line":
        lines = [line for line in typed.splitlines() if line.strip()]
        typed = _REF_AT_END.sub("", lines[-1]) if lines else ""  # the party being typed, without its reference
    if not _TARGET.match(target) or mode not in ("value", "line"):
        target = ""  # suggestions are shown, but no button writes into an unknown field
    return render(
        request,
        "delegation/_sanctions_suggestions.html",
        {"suggestions": suggest(typed[:300]), "target": target, "mode": mode, "typed": typed.strip()},
    )
