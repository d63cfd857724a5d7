from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone


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

    # Sign-in against an attacker (reports.services.security): axes locks the pair (user name,
    # address); these hooks add the slow per-account throttle and the owner's warning e-mail.
    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        from axes.handlers.proxy import AxesProxyHandler

        from reports.services.security import login_throttle_wait

        username = str(credentials.get("username", ""))
        if login_throttle_wait(username=username) > 0:
            raise self.validation_error("too_many_login_attempts")
        # A try from a locked pair is refused by axes without testing the password: not counted.
        self._portal_pair_locked = AxesProxyHandler.is_locked(request, credentials)
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        from reports.services.security import login_throttle_clear

        user = super().authenticate(request, **credentials)
        if user is not None:
            login_throttle_clear(username=str(credentials.get("username", "")))
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        from django.conf import settings

        from reports.services.audit import client_ip
        from reports.services.security import account_attack_alert, login_failure_record

        super().authentication_failed(request, **credentials)
        if getattr(self, "_portal_pair_locked", False):
            return
        username = str(credentials.get("username", ""))
        failures = login_failure_record(username=username)
        locked_now = bool(getattr(request, "axes_locked_out", False))
        if locked_now or failures >= settings.LOGIN_THROTTLE_AFTER:
            account_attack_alert(
                username=username, failures=failures, ip=client_ip(request), locked=locked_now, now=timezone.now()
            )


class PortalMFAAdapter(DefaultMFAAdapter):
    """A user whose role requires MFA cannot remove their authenticator app (only replace it)."""

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        from reports.services.mfa import mfa_required_for

        if authenticator.type == Authenticator.Type.TOTP and mfa_required_for(authenticator.user):  # type: ignore[arg-type]
            return False
        return super().can_delete_authenticator(authenticator)


def totp_used_mark_install() -> None:
    """Make allauth's "code already used" mark last as long as the code is accepted.

    allauth keeps the mark for one period (30 s), but with MFA_TOTP_TOLERANCE = 1 it accepts a
    code during three (the step before, its own, the step after): a code seen over a shoulder
    could be replayed in the last minute of its life. Installed once at start-up (reports.apps).
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import TOTP
    from django.core.cache import cache

    def _mark_code_used(self: TOTP, code: str) -> bool:
        lifetime = app_settings.TOTP_PERIOD * (2 * app_settings.TOTP_TOLERANCE + 1)
        return bool(cache.add(self._get_used_cache_key(code), "y", timeout=lifetime))

    TOTP._mark_code_used = _mark_code_used  # type: ignore[method-assign]
