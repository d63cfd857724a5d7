"""Account security services: unlocking accounts locked by django-axes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from axes.utils import reset

from reports.services.audit import audit_log

if TYPE_CHECKING:
    from django.http import HttpRequest

    from reports.models import User


def accounts_unlock(*, users: list[User], actor: User, request: HttpRequest | None = None) -> int:
    """Clear the failed sign-in records of these accounts; returns how many records were cleared."""
    cleared = 0
    for user in users:
        count = reset(username=user.get_username())
        cleared += count
        audit_log(action="account_unlocked", actor=actor, obj=user, request=request, username=user.get_username())
    return cleared
