"""Security pages: a user's own account security, and the Secretariat's audit trail."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports.forms.security import AuditFilterForm
from reports.selectors.audit import audit_actions, audit_events_filtered, audit_object_words, sign_in_history
from reports.services.mfa import mfa_required_for
from reports.views.decorators import secretariat_required

AUDIT_PAGE_SIZE = 50


@require_GET
@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    history = sign_in_history(user)  # type: ignore[arg-type]
    logins = [e for e in history if e.action == "login"]
    return render(
        request,
        "security/account.html",
        {
            "history": history,
            # The newest login is this one; the one before it is what the user should recognise.
            "previous_login": logins[1] if len(logins) > 1 else None,
            "authenticator_types": set(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
            "mfa_required": mfa_required_for(user),  # type: ignore[arg-type]
            "session_count": UserSession.objects.filter(user=user).count(),
        },
    )


@require_GET
@secretariat_required
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, actions=audit_actions())
    events = audit_events_filtered(form.to_filter())
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = audit_object_words(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "security/audit.html", {"form": form, "page": page, "query": query.urlencode()})
