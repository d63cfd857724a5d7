"""The operator's view: request ids on log lines and on the tasks a request queues, JSON lines,
and /metrics (who may read it, and its figures against hand-written SQL)."""

from __future__ import annotations

import datetime
import io
import json
import logging
import re
import subprocess
import sys
import uuid

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone

from reports.models import EmailDelivery, JobStatus, PdfJob, Role
from reports.observability import JsonFormatter, RequestIdFilter, request_id_accept
from reports.services.reports import report_submit_unchecked
from sanctions_portal.celery import app

from .factories import make_user
from .mfa import totp_give

# --- a request that queues a task (eager, as in tests) ----------------------------------------


@app.task(name="tests.observability_probe")
def observability_probe() -> None:
    logging.getLogger("tests.observability").warning("probe task ran")


def queue_probe(request: HttpRequest) -> HttpResponse:
    logging.getLogger("tests.observability").warning("view queues the probe")
    observability_probe.delay()
    return HttpResponse("queued")


urlpatterns = [path("probe", queue_probe)]


@pytest.fixture
def json_lines():
    """The JSON lines every logger writes while the test runs (request lines included)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    request_logger = logging.getLogger("reports.request")
    old_level = request_logger.level
    request_logger.setLevel(logging.INFO)
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        request_logger.setLevel(old_level)


@pytest.mark.urls("tests.test_observability")
@pytest.mark.django_db
def test_a_request_and_the_task_it_queues_log_the_same_request_id(client, json_lines):
    response = client.get("/probe")
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = json_lines()  # each line parsed as JSON (a line that does not parse fails here)
    by_message = {line["message"]: line for line in lines}
    task_line = by_message["probe task ran"]
    assert task_line["request_id"] == request_id
    assert task_line["task_name"] == "tests.observability_probe" and task_line["task_id"]
    assert by_message["view queues the probe"]["request_id"] == request_id
    request_line = next(line for line in lines if line["logger"] == "reports.request")
    assert request_line["request_id"] == request_id
    assert (request_line["method"], request_line["path"], request_line["status"]) == ("GET", "/probe", 200)
    # A second request has another id; nothing leaks from the first.
    assert client.get("/probe")["X-Request-ID"] != request_id


def test_a_worker_task_logs_the_id_its_message_carries(json_lines):
    """What before_task_publish writes into the headers, task_prerun reads back in the worker."""
    from reports.observability import request_id_reset, request_id_set
    from sanctions_portal.celery import REQUEST_ID_TASK_HEADER, _request_id_to_headers

    headers: dict[str, str] = {}
    token = request_id_set("req-from-the-web-1")
    try:
        _request_id_to_headers(headers=headers)
    finally:
        request_id_reset(token)
    assert headers == {REQUEST_ID_TASK_HEADER: "req-from-the-web-1"}
    observability_probe.apply(headers=headers)
    observability_probe.apply(headers={REQUEST_ID_TASK_HEADER: 'bad id\n{"level": "x"}'})
    observability_probe.apply()
    ids = [line["request_id"] for line in json_lines() if line["message"] == "probe task ran"]
    assert ids == ["req-from-the-web-1", None, None]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("6f1c2a9e-0b5e-4a51-9a0e-3c1e2d4b5a6f", True),
        ("abc123DEF_45.6-7", True),
        ("short", False),
        ("x" * 65, False),
        ("id with spaces", False),
        ('ok"\n{"level": "CRITICAL"}', False),
        ("<script>alert(1)</script>", False),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_it_looks_like_one(client, sent, kept):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=sent)
    if kept:
        assert response["X-Request-ID"] == sent
    else:
        assert response["X-Request-ID"] != sent and re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert (request_id_accept(sent) == sent) is kept


def test_json_lines_carry_a_traceback_and_escape_hostile_text():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, 'path "/a\nb"', None, None)
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == 'path "/a\nb"' and "ValueError: boom" in parsed["exc"] and parsed["request_id"] is None


@pytest.mark.parametrize(("env", "formatter"), [({}, "json"), ({"LOG_FORMAT": "plain"}, "plain")])
def test_production_logs_json_lines_unless_told_otherwise(env, formatter):
    code = "import sanctions_portal.settings.production as s; print(s.LOGGING['handlers']['console']['formatter'])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 50, **env},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == formatter


def test_development_logs_for_people_and_refuses_an_unknown_format():
    code = "import sanctions_portal.settings.base as s; print(s.LOGGING['handlers']['console']['formatter'])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0 and result.stdout.strip() == "plain", result.stderr
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "LOG_FORMAT": "xml"}
    )
    assert result.returncode != 0 and "LOG_FORMAT" in result.stderr


# --- /metrics -----------------------------------------------------------------------------------


def _samples(text: str) -> dict[str, float]:
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


@pytest.mark.django_db
def test_metrics_answer_a_scraper_with_the_token_and_nobody_else(client, settings, reference):
    settings.METRICS_TOKEN = "scrape-" + uuid.uuid4().hex
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=settings.METRICS_TOKEN).status_code == 404  # not "Bearer ..."
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {settings.METRICS_TOKEN}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {settings.METRICS_TOKEN}").status_code == 405
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    staff = make_user(Role.COMMITTEE, None, "staffer")
    staff.is_staff = True
    staff.save()
    totp_give(staff)
    client.force_login(staff)
    assert client.get("/metrics").status_code == 200


@pytest.mark.django_db(transaction=False)
def test_metrics_figures_match_the_database_and_the_broker(
    client, settings, redis_url, secretariat, state_a, cycle, focal_a, signatory_a
):
    import redis

    from reports.observability import REQUEST_COUNTS_KEY

    from .factories import make_report

    settings.CELERY_TASK_DEFAULT_QUEUE = queue = f"metrics-test-{uuid.uuid4().hex}"
    broker = redis.Redis.from_url(redis_url)
    broker.rpush(queue, b"m1", b"m2", b"m3")
    broker.rpush(queue + "\x06\x166", b"m4")
    now = timezone.now()
    for minutes, status in ((30, JobStatus.QUEUED), (5, JobStatus.QUEUED), (90, JobStatus.RUNNING)):
        job = PdfJob.objects.create(kind="council", status=status)
        PdfJob.objects.filter(pk=job.pk).update(created_at=now - datetime.timedelta(minutes=minutes))
    report = make_report(state_a, cycle, focal_a)
    version = report_submit_unchecked(report=report, actor=signatory_a)
    EmailDelivery.objects.create(key=f"receipt:{version.pk + 1000}:x@example.org")  # another version's
    client.force_login(secretariat)
    try:
        before = {k.decode(): int(v) for k, v in broker.hgetall(REQUEST_COUNTS_KEY).items()}
        client.get("/no-such-page-for-metrics")
        samples = _samples(client.get("/metrics").content.decode())
        after = {k.decode(): int(v) for k, v in broker.hgetall(REQUEST_COUNTS_KEY).items()}
    finally:
        broker.delete(queue, queue + "\x06\x166")
    assert samples[f'portal_celery_queue_length{{queue="{queue}"}}'] == 4
    assert after.get("4xx", 0) - before.get("4xx", 0) == 1
    assert samples['portal_http_requests_total{status="4xx"}'] >= before.get("4xx", 0) + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), extract(epoch FROM now() - min(created_at)) FROM reports_pdfjob WHERE status = 'queued'")
        queued, oldest = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM reports_reportversion v WHERE NOT v.is_draft AND NOT EXISTS "
            "(SELECT 1 FROM reports_emaildelivery d WHERE d.key LIKE 'receipt:' || v.id || ':%%')"
        )
        (pending,) = cursor.fetchone()
    assert samples['portal_pdf_jobs{status="queued"}'] == queued == 2
    assert abs(samples["portal_pdf_job_oldest_queued_age_seconds"] - float(oldest)) < 5
    assert 1795 < samples["portal_pdf_job_oldest_queued_age_seconds"] < 1900
    assert samples["portal_receipts_pending"] == pending == 1
    EmailDelivery.objects.create(key=f"receipt:{version.pk}:{signatory_a.email}")
    assert _samples(client.get("/metrics").content.decode())["portal_receipts_pending"] == 0
    assert all(v == 1 for k, v in samples.items() if k.startswith("portal_metrics_source_up"))
