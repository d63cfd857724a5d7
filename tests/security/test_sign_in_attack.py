"""Sign-in that holds at the deadline and against an attacker.

- axes locks the pair (user name, address): an attacker's wrong passwords lock the attacker out,
  not the signatory;
- a slower per-account throttle with exponential back-off against many addresses, and one e-mail
  to the account's owner per window;
- TOTP accepts one step of drift, never a used code twice;
- no deployment check silenced.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core import mail

from reports.models import AuditEvent, Role, User
from reports.services.demo import demo_users_ensure
from reports.services.mfa import totp_code, totp_secret_of
from reports.services.security import login_failure_record, login_throttle_wait
from tests.factories import make_user
from tests.mfa import lands_signed_in, login_with_totp, totp_give
from tests.security.test_hardening import production_settings

ATTACKER = "198.51.100.66"
SIGNATORY_DESK = "203.0.113.7"
GOOD = "correct-horse-battery-2253"
T0 = datetime.datetime(2026, 11, 30, 23, 58, 0, tzinfo=datetime.UTC)  # two minutes before a due date


def post_password(client, username: str, password: str, ip: str):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"login": username, "password": password}, REMOTE_ADDR=ip)


def test_fifty_wrong_passwords_from_one_address_do_not_stop_the_signatory_elsewhere(client, reference):
    demo_users_ensure()
    attacker = client.__class__()
    answers = [post_password(attacker, "signatory-fra", f"guess-{n}", ATTACKER).status_code for n in range(50)]
    assert 429 in answers  # the attacker's pair is locked (and allauth's per-address limit bites too)
    # Even the right password is refused from the attacker's address: allauth's limit on failed
    # sign-ins per address answers before axes' lock is asked (the successful-sign-in limit per
    # address is sized for a deadline rush behind one proxy: LOGIN_RATE_PER_ADDRESS).
    refused = post_password(attacker, "signatory-fra", "demo-pass-2253", ATTACKER)
    assert refused.status_code in (200, 429) and "_auth_user_id" not in attacker.session
    assert refused.status_code == 429 or "Too many failed login attempts" in refused.content.decode()

    signatory = client.__class__()
    login_with_totp(signatory, "signatory-fra", REMOTE_ADDR=SIGNATORY_DESK)
    assert lands_signed_in(signatory)
    assert AuditEvent.objects.filter(action="login", actor_name="signatory-fra", ip=SIGNATORY_DESK).exists()


def test_the_lock_holds_the_pair_not_the_account(client, settings, reference):
    make_user(Role.FOCAL_POINT, None, "lucy")
    for n in range(settings.AXES_FAILURE_LIMIT):
        post_password(client, "lucy", f"guess-{n}", ATTACKER)
    assert post_password(client, "lucy", GOOD, ATTACKER).status_code == 429
    assert post_password(client.__class__(), "lucy", GOOD, SIGNATORY_DESK).status_code == 302


def test_many_addresses_meet_a_per_account_throttle_that_backs_off(client, settings, reference):
    settings.LOGIN_THROTTLE_AFTER = 3
    make_user(Role.FOCAL_POINT, None, "lucy")
    with time_machine.travel(T0, tick=False) as traveller:
        for n in range(3):  # one try from each of three addresses: no pair is locked
            assert post_password(client, "lucy", "wrong", f"192.0.2.{n}").status_code == 200
        # The third failure starts the brake: 2**0 = 1 s, even for the right password elsewhere.
        refused = post_password(client, "lucy", GOOD, SIGNATORY_DESK)
        assert refused.status_code == 200 and "Too many failed login attempts" in refused.content.decode()
        assert "_auth_user_id" not in client.session
        traveller.shift(1.5)
        assert post_password(client, "lucy", "wrong", "192.0.2.9").status_code == 200  # 4th failure: 2 s
        traveller.shift(1.5)
        assert "Too many failed" in post_password(client, "lucy", GOOD, SIGNATORY_DESK).content.decode()
        traveller.shift(1)
        assert post_password(client, "lucy", GOOD, SIGNATORY_DESK).status_code == 302  # and the count ends


def test_the_back_off_doubles_up_to_its_cap_and_refused_tries_do_not_count(settings, reference):
    settings.LOGIN_THROTTLE_AFTER = 2
    settings.LOGIN_THROTTLE_MAX_SECONDS = 8
    now = T0.timestamp()
    waits = []
    for _ in range(7):
        login_failure_record(username="Lucy", now=now)
        waits.append(login_throttle_wait(username="lucy", now=now))
    assert waits == [0, 1, 2, 4, 8, 8, 8]  # user names compare without case, as they sign in
    assert login_throttle_wait(username="lucy", now=now + 8) == 0  # temporary


def test_the_owner_is_told_once_per_window(client, settings, reference, django_capture_on_commit_callbacks):
    settings.LOGIN_THROTTLE_AFTER = 3
    lucy = make_user(Role.FOCAL_POINT, None, "lucy")
    lucy.email = "lucy@mission.example"
    lucy.save(update_fields=["email"])
    with time_machine.travel(T0, tick=True) as traveller, django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            post_password(client, "lucy", "wrong", f"192.0.2.{n}")
        traveller.shift(60)
        for n in range(3, 8):
            post_password(client, "lucy", "wrong", f"192.0.2.{n}")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lucy@mission.example"] and "lucy" in message.subject
    assert "3 failed sign-ins" in message.body and "192.0.2.2" in message.body and "2026-11-30 23:58" in message.body
    assert AuditEvent.objects.filter(action="account_attack_alert", object_id=str(lucy.pk)).count() == 1


def test_a_locked_pair_also_tells_the_owner(client, settings, reference, django_capture_on_commit_callbacks):
    lucy = make_user(Role.FOCAL_POINT, None, "lucy")
    lucy.email = "lucy@mission.example"
    lucy.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(settings.AXES_FAILURE_LIMIT + 5):
            post_password(client, "lucy", f"guess-{n}", ATTACKER)
    assert len(mail.outbox) == 1
    assert ATTACKER in mail.outbox[0].body and "Sign-in from that address is locked" in mail.outbox[0].body


def _totp_user(reference) -> tuple[User, Authenticator, str]:  # type: ignore[no-untyped-def]
    user = totp_give(make_user(Role.SIGNATORY, None, "sig"))
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = totp_secret_of(user)
    assert secret
    return user, authenticator, secret


def test_totp_accepts_one_step_of_drift_and_no_more(reference):
    _user, authenticator, secret = _totp_user(reference)
    now = T0.timestamp()
    with time_machine.travel(T0, tick=False):
        assert authenticator.wrap().validate_code(totp_code(secret, at=now - 30))  # read a step ago
        assert authenticator.wrap().validate_code(totp_code(secret, at=now + 30))  # a phone's clock ahead
        assert not authenticator.wrap().validate_code(totp_code(secret, at=now - 60))
        assert not authenticator.wrap().validate_code(totp_code(secret, at=now + 60))


def test_a_used_code_is_refused_for_as_long_as_it_would_be_accepted(reference, monkeypatch):
    _user, authenticator, secret = _totp_user(reference)
    from django.core.cache import cache

    timeouts = []
    real_add = cache.add

    def add(key, value, timeout=None, **kwargs):  # type: ignore[no-untyped-def]
        timeouts.append(timeout)
        return real_add(key, value, timeout=timeout, **kwargs)

    monkeypatch.setattr(cache, "add", add)
    code = totp_code(secret, at=T0.timestamp())
    with time_machine.travel(T0, tick=False) as traveller:
        assert authenticator.wrap().validate_code(code)
        assert not authenticator.wrap().validate_code(code)  # replay at once
        traveller.shift(45)  # the next step, where the code is still accepted: still refused
        assert not authenticator.wrap().validate_code(code)
    # The mark must outlive the code: three steps of 30 s (allauth's own keeps it for one).
    assert timeouts[0] >= 90


def test_a_replayed_code_is_refused_at_sign_in(client, reference):
    demo_users_ensure()
    user = User.objects.get(username="signatory-fra")
    first = client.__class__()
    login_with_totp(first, "signatory-fra")
    assert lands_signed_in(first)
    secret = totp_secret_of(user)
    assert secret
    used = totp_code(secret)  # the code just used (same step), seen over the signatory's shoulder
    second = client.__class__()
    response = second.post("/accounts/login/", {"login": "signatory-fra", "password": "demo-pass-2253"})
    assert response.status_code == 302 and "/2fa/authenticate" in response["Location"]
    again = second.post(response["Location"], {"code": used})
    assert again.status_code == 200 and not lands_signed_in(second)


@pytest.mark.parametrize("prefix", ["security.", "axes."])
def test_no_security_or_axes_check_is_silenced_in_production(prefix):
    silenced = production_settings("SILENCED_SYSTEM_CHECKS")["SILENCED_SYSTEM_CHECKS"]
    assert isinstance(silenced, list)
    assert [name for name in silenced if name.startswith(prefix)] == []


def test_an_administrators_unlock_also_releases_the_account_throttle(settings, reference):
    from reports.services.security import accounts_unlock

    settings.LOGIN_THROTTLE_AFTER = 1
    lucy = make_user(Role.FOCAL_POINT, None, "lucy")
    login_failure_record(username="lucy")
    assert login_throttle_wait(username="lucy") > 0
    accounts_unlock(users=[lucy], actor=make_user(Role.SECRETARIAT))
    assert login_throttle_wait(username="lucy") == 0
