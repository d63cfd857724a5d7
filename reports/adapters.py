from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


class PortalAccountAdapter(DefaultAccountAdapter):
    """Accounts are issued by the Secretariat; nobody signs up on their own."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """The portal's one idea of the client address (TRUSTED_PROXY_COUNT), for allauth's
        per-address limits and its sessions list, the same as the audit trail and axes see."""
        from django.core.exceptions import PermissionDenied

        from reports.services.audit import client_ip

        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip


class PortalMFAAdapter(DefaultMFAAdapter):
    """A user whose role requires MFA cannot remove their authenticator app (only replace it)."""

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        from reports.services.mfa import mfa_required_for

        if authenticator.type == Authenticator.Type.TOTP and mfa_required_for(authenticator.user):  # type: ignore[arg-type]
            return False
        return super().can_delete_authenticator(authenticator)
