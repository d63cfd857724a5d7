"""Who may use which endpoint: a live token; a token that may write (for writes); the role.

A role that may not use an endpoint gets 404, as on the pages: an endpoint it may not use does
not exist for it. State scoping is the access gate's (reports.selectors.access), never here.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from reports.models import ApiToken, Role, TokenScope
from reports.selectors.access import BACK_OFFICE_ROLES, delegation_state_id, role_of


class TokenRequired(BasePermission):
    """Every endpoint (but the schema and its reference page) needs a live token. Writes are a
    delegation's only (its draft, starting its report): for anyone else no write exists (404,
    whatever the token's scope); a delegation's token needs the read_write_draft scope (403)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.NotAuthenticated(_("Send a personal API token: Authorization: Bearer <token>."))
        if request.method not in SAFE_METHODS:
            if delegation_state_id(request.user) is None:
                raise exceptions.NotFound()
            if token.scope != TokenScope.READ_WRITE_DRAFT:
                raise exceptions.PermissionDenied(_("This token may only read: make a token with the draft-writing scope."))
        return True


class DelegationOnly(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if role_of(request.user) not in (Role.FOCAL_POINT, Role.SIGNATORY) or not request.user.state_id:
            raise exceptions.NotFound()
        return True


class BackOfficeOnly(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if role_of(request.user) not in BACK_OFFICE_ROLES:
            raise exceptions.NotFound()
        return True


class DelegationOrBackOffice(BasePermission):
    """Reports and versions: a delegation (its own State's) and the back office (submitted ones).
    Committee members read through the pages, where per-section confidentiality is applied."""

    def has_permission(self, request: Request, view: Any) -> bool:
        role = role_of(request.user)
        if role in BACK_OFFICE_ROLES or (role in (Role.FOCAL_POINT, Role.SIGNATORY) and request.user.state_id):
            return True
        raise exceptions.NotFound()
