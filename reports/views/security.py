"""Security pages: a user's own account security, and the Secretariat's audit trail."""

from __future__ import annotations

import datetime

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reports.clock import portal_today, portal_zone
from reports.forms.security import ApiTokenForm, AuditFilterForm
from reports.models import ApiToken
from reports.selectors.access import delegation_state_id
from reports.selectors.audit import audit_actions, audit_events_filtered, audit_object_words, sign_in_history
from reports.services.api_tokens import api_token_create, api_token_revoke
from reports.services.mfa import mfa_required_for
from reports.services.reports import ReportError
from reports.views.decorators import secretariat_required

AUDIT_PAGE_SIZE = 50


@require_GET
@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _account(request, _token_form(request))


def _token_form(request: HttpRequest, data: object = None) -> ApiTokenForm:
    return ApiTokenForm(data, today=portal_today(), role_may_write=delegation_state_id(request.user) is not None)


def _account(request: HttpRequest, token_form: ApiTokenForm, *, new_secret: str = "", status: int = 200) -> HttpResponse:
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
            "tokens": list(ApiToken.objects.filter(user_id=user.pk or 0, revoked_at__isnull=True).order_by("-created_at")[:50]),
            "token_form": token_form,
            "new_secret": new_secret,
        },
        status=status,
    )


@require_POST
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    """The secret is in this answer only (never stored, never in a redirect's URL)."""
    form = _token_form(request, request.POST)
    if not form.is_valid():
        return _account(request, form, status=400)
    expires = datetime.datetime.combine(form.cleaned_data["expires"], datetime.time(0, 0), tzinfo=portal_zone())
    try:
        _token, secret = api_token_create(
            user=request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=expires,
        )
    except ReportError as error:
        form.add_error(None, str(error))
        return _account(request, form, status=400)
    return _account(request, _token_form(request), new_secret=secret)


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(user_id=request.user.pk or 0, pk=pk).first()  # someone else's token: 404
    if token is None:
        raise Http404
    api_token_revoke(token=token, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The token %(name)s is revoked: it no longer works.") % {"name": token.name})
    return redirect("security:account")


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
