"""Logins, failed logins and wrong authenticator codes go to the audit trail (and the lockout)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.signals import authentication_failed as mfa_authentication_failed
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import connections
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from reports.db_guards import guards_install
from reports.services.audit import audit_log


@receiver(user_logged_in)
def _audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_log(action="login", actor=user, request=request)


@receiver(user_login_failed)
def _audit_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    action = "mfa_failed" if credentials.get("second_factor") else "login_failed"
    audit_log(action=action, request=request, actor_name=str(credentials.get("username", ""))[:150])


@receiver(mfa_authentication_failed)
def _mfa_code_failed(sender: Any, request: Any, user: Any, reauthentication: bool = False, **kwargs: Any) -> None:
    """A wrong authenticator code counts toward the lockout like a wrong password.

    Without this, whoever has the password could try codes until one fits. Once the account
    is locked the half-finished sign-in is thrown away (or the session ended, when a signed-in
    user was asked to re-authenticate), so the next attempt starts at the password, which
    django-axes refuses until an administrator unlocks the account.
    """
    credentials = {"username": user.get_username(), "second_factor": True}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if AxesProxyHandler.is_locked(request, credentials):
        if reauthentication:
            logout(request)
        else:
            request.session.flush()


@receiver(post_migrate)
def _db_guards_after_migrate(sender: Any, app_config: Any = None, using: str = "default", **kwargs: Any) -> None:
    # Re-install the immutability triggers: on SQLite, altering a table rebuilds it without them.
    if app_config is not None and app_config.label == "reports":
        guards_install(connections[using])
