"""Personal API tokens: made and revoked on the account page, shown once, stored hashed; they stop
when revoked, expired, or when their user is deactivated or locked; limited per token."""

from __future__ import annotations

import datetime
import hashlib

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from reports.models import ApiToken, AuditEvent, TokenScope
from reports.services.api_tokens import api_token_revoke
from tests.api.conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db


def _create(client, **fields):  # type: ignore[no-untyped-def]
    data = {"name": "Customs case system", "scope": "read_write_draft", "expires": "2027-03-01", **fields}
    return client.post("/security/account/tokens/", data)


@time_machine.travel(datetime.datetime(2026, 12, 6, 15, 0, tzinfo=datetime.UTC), tick=False)
def test_account_page_makes_a_token_shown_once_and_stored_hashed(client, focal_fra, report_fra):
    client.force_login(focal_fra)
    answer = _create(client)
    assert answer.status_code == 200
    secret = answer.context["new_secret"]
    assert secret.startswith("sp_") and secret in answer.content.decode()
    token = ApiToken.objects.get(user=focal_fra)
    assert token.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values_list()))  # only its hash
    assert token.scope == TokenScope.READ_WRITE_DRAFT
    page = client.get("/security/account/").content.decode()
    assert secret not in page and f"sp_{token.prefix}_" in page  # never shown again
    assert ApiClient(secret).get(f"/api/v1/reports/{report_fra.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="api_token_create", actor=focal_fra).exists()


@time_machine.travel(datetime.datetime(2026, 12, 6, 15, 0, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"expires": ""}, "expires"),
        ({"expires": "2026-12-06"}, "expires"),
        ({"expires": "2028-01-01"}, "expires"),
        ({"name": ""}, "name"),
    ],
)
def test_a_token_needs_a_name_and_an_expiry_within_the_limit(client, focal_fra, fields, field):
    client.force_login(focal_fra)
    answer = _create(client, **fields)
    assert answer.status_code == 400 and answer.context["token_form"].errors[field]
    assert not ApiToken.objects.exists()


def test_back_office_gets_only_read_tokens(client, secretariat):
    client.force_login(secretariat)
    answer = _create(client, expires=(timezone.now() + datetime.timedelta(days=30)).date().isoformat())
    assert answer.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoked_token_gets_401(client, focal_fra, report_fra):
    secret = token_for(focal_fra)
    api = ApiClient(secret)
    assert api.get(f"/api/v1/reports/{report_fra.pk}/").status_code == 200
    client.force_login(focal_fra)
    token = ApiToken.objects.get(user=focal_fra)
    assert client.post(f"/security/account/tokens/{token.pk}/revoke/").status_code == 302
    answer = api.get(f"/api/v1/reports/{report_fra.pk}/")
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json" and answer["WWW-Authenticate"].startswith("Bearer")
    assert AuditEvent.objects.filter(action="api_token_revoke").exists()


def test_someone_elses_token_cannot_be_revoked(client, focal_fra, focal_b):
    token_for(focal_fra)
    token = ApiToken.objects.get(user=focal_fra)
    client.force_login(focal_b)
    assert client.post(f"/security/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_expired_token_gets_401(focal_fra, report_fra):
    api = ApiClient(token_for(focal_fra, days=1))
    assert api.get(f"/api/v1/reports/{report_fra.pk}/").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, seconds=1)):
        assert api.get(f"/api/v1/reports/{report_fra.pk}/").status_code == 401


def test_deactivated_user_token_stops_at_once(focal_fra, report_fra):
    api = ApiClient(token_for(focal_fra))
    assert api.get(f"/api/v1/reports/{report_fra.pk}/").status_code == 200
    focal_fra.is_active = False
    focal_fra.save(update_fields=["is_active"])
    assert api.get(f"/api/v1/reports/{report_fra.pk}/").status_code == 401


def test_locked_user_token_stops_at_once(focal_fra, report_fra):
    api = ApiClient(token_for(focal_fra))
    AccessAttempt.objects.create(
        username=focal_fra.username, ip_address="203.0.113.9", user_agent="x", failures_since_start=settings.AXES_FAILURE_LIMIT
    )
    assert api.get(f"/api/v1/reports/{report_fra.pk}/").status_code == 401


def test_role_change_applies_at_once(focal_fra, report_fra):
    """The token acts as its user now: moved to another State, it reads that State only."""
    from reports.models import MemberState

    api = ApiClient(token_for(focal_fra))
    focal_fra.state = MemberState.objects.get(iso3="DEU")
    focal_fra.save(update_fields=["state"])
    assert api.get(f"/api/v1/reports/{report_fra.pk}/").status_code == 404


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer a b", "Bearer sp_nope", "Token sp_x", "Bearer ñ"])
def test_missing_or_bad_token_gets_401(client, report_fra, header):
    answer = client.get(f"/api/v1/reports/{report_fra.pk}/", HTTP_AUTHORIZATION=header)
    assert answer.status_code == 401
    assert answer.json()["status"] == 401


def test_session_alone_does_not_open_the_api(client, focal_fra, report_fra):
    client.force_login(focal_fra)
    assert client.get(f"/api/v1/reports/{report_fra.pk}/").status_code == 401


def test_rate_limited_per_token(focal_fra, report_fra):
    cache.clear()
    first, second = ApiClient(token_for(focal_fra)), ApiClient(token_for(focal_fra))
    with override_settings(API_TOKEN_RATE="3/min"):
        codes = [first.get(f"/api/v1/reports/{report_fra.pk}/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = first.get(f"/api/v1/reports/{report_fra.pk}/")
        assert limited["Content-Type"] == "application/problem+json" and int(limited["Retry-After"]) > 0
        assert second.get(f"/api/v1/reports/{report_fra.pk}/").status_code == 200  # its own count
    cache.clear()


def test_revoke_service_refuses_another_users_token(focal_fra, focal_b):
    from reports.services.reports import ReportError

    token_for(focal_fra)
    with pytest.raises(ReportError):
        api_token_revoke(token=ApiToken.objects.get(user=focal_fra), actor=focal_b)
