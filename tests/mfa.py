"""Signing in with the second factor, for tests and browser tests.

- ``totp_give(user)``: give a user a TOTP authenticator (the fixed demo secret of its username),
  so a role that requires MFA passes the middleware after ``client.force_login(user)``.
- ``totp_code_fresh(user)``: the current code, usable even if this test already used it
  (allauth refuses a code twice in one 30-second window; the marker is cleared).
- ``login_with_totp(client, username)``: the real two-step sign-in through allauth's forms.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from reports.models import User
from reports.services.mfa import demo_totp_secret, totp_authenticator_ensure, totp_code, totp_secret_of


def totp_give(user: User) -> User:
    totp_authenticator_ensure(user=user, secret=demo_totp_secret(user.get_username()))
    return user


def totp_code_fresh(user: User) -> str:
    secret = totp_secret_of(user)
    assert secret, f"{user} has no TOTP authenticator"
    code = totp_code(secret)
    cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")
    return code


def login_with_totp(client: Client, username: str, password: str | None = None, **extra: Any):  # type: ignore[no-untyped-def]
    """Password, then the TOTP code if allauth asks for it; returns the last response."""
    response = client.post("/accounts/login/", {"login": username, "password": password or settings.DEMO_PASSWORD}, **extra)
    if response.status_code == 302 and "/2fa/authenticate" in response["Location"]:
        user = User.objects.get(username=username)
        response = client.post(response["Location"], {"code": totp_code_fresh(user)}, **extra)
    return response


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def lands_signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    """ "/" answers with the user's landing page (200), not the login page: the session is alive."""
    response = client.get("/", follow=True)
    return response.status_code == 200 and all("/accounts/login/" not in url for url, _ in response.redirect_chain)
