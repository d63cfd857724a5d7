"""Writing the audit trail: one helper every service and view calls."""

from __future__ import annotations

import ipaddress
import logging
import math
from typing import TYPE_CHECKING, Any

from django.conf import settings

from reports.models import AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from reports.models import MemberState, User


logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: THE one definition, used by the audit trail, allauth (its per-address
    limits, the sessions list) and axes (the lockout by user name and address).

    Behind TRUSTED_PROXY_COUNT proxies, each appending the address it saw to X-Forwarded-For,
    the client is the entry that many places from the end; whatever comes before it was written
    by the client and is ignored. With no proxy (0, the default) the header is ignored.
    """
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    if len(hops) < count:
        # The request did not pass every trusted proxy (or one is misconfigured): nothing in
        # the header can be trusted, so the peer's own address stands.
        logger.warning("X-Forwarded-For has %d addresses, fewer than TRUSTED_PROXY_COUNT=%d", len(hops), count)
        return remote
    return _address(hops[-count]) or remote


def _address(value: str) -> str | None:
    """A normalised IP address, or None; accepts "[v6]:port" and "v4:port" as some proxies write them."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


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
