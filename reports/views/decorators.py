"""Role gates for views. State scoping is the selectors' job (reports.selectors.access)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from reports.models import Role
from reports.selectors.access import role_of


def role_required(*roles: Role) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Signed-in users of other roles get 404: a page they may not use does not exist for them."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if role_of(request.user) not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


delegation_required = role_required(Role.FOCAL_POINT, Role.SIGNATORY)
signatory_required = role_required(Role.SIGNATORY)
back_office_required = role_required(Role.SECRETARIAT, Role.MONITORING)
secretariat_required = role_required(Role.SECRETARIAT)
