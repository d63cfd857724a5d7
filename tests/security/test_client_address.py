"""The client's address behind proxies: one setting (TRUSTED_PROXY_COUNT), one helper, every layer.

The audit trail, allauth (its per-address limits, the sessions list) and axes (the lockout by
user name and address) must see the same client, and a header the client wrote itself must not
move any of them.
"""

from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.test import RequestFactory

from reports.adapters import PortalAccountAdapter
from reports.models import AuditEvent, Role
from reports.services.audit import client_ip
from tests.factories import make_user

PROXY = "10.0.0.2"  # our TLS proxy: the peer gunicorn sees
CLIENT = "203.0.113.7"  # the delegate, as our proxy saw it
FORGED = "198.51.100.66"  # what the delegate (or an attacker) wrote in the header before our proxy appended


def layers(request) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return {
        "audit": client_ip(request),
        "axes": get_client_ip_address(request),
        "allauth": PortalAccountAdapter(request).get_client_ip(request),
    }


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (1, PROXY, CLIENT, CLIENT),  # one proxy, one hop
        (1, PROXY, f"{FORGED}, {CLIENT}", CLIENT),  # a forged first entry is ignored
        (2, PROXY, f"{FORGED}, {CLIENT}, 10.0.0.9", CLIENT),  # two proxies: the CDN's entry, then ours
        (0, PROXY, f"{FORGED}, {CLIENT}", PROXY),  # no trusted proxy: the header is not believed at all
        (2, PROXY, CLIENT, PROXY),  # fewer hops than proxies: the request bypassed one, header untrusted
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, f"{CLIENT}:51234", CLIENT),  # a port, as some proxies write it
        (1, PROXY, "[2001:db8::7]:443", "2001:db8::7"),
    ],
)
def test_every_layer_sees_the_same_client(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert layers(request) == {"audit": expected, "axes": expected, "allauth": expected}


def test_settings_wire_axes_and_allauth_to_the_one_helper(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == "reports.services.audit.client_ip"
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT == 0  # the default: no proxy


def test_a_sign_in_through_the_proxy_records_the_client_everywhere(client, settings, reference):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user(Role.FOCAL_POINT, None, "lucy")
    headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{FORGED}, {CLIENT}"}
    client.post("/accounts/login/", {"login": "lucy", "password": "wrong-password"}, **headers)
    assert list(AuditEvent.objects.filter(action="login_failed").values_list("ip", flat=True)) == [CLIENT]
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT]

    response = client.post("/accounts/login/", {"login": "lucy", "password": "correct-horse-battery-2253"}, **headers)
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="login").ip == CLIENT
    assert list(UserSession.objects.values_list("ip", flat=True)) == [CLIENT]


def test_allauths_per_address_limit_counts_clients_not_the_proxy(client, settings, reference):
    """The deadline rush: many delegations through one proxy must not share one allowance."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}

    def post(who: str):  # type: ignore[no-untyped-def]
        return client.post("/accounts/login/", {"login": "nobody", "password": "x"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=who)

    assert [post(CLIENT).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert post("203.0.113.8").status_code == 200  # another delegation, same proxy
    # A client cannot escape its own limit by writing another address in front of ours.
    assert post(f"203.0.113.99, {CLIENT}").status_code == 429


def test_sixty_delegations_behind_one_address_all_sign_in_within_a_minute(client, settings, reference):
    """The deadline rush through one address (a shared proxy, a ministry's NAT): allauth's default
    30 sign-ins a minute per address would refuse half of them (429). Failed passwords keep their
    own per-address limit, axes' lockout by (user name, address) and the per-account brake."""
    from django.test import Client

    settings.TRUSTED_PROXY_COUNT = 1
    users = [make_user(Role.FOCAL_POINT, None, f"rush-{n}") for n in range(60)]
    answers = [
        Client()
        .post(
            "/accounts/login/",
            {"login": user.username, "password": "correct-horse-battery-2253"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=CLIENT,
        )
        .status_code
        for user in users
    ]
    assert answers == [302] * 60
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip"  # still there for the attacker
