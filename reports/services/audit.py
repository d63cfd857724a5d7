"""Writing the audit trail: one helper every service and view calls."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from reports.models import AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from reports.models import MemberState, User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_log(
    *,
    action: str,
    actor: User | None = None,
    state: MemberState | None = None,
    obj: object | None = None,
    request: HttpRequest | None = None,
    actor_name: str = "",
    **detail: Any,
) -> AuditEvent:
    role = actor.role if actor is not None and actor.is_authenticated else None
    if state is None and actor is not None and getattr(actor, "state_id", None):
        state_id = actor.state_id
    else:
        state_id = state.pk if state is not None else None
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=_text(actor_name or (actor.get_username() if actor is not None else ""), 150),
        actor_role=role.value if role else "",
        state_id=state_id,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=_text(str(getattr(obj, "pk", "") or ""), 50) if obj is not None else "",
        detail={_text(str(key), 100): _jsonable(value) for key, value in detail.items()},
        ip=client_ip(request),
    )


def _text(value: str, limit: int | None = None) -> str:
    # PostgreSQL refuses NUL characters in text and JSON; the trail must never fail to record.
    value = value.replace("\x00", "\ufffd")
    return value[:limit] if limit else value


def _jsonable(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value, 10_000)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # NaN and infinities are not JSON
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {_text(str(k), 100): _jsonable(v) for k, v in value.items()}
    return _text(str(value), 10_000)
