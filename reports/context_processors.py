from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from reports.selectors.access import is_back_office, role_of
from reports.selectors.health import broker_available


def portal(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    role = role_of(user)
    return {
        "portal_role": role,
        "portal_role_label": role.label if role else "",
        "portal_state": getattr(user, "state", None) if role and role.value in ("focal_point", "signatory") else None,
        "portal_is_back_office": is_back_office(user),
        # Signed-in pages say so when the task queue is away: e-mails and receipts wait in the
        # outbox and go out when it is back (reports/services/outbox.py).
        "portal_background_delayed": bool(user.is_authenticated) and not broker_available(),
    }
