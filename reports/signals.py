"""Logins and failed logins go to the audit trail."""

from __future__ import annotations

from typing import Any

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
    audit_log(action="login_failed", request=request, actor_name=str(credentials.get("username", ""))[:150])


@receiver(post_migrate)
def _db_guards_after_migrate(sender: Any, app_config: Any = None, using: str = "default", **kwargs: Any) -> None:
    # Re-install the immutability triggers: on SQLite, altering a table rebuilds it without them.
    if app_config is not None and app_config.label == "reports":
        guards_install(connections[using])
