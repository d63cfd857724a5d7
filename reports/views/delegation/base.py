"""Typing help for the delegation views: the decorators guarantee a delegation user with a State."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest

from reports.models import MemberState

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from reports.models import User


class DelegationRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


def request_state(request: DelegationRequest) -> MemberState:
    state = request.user.state
    if state is None:  # a delegation account not yet attached to a State has nothing to see
        raise Http404
    return state
