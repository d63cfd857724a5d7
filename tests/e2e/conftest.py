"""Browser journeys: Debian's Chromium driven by pytest-playwright against a live server.

The live server is pytest-django's (`live_server`, transactional: the tables are emptied after
each test, and the reference data put back, tests/conftest.py), with the demo users loaded for
every test. Journeys that need background work get a real Celery worker in a thread when
REDIS_URL is set.
"""

from __future__ import annotations

import os
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
# next to it. The tests touch the database only to prepare data, never concurrently.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from playwright.sync_api import Page

from reports.models import MemberState
from reports.services.demo import demo_users_ensure
from reports.services.reference_data import reference_data_load

from .helpers import Journey

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
REQUIRE_SERVICES = os.environ.get("PORTAL_REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):  # type: ignore[no-untyped-def]
    # English by the browser's Accept-Language; the language tests switch with the portal's own control.
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-US", "accept_downloads": True}


@pytest.fixture(scope="session")
def _media_url_for_live_server() -> Iterator[None]:
    # Django's live server wraps a MEDIA_URL handler around the site and cannot parse the
    # portal's MEDIA_URL = None (uploads are served only by views that check access). Give it
    # a path nothing links to while it starts, then put the setting back.
    from django.conf import settings

    previous = settings.MEDIA_URL
    settings.MEDIA_URL = "/e2e-no-public-media/"
    yield
    settings.MEDIA_URL = previous


@pytest.fixture(scope="session")
def live_server(_media_url_for_live_server, live_server):  # type: ignore[no-untyped-def]
    from django.conf import settings

    settings.MEDIA_URL = None
    return live_server


class _Requests:
    """The requests the live server (or any handler in this process) is answering right now."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.last_change = time.monotonic()

    def started(self, **kwargs: object) -> None:
        with self.lock:
            self.running += 1
            self.last_change = time.monotonic()

    def finished(self, **kwargs: object) -> None:
        with self.lock:
            self.running -= 1
            self.last_change = time.monotonic()

    def wait_quiet(self, since: float, quiet: float = 0.3, timeout: float = 30) -> bool:
        """True once nothing has run for `quiet` seconds (counted from `since` at the earliest)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.running <= 0 and time.monotonic() - max(self.last_change, since) >= quiet:
                    return True
            time.sleep(0.05)
        return False


_requests = _Requests()
request_started.connect(_requests.started, weak=False, dispatch_uid="e2e-requests-started")
request_finished.connect(_requests.finished, weak=False, dispatch_uid="e2e-requests-finished")


@pytest.fixture(autouse=True)
def _live_server_quiet_before_flush() -> Iterator[None]:
    """Set up after the transactional database, so torn down after the browser page is closed and
    before the tables are emptied: a request the page left running (an autosave, the save a
    closing page sends) would otherwise hold its locks while the flush waits for them (a deadlock)."""
    yield
    if not _requests.wait_quiet(since=time.monotonic()):
        warnings.warn("the live server was still answering a request when the test database was emptied", stacklevel=1)


@pytest.fixture
def portal(live_server, settings):  # type: ignore[no-untyped-def]
    """The live server with the 193 States, resolutions, cycles and the demo users (password DEMO_PASSWORD)."""
    cache.clear()  # axes counters and used TOTP codes of an earlier test
    if not MemberState.objects.exists():
        reference_data_load()
    demo_users_ensure()
    return live_server


@pytest.fixture
def journey(page: Page, portal, request) -> Iterator[Journey]:  # type: ignore[no-untyped-def]
    page.set_default_timeout(15_000)
    j = Journey(page=page, base_url=portal.url, name=request.node.name)
    yield j
    # A journey that failed already says why; the page checks fail the others.
    if not getattr(request.node, "rep_call_failed", False):
        j.assert_clean()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "call":
        item.rep_call_failed = report.failed
    return report


@pytest.fixture
def celery_live(transactional_db, settings):  # type: ignore[no-untyped-def]
    """A real Celery worker in a thread on the Redis broker; without REDIS_URL tasks run eagerly."""
    from django.conf import settings as django_settings
    from django.db import connection

    if not django_settings.REDIS_URL:
        if REQUIRE_SERVICES:
            pytest.fail("REDIS_URL is not set but PORTAL_REQUIRE_SERVICES=1")
        yield None
        return
    if connection.vendor == "sqlite":
        # The test database lives in memory, shared with the live server only: a worker thread
        # could not see it. CI runs PostgreSQL, where the worker is real.
        yield None
        return
    from celery.contrib.testing.worker import start_worker

    from sanctions_portal.celery import app

    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True
