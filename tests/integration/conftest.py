"""A real Celery worker, in a thread, consuming from the real Redis broker."""

from __future__ import annotations

import pytest


@pytest.fixture
def celery_worker_real(redis_url, transactional_db, settings):  # type: ignore[no-untyped-def]
    from celery.contrib.testing.worker import start_worker

    from sanctions_portal.celery import app

    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True
