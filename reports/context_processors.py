from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from reports.selectors.access import is_back_office, role_of


def portal(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    role = role_of(user)
    return {
        "portal_role": role,
        "portal_role_label": role.label if role else "",
        "portal_state": getattr(user, "state", None) if role and role.value in ("focal_point", "signatory") else None,
        "portal_is_back_office": is_back_office(user),
    }
