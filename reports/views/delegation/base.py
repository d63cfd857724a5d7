"""Typing help for the delegation views: the decorators guarantee a delegation user with a State."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

from reports.models import MemberState

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from reports.models import User


class DelegationRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


def request_state(request: DelegationRequest) -> MemberState:
    state = request.user.state
    assert state is not None  # delegation_required lets only users of a State through
    return state
