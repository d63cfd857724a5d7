"""The operator's view: outgoing mail from the environment (refused loudly when malformed) and /readyz."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from sanctions_portal.settings.env import env_email

ROOT = Path(__file__).resolve().parent.parent
EMAIL_VARIABLES = ("EMAIL_URL", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_TIMEOUT")  # fmt: skip


@pytest.fixture
def mail_env(monkeypatch):  # type: ignore[no-untyped-def]
    for name in EMAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def set_(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_


def test_no_mail_settings_means_the_console(mail_env):
    assert env_email()["configured"] is False


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://relay.un.example", ("relay.un.example", 25, "", "", False, False)),
        ("smtp+tls://portal%40un.example:p%3Ass@relay.un.example", ("relay.un.example", 587, "portal@un.example", "p:ss", True, False)),
        ("smtps://u:p@relay.un.example:2465", ("relay.un.example", 2465, "u", "p", False, True)),
    ],
)  # fmt: skip
def test_one_email_url_sets_every_part(mail_env, url, expected):
    mail_env(EMAIL_URL=url)
    got = env_email()
    keys = ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "EMAIL_USE_SSL")
    assert got["configured"] is True and tuple(got[k] for k in keys) == expected


def test_separate_variables_set_the_same(mail_env):
    mail_env(EMAIL_HOST="relay.un.example", EMAIL_HOST_USER="u", EMAIL_HOST_PASSWORD="p", EMAIL_USE_TLS="yes")
    got = env_email()
    assert (got["configured"], got["EMAIL_PORT"], got["EMAIL_USE_TLS"], got["EMAIL_TIMEOUT"]) == (True, 587, True, 10)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"EMAIL_URL": "http://relay.un.example"}, "EMAIL_URL must start with"),
        ({"EMAIL_URL": "smtp://u:secret-pass@"}, "names no host"),
        ({"EMAIL_URL": "smtp://relay.un.example:twenty-five"}, "port"),
        ({"EMAIL_URL": "smtp://relay.un.example?tls=1"}, "no path or query"),
        ({"EMAIL_URL": "smtp://:secret-pass@relay.un.example"}, "password but no user"),
        ({"EMAIL_URL": "smtp://relay.un.example", "EMAIL_HOST": "other.example"}, "not both"),
        ({"EMAIL_HOST": "relay.un.example", "EMAIL_PORT": "99999"}, "EMAIL_PORT"),
        ({"EMAIL_HOST": "smtp://relay.un.example"}, "not a host name"),
        ({"EMAIL_HOST": "relay.un.example", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "exclude each other"),
        ({"EMAIL_HOST": "relay.un.example", "EMAIL_USE_TLS": "sometimes"}, "EMAIL_USE_TLS"),
        ({"EMAIL_PORT": "587"}, "without EMAIL_HOST"),
        ({"EMAIL_HOST": "relay.un.example", "EMAIL_HOST_PASSWORD": "secret-pass"}, "EMAIL_HOST_USER"),
    ],
)
def test_malformed_mail_settings_are_refused_by_name_without_echoing_a_password(mail_env, values, message):
    mail_env(**values)
    with pytest.raises(ImproperlyConfigured, match=message) as error:
        env_email()
    assert "secret-pass" not in str(error.value)


def test_production_process_refuses_to_start_with_a_bad_email_url():
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "sanctions_portal.settings.production",
        "SECRET_KEY": "x" * 60,
        "EMAIL_URL": "smtp+tls://relay.un.example:0x19",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr and "EMAIL_URL" in result.stderr


def test_the_production_process_sends_through_the_relay_it_is_given():
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "sanctions_portal.settings.production",
        "SECRET_KEY": "x" * 60,
        "EMAIL_URL": "smtp+tls://portal:pw@relay.un.example",
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_TIMEOUT]))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        "django.core.mail.backends.smtp.EmailBackend", "relay.un.example", 587, True, 10,
    ]  # fmt: skip


# --- /readyz ---------------------------------------------------------------------------------


def test_readyz_is_200_with_migrations_applied_and_storage_writable(client, db, settings):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["checks"]["migrations"] == {"ok": True}
    assert body["checks"]["storage"]["ok"] is True
    assert not any(Path(settings.PRIVATE_MEDIA_ROOT, "readyz").glob("*"))  # the probe is removed


def test_readyz_is_503_when_a_migration_is_pending(client, db, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    from reports.selectors import health

    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(
        MigrationExecutor,
        "migration_plan",
        lambda self, targets: [(type("M", (), {"app_label": "reports", "name": "0099_next"})(), False)],
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "pending": ["reports.0099_next"]}


def test_readyz_is_503_when_the_storage_is_unreachable(client, db, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the storage folder should be")
    # The setting_changed handler makes the private storage re-read STORAGES (reports/storage.py).
    settings.STORAGES = {**settings.STORAGES, "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": blocked / "private"}}}  # fmt: skip
    response = client.get("/readyz")
    assert response.status_code == 503
    storage = response.json()["checks"]["storage"]
    assert (
        storage["ok"] is False
        and storage["backend"] == "FileSystemStorage"
        and storage["error"] in ("FileExistsError", "NotADirectoryError")
    )
