"""With Redis away, the portal degrades: sign-in and pages work from the database, a banner says
background work is delayed. (The broker side, the outbox, is in tests/services/test_outbox.py and
tests/integration/test_outbox_worker.py.)"""

from __future__ import annotations

import socket

import pytest
from django.urls import reverse

from reports.selectors import health
from sanctions_portal.cache import TolerantRedisCache
from tests.mfa import lands_signed_in, login_with_totp

GOOD = "correct-horse-battery-2253"
BANNER = "Background work is delayed"


def closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused, as a stopped Redis's is."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def dead_redis_cache(settings):  # type: ignore[no-untyped-def]
    settings.CACHES = {
        "default": {
            "BACKEND": "sanctions_portal.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    return settings


@pytest.fixture
def broker_health_reset():  # type: ignore[no-untyped-def]
    health._broker_seen.clear()
    yield
    health._broker_seen.clear()


def test_the_cache_answers_as_empty_while_redis_is_away():
    dead = TolerantRedisCache(f"redis://127.0.0.1:{closed_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})
    assert dead.get("k", "default") == "default"
    assert dead.add("lock", True, 10) is True  # a lock or a once-only mark: go ahead
    dead.set("k", 1, 10)
    assert dead.delete("k") is False
    assert dead.get_many(["a", "b"]) == {}


@pytest.mark.django_db
def test_sign_in_with_a_second_factor_works_while_redis_is_away(client, dead_redis_cache, signatory_a):
    response = login_with_totp(client, "amira", password=GOOD)
    assert response.status_code == 302, response.content[:500]
    assert lands_signed_in(client)


@pytest.mark.django_db
def test_a_failed_sign_in_is_a_page_not_a_500_while_redis_is_away(client, dead_redis_cache, focal_a):
    response = client.post("/accounts/login/", {"login": "alice", "password": "wrong-password"})
    assert response.status_code == 200
    assert client.post("/accounts/login/", {"login": "alice", "password": GOOD}).status_code == 302


@pytest.mark.django_db
def test_pages_say_background_work_is_delayed_while_the_broker_is_away(
    client, focal_a, report_a, broker_health_reset, monkeypatch
):
    calls: list[float] = []

    def down(timeout: int = 2, retries: int = 1):  # type: ignore[no-untyped-def]
        calls.append(timeout)
        return {"ok": False, "transport": "redis", "error": "OperationalError"}

    monkeypatch.setattr(health, "_broker", down)
    client.force_login(focal_a)
    page = reverse("delegation:report", args=[report_a.pk])
    first = client.get(page)
    second = client.get(page)
    assert first.status_code == second.status_code == 200
    assert BANNER in first.content.decode() and BANNER in second.content.decode()
    assert len(calls) == 1  # the answer is reused for a few seconds, not asked per page


@pytest.mark.django_db
def test_no_banner_while_the_broker_answers_and_none_for_visitors(client, focal_a, report_a, broker_health_reset, monkeypatch):
    monkeypatch.setattr(health, "_broker", lambda timeout=2, retries=1: {"ok": True, "transport": "redis"})
    assert BANNER not in client.get("/accounts/login/").content.decode()
    client.force_login(focal_a)
    response = client.get(reverse("delegation:report", args=[report_a.pk]))
    assert response.status_code == 200 and BANNER not in response.content.decode()
