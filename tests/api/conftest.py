"""Tokens and a client that sends them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from reports.models import MemberState, Role, TokenScope, User
from reports.services.api_tokens import api_token_create
from tests.factories import make_report, make_user


def token_for(user: User, scope: str = TokenScope.READ_WRITE_DRAFT, *, days: int = 30) -> str:
    _token, secret = api_token_create(
        user=user, name="test", scope=scope, expires_at=timezone.now() + datetime.timedelta(days=days)
    )
    return secret


class ApiClient:
    """A test client that sends `Authorization: Bearer <token>` and JSON."""

    def __init__(self, token: str, language: str = "en") -> None:
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE=language)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(path, body, content_type="application/json")

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(path, body, content_type="application/json")


@pytest.fixture
def russia(reference) -> MemberState:  # type: ignore[no-untyped-def]
    return MemberState.objects.get(iso3="RUS")


@pytest.fixture
def focal_fra(state_a) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.FOCAL_POINT, state_a, "focal-fra")


@pytest.fixture
def focal_rus(russia) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.FOCAL_POINT, russia, "focal-rus")


@pytest.fixture
def report_fra(state_a, cycle, focal_fra):  # type: ignore[no-untyped-def]
    return make_report(state_a, cycle, focal_fra)


@pytest.fixture
def report_rus(russia, cycle, focal_rus):  # type: ignore[no-untyped-def]
    return make_report(russia, cycle, focal_rus)


@pytest.fixture
def fra_api(focal_fra) -> ApiClient:  # type: ignore[no-untyped-def]
    return ApiClient(token_for(focal_fra))


@pytest.fixture
def sec_api(secretariat) -> ApiClient:  # type: ignore[no-untyped-def]
    return ApiClient(token_for(secretariat, TokenScope.READ))
