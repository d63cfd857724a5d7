"""Account security services: unlocking accounts locked by django-axes, the per-account sign-in
throttle, and the e-mail that tells an account's owner someone is trying their password."""

from __future__ import annotations

import datetime
import math
import time
from typing import TYPE_CHECKING

from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from reports.services.audit import audit_log

if TYPE_CHECKING:
    from django.http import HttpRequest

    from reports.models import User


def accounts_unlock(*, users: list[User], actor: User, request: HttpRequest | None = None) -> int:
    """Clear the failed sign-in records of these accounts; returns how many records were cleared."""
    cleared = 0
    for user in users:
        count = reset(username=user.get_username())
        login_throttle_clear(username=user.get_username())
        cleared += count
        audit_log(action="account_unlocked", actor=actor, obj=user, request=request, username=user.get_username())
    return cleared


# The per-account throttle: a slow, temporary brake on guessing one account's password from
# many addresses (axes locks each (user name, address) pair after AXES_FAILURE_LIMIT failures,
# which stops one address, not a thousand). Counted in the cache (Redis in production, shared by
# every web process); a failure refused by a lock or by the throttle itself tests no password
# and is not counted, so the attacker's refused tries never lengthen the owner's wait.
def _failures_key(username: str) -> str:
    return f"portal.login.failures?u={username.lower()}"


def _blocked_key(username: str) -> str:
    return f"portal.login.blocked-until?u={username.lower()}"


def login_throttle_wait(*, username: str, now: float | None = None) -> int:
    """Seconds before the next password for this account may be tried (0: now)."""
    from django.core.cache import cache

    until = cache.get(_blocked_key(username))
    current = time.time() if now is None else now
    return max(0, math.ceil(until - current)) if until else 0


def login_failure_record(*, username: str, now: float | None = None) -> int:
    """Count one failed password for this account, from any address; returns the count in the window.

    From the LOGIN_THROTTLE_AFTER-th failure on, the account waits 2**k seconds (k failures past
    the threshold; at most LOGIN_THROTTLE_MAX_SECONDS) before the next try is even looked at.
    """
    from django.core.cache import cache

    key = _failures_key(username)
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        failures = 1
    beyond = failures - settings.LOGIN_THROTTLE_AFTER
    if beyond >= 0:
        wait = min(2 ** min(beyond, 30), settings.LOGIN_THROTTLE_MAX_SECONDS)
        current = time.time() if now is None else now
        # The stored time decides; the expiry (a minute later) only tidies the cache.
        cache.set(_blocked_key(username), current + wait, timeout=wait + 60)
    return failures


def login_throttle_clear(*, username: str) -> None:
    """End the count: the right password (whoever typed it knows it; the second factor still
    guards) or an administrator's unlock."""
    from django.core.cache import cache

    cache.delete_many([_failures_key(username), _blocked_key(username)])


def account_attack_alert(*, username: str, failures: int, ip: str | None, locked: bool, now: datetime.datetime) -> bool:
    """Queue the e-mail telling an account's owner that someone is trying their password, at most
    once per LOGIN_THROTTLE_WINDOW_SECONDS window; returns whether one was queued."""
    from django.core.cache import cache

    from reports.models import User
    from reports.services.outbox import outbox_enqueue

    user = User.objects.filter(username__iexact=username, is_active=True).exclude(email="").first()
    if user is None:
        return False
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    slot = int(now.timestamp()) // window
    if not cache.add(f"portal.login.alerted?u={user.pk}&slot={slot}", 1, timeout=window):
        return False
    with transaction.atomic():  # the audit event and the outbox message together
        audit_log(action="account_attack_alert", obj=user, actor_name="system", failures=failures, ip=ip or "", locked=locked)
        outbox_enqueue(
            task="reports.account_attack_alert",
            args=[user.pk, slot, failures, ip or "", locked, now.isoformat()],
            key=f"account_attack_alert:{user.pk}:{slot}",  # once per window, even while the cache is away
        )
    return True


def account_attack_alert_send(*, user: User, slot: int, failures: int, ip: str, locked: bool, at: datetime.datetime) -> int:
    """The e-mail itself (once per user and window, even if the task runs twice)."""
    from reports.services.emails import email_send_once

    language = user.preferred_language if user.preferred_language in dict(settings.LANGUAGES) else None
    context = {
        "user": user,
        "failures": failures,
        "ip": ip,
        "locked": locked,
        "at": at,
        "admin_unlock": settings.AXES_COOLOFF_TIME is None,
        "security_path": reverse("security:account"),
    }
    return email_send_once(
        key=f"account-attack:{user.pk}:{slot}", name="account-attack", to=user.email, context=context, language=language
    )


def account_locked(user: User) -> bool:
    """Whether django-axes holds the account locked: a (user name, address) pair reached the
    failure limit and no administrator has unlocked it yet (accounts_unlock). The API asks on
    every request, so a locked user's tokens stop at once."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(
        username=user.get_username(), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()
