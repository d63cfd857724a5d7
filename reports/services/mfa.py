"""Multi-factor authentication: who must use it, and the demo users' fixed TOTP secrets.

allauth.mfa does the work (activation, the code asked at login, recovery codes); this module
only says which roles must have an authenticator, and, outside production settings, gives the
demo users TOTP secrets derived from their username so a tester can log in as any of them.
"""

from __future__ import annotations

import base64
import hashlib
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from reports.models import Role, User

# Secretariat, Monitoring Team and signatories must use a second factor; everyone may.
MFA_REQUIRED_ROLES = frozenset({Role.SECRETARIAT, Role.MONITORING, Role.SIGNATORY})
DEMO_TOTP_SALT = "sanctions-portal-demo-totp-2253"  # public on purpose: demo secrets are not secrets


def mfa_required_for(user: User) -> bool:
    """Secretariat, Monitoring Team and signatories; and anyone who can open the admin."""
    return bool(user.is_authenticated and (user.role in MFA_REQUIRED_ROLES or user.is_staff or user.is_superuser))


def mfa_totp_active(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def demo_totp_secret(username: str) -> str:
    """The fixed TOTP secret of a demo user (base32, 160 bits), derived from the username."""
    digest = hashlib.sha256(f"{DEMO_TOTP_SALT}:{username}".encode()).digest()[:20]
    return base64.b32encode(digest).decode("ascii")


def totp_authenticator_ensure(*, user: User, secret: str) -> Authenticator:
    """Give a user a TOTP authenticator with this secret, through allauth's own API (idempotent).

    An existing TOTP authenticator with another secret is replaced.
    """
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        if decrypt(existing.data["secret"]) == secret:
            return existing
        existing.delete()
    return TOTP.activate(user, secret).instance


def demo_totp_ensure(*, user: User) -> Authenticator:
    """The demo user's fixed authenticator. Refused with production settings."""
    if not settings.DEMO_DATA_ALLOWED:
        raise ImproperlyConfigured("Demo TOTP secrets are never created with production settings.")
    return totp_authenticator_ensure(user=user, secret=demo_totp_secret(user.get_username()))


def totp_secret_of(user: User) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The TOTP code for a secret at a time (now by default), as an authenticator app shows it."""
    from allauth.mfa import app_settings

    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def totp_current_code(*, user: User) -> str:
    """The code a user's authenticator app shows now (demo and tests; the secret never leaves the server)."""
    secret = totp_secret_of(user)
    if secret is None:
        raise ValueError(f"{user} has no TOTP authenticator")
    return totp_code(secret)
