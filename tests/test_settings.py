import pytest
from django.core.exceptions import ImproperlyConfigured

from sanctions_portal.settings.env import env_bool, env_int, env_str, env_url


def test_env_helpers_refuse_bad_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env_bool("X_BOOL", False)
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_URL", "mysql://host/db")
    with pytest.raises(ImproperlyConfigured, match="X_URL"):
        env_url("X_URL", schemes=("postgres",))
    monkeypatch.delenv("X_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_REQUIRED"):
        env_str("X_REQUIRED")


def test_env_helpers_read_good_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    assert env_bool("X_BOOL", False) is True
    assert env_int("X_INT", 1) == 42


def test_production_settings_refuse_to_start_without_a_secret_key():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import os; os.environ.pop('SECRET_KEY', None); import sanctions_portal.settings.production"],
        capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_a_killed_workers_task_comes_back_within_minutes_but_never_while_it_runs(settings):
    import reports.tasks  # noqa: F401
    from sanctions_portal.celery import app

    longest = max(settings.CELERY_TASK_TIME_LIMIT, settings.PDF_JOB_TIME_LIMIT)
    if settings.REDIS_URL:
        timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        assert longest < timeout <= 15 * 60
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    # Publishing never subscribes to the result backend (only the health ping reads a result).
    assert app.tasks["reports.receipt_send"].ignore_result in (None, True) and app.conf.task_ignore_result


def test_pdf_builds_have_their_own_queue_and_time_limits(settings):
    from sanctions_portal.celery import app

    queues = {queue.name for queue in app.conf.task_queues}
    assert queues == {"celery", "pdf"}  # a worker started without -Q consumes both
    for name in ("reports.pdf_job_build", "reports.pdf_compendium_part"):
        assert app.amqp.router.route({}, name)["queue"].name == "pdf"
        assert settings.CELERY_TASK_ANNOTATIONS[name]["time_limit"] == settings.PDF_JOB_TIME_LIMIT
        assert settings.CELERY_TASK_ANNOTATIONS[name]["soft_time_limit"] < settings.PDF_JOB_TIME_LIMIT
    for name in ("reports.receipt_send", "reports.reminders_send_due", "reports.outbox_sweep"):
        assert app.amqp.router.route({}, name)["queue"].name == "celery"
    assert settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]["task"] == "reports.outbox_sweep"


def test_a_visibility_timeout_shorter_than_a_task_is_refused():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import sanctions_portal.settings.base"],
        capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "REDIS_URL": "redis://127.0.0.1:6379/6", "CELERY_VISIBILITY_TIMEOUT": "120",
             "PDF_JOB_TIME_LIMIT": "600"},
    )  # fmt: skip
    assert result.returncode != 0 and "CELERY_VISIBILITY_TIMEOUT=120 must exceed" in result.stderr
