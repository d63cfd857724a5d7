"""Personal API tokens: made and revoked by their owner on the account page, checked on every API request.

A token reads `sp_<prefix>_<secret>`. Only its SHA-256 is stored, so a leaked database gives no
usable token; the prefix is stored too, so the owner can tell tokens apart. The token acts as its
user at the time of each request: a deactivated user's token, or a locked one's (django-axes),
stops at once, because both are checked on every request, not when the token was made.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import ApiToken, TokenScope, User

from .audit import audit_log
from .reports import ReportError
from .security import account_locked

TOKEN_PREFIX = "sp_"  # noqa: S105 - the visible marker of a token, not a secret
# last_used_at is written at most this often per token: a busy script does not rewrite the row
# on every request (every request is in the audit trail anyway).
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, scope: str, expires_at: datetime.datetime, now: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and its secret, which is never available again."""
    now = now or timezone.now()
    name = " ".join(name.split())[:100]
    if not name:
        raise ReportError(_("Give the token a name."))
    if scope not in TokenScope.values:
        raise ReportError(_("Unknown scope."))
    if expires_at <= now:
        raise ReportError(_("The expiry date must be in the future."))
    longest = datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS + 1)  # the form counts New York days
    if expires_at > now + longest:
        raise ReportError(_("A token lasts at most %(days)d days.") % {"days": settings.API_TOKEN_MAX_DAYS})
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # pragma: no cover - 1 in 4 billion
        prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, secret_sha256=token_hash(raw), scope=scope, expires_at=expires_at
    )
    audit_log(action="api_token_create", actor=user, obj=token, name=name, scope=scope, expires=expires_at.isoformat())
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: User, now: datetime.datetime | None = None) -> None:
    """Revoke a token of the actor's own (the caller looks it up among the actor's tokens)."""
    if token.user_id != actor.pk:
        raise ReportError(_("Not your token."))
    if token.revoked_at is not None:
        return
    token.revoked_at = now or timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_log(action="api_token_revoke", actor=actor, obj=token, name=token.name)


def api_token_check(raw: str, *, now: datetime.datetime | None = None) -> ApiToken | None:
    """The live token this secret names, or None: unknown, revoked, expired, or its user
    deactivated or locked. Never says which (a probe learns nothing)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    now = now or timezone.now()
    token = ApiToken.objects.select_related("user", "user__state").filter(secret_sha256=token_hash(raw)).first()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    user = token.user
    if not user.is_active or account_locked(user):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
