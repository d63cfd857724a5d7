"""`Authorization: Bearer <token>`: the token's user, checked afresh on every request; a limit per token."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from reports.models import ApiToken, User
from reports.services.api_tokens import api_token_check


class BearerTokenAuthentication(BaseAuthentication):
    """A personal API token. An unknown, revoked or expired token, or one whose user is deactivated
    or locked, is refused alike (401): the answer says nothing about which."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as: Authorization: Bearer <token>."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid, or no longer valid.")) from None
        token = api_token_check(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid, or no longer valid."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class TokenRateThrottle(SimpleRateThrottle):
    """API_TOKEN_RATE requests per token (not per address: a ministry's scripts share one)."""

    scope = "api_token"

    def get_rate(self) -> str:
        # Read at each request, not frozen at import as DRF's THROTTLE_RATES is.
        return str(settings.API_TOKEN_RATE)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "reports.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A personal API token (sp_...), made on the account page."}
