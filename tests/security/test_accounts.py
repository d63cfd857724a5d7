"""Lockout, password strength, inactivity timeout, last sign-in and active sessions."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from reports.models import AuditEvent, Role
from tests.factories import make_user
from tests.mfa import lands_signed_in, login_with_totp

GOOD = "correct-horse-battery-2253"


def fail_login(client, username: str):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"login": username, "password": "wrong-password"})


def test_five_failures_lock_the_account_with_a_clear_message(client, settings, reference):
    make_user(Role.FOCAL_POINT, None, "lucy")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert fail_login(client, "lucy").status_code == 200
    locked = fail_login(client, "lucy")
    assert locked.status_code == 429
    assert "This account is locked" in locked.content.decode()
    # Even the right password is refused now, with the same page.
    again = client.post("/accounts/login/", {"login": "lucy", "password": GOOD})
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", actor_name="lucy").count() >= settings.AXES_FAILURE_LIMIT


def test_a_lock_on_one_account_leaves_other_accounts_alone(client, settings, reference):
    make_user(Role.FOCAL_POINT, None, "lucy")
    make_user(Role.FOCAL_POINT, None, "other")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail_login(client, "lucy")
    assert client.post("/accounts/login/", {"login": "other", "password": GOOD}).status_code == 302


def test_admin_unlocks_an_account(client, settings, reference):
    from reports.services.demo import demo_users_ensure

    demo_users_ensure()
    victim = make_user(Role.FOCAL_POINT, None, "lucy")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail_login(client, "lucy")
    assert AccessAttempt.objects.filter(username="lucy").exists()

    admin_client = client.__class__()
    login_with_totp(admin_client, "secretariat")
    response = admin_client.post(
        "/admin/reports/user/", {"action": "unlock_accounts", "_selected_action": [victim.pk]}, follow=True
    )
    assert response.status_code == 200 and "cleared" in response.content.decode()
    assert not AccessAttempt.objects.filter(username="lucy").exists()
    assert AuditEvent.objects.filter(action="account_unlocked", object_id=str(victim.pk)).exists()
    assert client.post("/accounts/login/", {"login": "lucy", "password": GOOD}).status_code == 302


@pytest.mark.parametrize(
    "password", ["short1A!", "password123456", "123456789012345", "lucy-lucy-lucy"]
)  # too short, common, numeric, like the username
def test_weak_passwords_are_refused(reference, password):
    user = make_user(Role.FOCAL_POINT, None, "lucy-lucy-lucy")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_strong_password_is_accepted(reference):
    validate_password("Tangerine-orbit-wicker-2253", make_user(Role.FOCAL_POINT))


def test_sessions_expire_after_an_hour_of_inactivity(client, settings, focal_a):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        client.force_login(focal_a)
        assert lands_signed_in(client)
        traveller.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))
        assert lands_signed_in(client)  # activity pushes the expiry forward
        traveller.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))
        assert lands_signed_in(client)
        traveller.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
        response = client.get("/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_account_page_shows_the_previous_sign_in_and_links_to_sessions(client, reference):
    make_user(Role.FOCAL_POINT, None, "lucy")
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC), tick=False):
        client.post("/accounts/login/", {"login": "lucy", "password": GOOD}, REMOTE_ADDR="198.51.100.7")
        client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": "lucy", "password": GOOD})
    fail_login(client.__class__(), "lucy")
    page = client.get("/security/account/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "198.51.100.7" in html and "2026" in html  # the sign-in before this one
    assert "Failed attempt" in html
    assert 'href="/accounts/sessions/"' in html
    nav = client.get("/", follow=True).content.decode()
    assert 'href="/security/account/"' in nav


def test_a_user_can_end_another_session(client, focal_a):
    other = client.__class__()
    client.post("/accounts/login/", {"login": focal_a.username, "password": GOOD}, HTTP_USER_AGENT="Laptop")
    other.post("/accounts/login/", {"login": focal_a.username, "password": GOOD}, HTTP_USER_AGENT="Phone")
    assert UserSession.objects.filter(user=focal_a).count() == 2
    listing = client.get("/accounts/sessions/")
    assert listing.status_code == 200
    ended = client.post("/accounts/sessions/", {"action": "logout"})  # "sign out other sessions"
    assert ended.status_code in (200, 302)
    assert UserSession.objects.filter(user=focal_a).count() == 1
    response = other.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert lands_signed_in(client)


def test_the_session_is_saved_once_a_minute_not_on_every_page(client, settings, focal_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert lands_signed_in(client)
        return sum(1 for q in captured.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"])

    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        client.force_login(focal_a)
        assert session_writes() == 1  # the first request after sign-in starts the clock
        traveller.shift(datetime.timedelta(seconds=settings.SESSION_TOUCH_SECONDS - 5))
        assert session_writes() == 0
        traveller.shift(datetime.timedelta(seconds=10))
        assert session_writes() == 1
