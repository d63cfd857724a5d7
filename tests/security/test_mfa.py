"""MFA: required for Secretariat, Monitoring Team and signatories, offered to everyone."""

from __future__ import annotations

import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from reports.models import Role, User
from reports.services.mfa import demo_totp_secret, totp_code, totp_secret_of
from tests.factories import make_user
from tests.mfa import has_totp, lands_signed_in, login_with_totp, totp_code_fresh, totp_give

ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.MONITORING, Role.SIGNATORY])
def test_roles_that_require_mfa_are_sent_to_activation(client, state_a, role):
    user = make_user(role, state_a if role == Role.SIGNATORY else None)
    client.force_login(user)
    for url in ("/", "/admin/", "/secretariat/", "/delegation/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == ACTIVATE, url


def test_admin_users_must_use_mfa_whatever_their_role(client, django_user_model, db):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "correct-horse-battery-2253")
    client.force_login(admin)
    assert client.get("/admin/")["Location"] == ACTIVATE
    totp_give(admin)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.COMMITTEE])
def test_other_roles_are_offered_mfa_not_forced(client, state_a, role):
    client.force_login(make_user(role, state_a if role == Role.FOCAL_POINT else None))
    assert lands_signed_in(client)


def test_the_activation_page_logout_and_health_stay_reachable(client, reference):
    user = make_user(Role.SECRETARIAT)
    client.force_login(user)
    page = client.get(ACTIVATE)
    # allauth may ask to re-authenticate first; it never bounces back to itself.
    assert page.status_code in (200, 302)
    if page.status_code == 302:
        assert page["Location"] != ACTIVATE and page["Location"].startswith("/accounts/")
    assert client.get("/healthz").status_code in (200, 503)
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_htmx_requests_get_an_hx_redirect(client, reference):
    client.force_login(make_user(Role.MONITORING))
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == ACTIVATE


def test_with_an_authenticator_the_pages_open(client, secretariat):
    client.force_login(secretariat)
    response = client.get("/", follow=True)
    assert response.status_code == 200 and response.redirect_chain == [("/secretariat/", 302)]


def test_login_asks_for_the_code_and_refuses_a_wrong_one(client, reference):
    user = totp_give(make_user(Role.SIGNATORY, None, "sig"))
    response = client.post("/accounts/login/", {"login": "sig", "password": "correct-horse-battery-2253"})
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session  # not signed in with the password alone
    good = totp_code_fresh(user)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    refused = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    accepted = client.post("/accounts/2fa/authenticate/", {"code": good})
    assert accepted.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_required_role_cannot_remove_its_authenticator(client, secretariat):
    from reports.adapters import PortalMFAAdapter

    totp = Authenticator.objects.get(user=secretariat, type=Authenticator.Type.TOTP)
    assert PortalMFAAdapter().can_delete_authenticator(totp) is False


def test_focal_point_may_remove_its_authenticator(focal_a):
    from reports.adapters import PortalMFAAdapter

    totp_give(focal_a)
    totp = Authenticator.objects.get(user=focal_a, type=Authenticator.Type.TOTP)
    assert PortalMFAAdapter().can_delete_authenticator(totp) is True


def test_demo_secrets_are_fixed_per_username_and_valid_base32():
    import base64

    assert demo_totp_secret("focal-fra") == demo_totp_secret("focal-fra")
    assert demo_totp_secret("focal-fra") != demo_totp_secret("focal-rus")
    assert len(base64.b32decode(demo_totp_secret("secretariat"))) == 20


def test_totp_code_matches_rfc6238_vector():
    # RFC 6238 appendix B, SHA-1, T=59s, secret "12345678901234567890": 94287082 (8 digits) -> 287082.
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp_code(secret, at=59) == "287082"


def test_seed_demo_gives_every_demo_user_its_fixed_secret_and_prints_it(reference):
    from reports.services.demo import demo_users_ensure

    demo_users_ensure()
    out = io.StringIO()
    call_command("seed_demo", "--print-logins", stdout=out)
    printed = out.getvalue()
    for username in ("secretariat", "monitoring", "committee", "focal-fra", "signatory-usa"):
        user = User.objects.get(username=username)
        assert totp_secret_of(user) == demo_totp_secret(username)
        assert f"{username}" in printed and demo_totp_secret(username) in printed
    code = io.StringIO()
    call_command("demo_totp_code", "signatory-fra", stdout=code)
    assert code.getvalue().strip() == totp_code(demo_totp_secret("signatory-fra"))


def test_any_demo_user_can_sign_in_with_the_helper(client, reference):
    from reports.services.demo import demo_users_ensure

    demo_users_ensure()
    for username in ("secretariat", "signatory-fra", "committee"):
        client.logout()
        response = login_with_totp(client, username)
        assert response.status_code == 302
        assert lands_signed_in(client), username


def test_no_demo_totp_in_production_settings(settings, focal_a):
    from reports.services.mfa import demo_totp_ensure

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(ImproperlyConfigured):
        demo_totp_ensure(user=focal_a)
    assert not has_totp(focal_a)


def test_wrong_codes_count_toward_the_lockout(client, settings, reference):
    from reports.models import AuditEvent

    user = totp_give(make_user(Role.SECRETARIAT, None, "sig2"))
    good = totp_code_fresh(user)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/login/", {"login": "sig2", "password": "correct-horse-battery-2253"})
    assert "/accounts/2fa/authenticate/" in response["Location"]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/accounts/2fa/authenticate/", {"code": wrong}).status_code == 200
    locked = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert locked.status_code == 429 and "This account is locked" in locked.content.decode()
    # The half-finished sign-in is gone: even the right code does not sign in now...
    client.post("/accounts/2fa/authenticate/", {"code": totp_code_fresh(user)})
    assert "_auth_user_id" not in client.session
    # ...and the password is refused until an administrator unlocks the account.
    again = client.post("/accounts/login/", {"login": "sig2", "password": "correct-horse-battery-2253"})
    assert again.status_code == 429
    assert AuditEvent.objects.filter(action="mfa_failed", actor_name="sig2").count() == settings.AXES_FAILURE_LIMIT
