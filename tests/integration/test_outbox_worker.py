"""Redis stopped during a submission costs no receipt and no 500, and the receipt shows once.

The test starts its OWN redis-server on a free port (never the shared one), points the Celery
app at it, runs a real worker (a thread of this process, so the locmem outbox is shared), stops
that Redis, submits, starts it again, lets the outbox sweep hand the receipt over, and counts
the e-mails and the audit events (hand-written SQL). Every wait is bounded.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from reports.models import Measure, ReportVersion
from reports.services.outbox import outbox_sweep
from tests.conftest import REQUIRE_SERVICES
from tests.delegation import checklist_post, draft_of

pytestmark = pytest.mark.integration
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def wait_for(condition, timeout: float = 30, what: str = "condition"):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what}: not after {timeout} s")


def sql_one(query: str, *params: object) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return int(cursor.fetchone()[0])


class OwnRedis:
    """A throw-away redis-server on a free port, without persistence; stop() and start() at will."""

    def __init__(self, workdir: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_for(self.answers, timeout=10, what="own redis-server answers")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        wait_for(lambda: not self.answers(), timeout=10, what="own redis-server stopped")


@pytest.fixture
def own_redis(tmp_path) -> Iterator[OwnRedis]:  # type: ignore[no-untyped-def]
    if not os.path.exists(REDIS_SERVER):
        if REQUIRE_SERVICES:
            pytest.fail(f"{REDIS_SERVER} is missing but PORTAL_REQUIRE_SERVICES=1")
        pytest.skip("redis-server is not installed")
    redis = OwnRedis(tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


def _app_use_broker(app, url: str) -> None:  # type: ignore[no-untyped-def]
    """Point the Celery app (publisher and worker) at another Redis.

    kombu keeps connection and producer pools in global groups keyed by URL: reset them all
    (closing every pooled connection and forgetting the pools), so nothing afterwards acquires
    from a pool of the other Redis or from a closed one.
    """
    from kombu import pools

    app.conf.broker_url = url
    app.conf.result_backend = url
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    # The result backend is built from the URL on first use, and kept (per thread).
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def worker_on_own_redis(own_redis, transactional_db, settings):  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("the worker thread shares the test database: PostgreSQL")
    from celery.contrib.testing.worker import start_worker

    from sanctions_portal.celery import app

    previous = (app.conf.broker_url, app.conf.result_backend)
    _app_use_broker(app, own_redis.url)
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True
        _app_use_broker(app, previous[0])
        app.conf.result_backend = previous[1]


def test_redis_stopped_during_a_submission_costs_no_receipt_and_no_500(
    worker_on_own_redis, own_redis, client, focal_a, signatory_a, focal_b, report_a
):
    from sanctions_portal.celery import app

    draft = draft_of(report_a)
    measures = list(Measure.objects.filter(resolution=report_a.cycle.obligation.resolution, active=True))
    answers = {m.code: {"answer": "in_place", "legal_reference": "Loi 2015-912"} for m in measures}
    client.force_login(focal_a)
    client.post(reverse("delegation:editor", args=[draft.pk, "checklist"]), checklist_post(measures, answers, revision=0))
    client.force_login(signatory_a)
    mail.outbox.clear()

    own_redis.stop()
    started = time.monotonic()
    response = client.post(reverse("delegation:review", args=[report_a.pk]), {"revision": "1"})
    took = time.monotonic() - started
    assert response.status_code == 302  # committed, so not a 500
    assert took < 3, f"the submission waited {took:.1f} s on the broker"
    version = ReportVersion.objects.get(report=report_a, number=1, is_draft=False)
    key = f"receipt_send:{version.pk}"
    assert sql_one("SELECT count(*) FROM reports_outboxmessage WHERE key = %s AND sent_at IS NULL", key) == 1
    time.sleep(1)
    assert mail.outbox == []

    own_redis.start()

    def swept() -> bool:  # what beat does every OUTBOX_SWEEP_SECONDS, here without the wait
        outbox_sweep(older_than=0)
        return sql_one("SELECT count(*) FROM reports_outboxmessage WHERE key = %s AND sent_at IS NOT NULL", key) == 1

    wait_for(swept, timeout=30, what="the sweep hands the receipt to the broker")
    wait_for(lambda: len(mail.outbox) >= 2, timeout=30, what="the worker sends the receipt")
    # The message the broker did not take arrives a second time (a redelivery, a racing dispatch):
    app.send_task("reports.receipt_send", args=[version.pk], ignore_result=True)
    audits = "SELECT count(*) FROM reports_auditevent WHERE action = 'receipt_send' AND object_id = %s"
    wait_for(lambda: sql_one(audits, str(version.pk)) == 1, timeout=30, what="the receipt is audited")
    time.sleep(3)  # room for the second delivery to run and (wrongly) send or audit again

    assert sorted(address for message in mail.outbox for address in message.to) == sorted([focal_a.email, signatory_a.email])
    assert focal_b.email not in {address for message in mail.outbox for address in message.to}
    assert sql_one(audits, str(version.pk)) == 1
    assert sql_one("SELECT count(*) FROM reports_emaildelivery WHERE key LIKE %s", f"receipt:{version.pk}:%") == 2
