"""The transactional outbox: what a request causes is written with it, sent after it, resent by the sweep.

Counts are read back with hand-written SQL, not through the models the services use.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from reports.models import Measure, OutboxMessage, ReportVersion
from reports.services.outbox import outbox_dispatch, outbox_enqueue, outbox_sweep
from reports.services.receipts import receipt_send
from reports.services.reports import report_submit_unchecked
from reports.services.review import report_request_clarification, report_start_review
from reports.services.submission import report_submit
from reports.tasks.delegation import receipt_send_task
from reports.tasks.review import clarification_send_task
from tests.delegation import checklist_post, draft_of


def sql_one(query: str, *params: object) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return int(cursor.fetchone()[0])


def receipt_audits(version_id: int) -> int:
    return sql_one("SELECT count(*) FROM reports_auditevent WHERE action = 'receipt_send' AND object_id = %s", str(version_id))


def outbox_rows(key: str) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sent_at, attempts, last_error FROM reports_outboxmessage WHERE key = %s", [key])
        return list(cursor.fetchall())


def fill_checklist(client, report, focal) -> None:  # type: ignore[no-untyped-def]
    draft = draft_of(report)
    measures = list(Measure.objects.filter(resolution=report.cycle.obligation.resolution, active=True))
    answers = {m.code: {"answer": "in_place", "legal_reference": "Loi 2015-912"} for m in measures}
    client.force_login(focal)
    response = client.post(
        reverse("delegation:editor", args=[draft.pk, "checklist"]), checklist_post(measures, answers, revision=0)
    )
    assert response.status_code in (200, 302)


@pytest.fixture
def broker_down(monkeypatch):  # type: ignore[no-untyped-def]
    """The broker refuses connections, as Redis does when it is stopped."""

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    for task in (receipt_send_task, clarification_send_task):
        monkeypatch.setattr(task, "apply_async", refuse)
    return monkeypatch


@pytest.mark.django_db
def test_the_receipt_is_written_in_the_submission_transaction(report_a, signatory_a, focal_a, client):
    fill_checklist(client, report_a, focal_a)

    class Abort(Exception):
        pass

    mail.outbox.clear()
    with pytest.raises(Abort), transaction.atomic():
        version = report_submit(report=report_a, actor=signatory_a, revision=1, warnings_acknowledged=True)
        assert outbox_rows(f"receipt_send:{version.pk}")  # there, inside the transaction
        raise Abort
    assert sql_one("SELECT count(*) FROM reports_outboxmessage") == 0
    assert sql_one("SELECT count(*) FROM reports_reportversion WHERE report_id = %s AND NOT is_draft", report_a.pk) == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)  # no test-wide transaction around it
def test_outbox_enqueue_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        outbox_enqueue(task="reports.ping", args=[], key="ping:1")


@pytest.mark.django_db
def test_the_same_key_is_queued_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        first = outbox_enqueue(task="reports.ping", args=[], key="ping:once")
        second = outbox_enqueue(task="reports.ping", args=[], key="ping:once")
    assert first.pk == second.pk and len(callbacks) == 1
    assert sql_one("SELECT count(*) FROM reports_outboxmessage WHERE key = 'ping:once'") == 1


@pytest.mark.django_db
def test_a_submission_while_the_broker_is_down_succeeds_and_the_sweep_sends_the_receipt_once(
    client, report_a, focal_a, signatory_a, broker_down, django_capture_on_commit_callbacks
):
    fill_checklist(client, report_a, focal_a)
    mail.outbox.clear()
    client.force_login(signatory_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("delegation:review", args=[report_a.pk]), {"revision": "1"})
    assert response.status_code == 302  # the committed submission is not a 500
    version = ReportVersion.objects.get(report=report_a, number=1, is_draft=False)
    key = f"receipt_send:{version.pk}"
    [(sent_at, attempts, last_error)] = outbox_rows(key)
    assert sent_at is None and attempts == 1 and "Connection refused" in str(last_error)
    assert mail.outbox == [] and receipt_audits(version.pk) == 0

    # Too young for the sweep: its own dispatch might still be under way.
    broker_down.undo()
    assert outbox_sweep(now=timezone.now(), older_than=60).sent == []
    # Later, with the broker back, the sweep hands it over (the worker runs it: eager here).
    later = timezone.now() + datetime.timedelta(seconds=61)
    assert outbox_sweep(now=later, older_than=60).sent == [OutboxMessage.objects.get(key=key).pk]
    [(sent_at, attempts, last_error)] = outbox_rows(key)
    assert sent_at is not None and attempts == 2 and last_error == ""
    users = sql_one("SELECT count(*) FROM reports_user WHERE state_id = %s AND is_active AND email <> ''", report_a.state_id)
    assert len(mail.outbox) == users >= 2

    # The original dispatch and a redelivered message firing after the sweep change nothing.
    receipt_send_task.apply(args=[version.pk])
    receipt_send_task.apply(args=[version.pk])
    assert outbox_dispatch(message_id=OutboxMessage.objects.get(key=key).pk) is False  # already handed over
    assert outbox_sweep(now=later + datetime.timedelta(minutes=5), older_than=60).sent == []
    assert len(mail.outbox) == users and len({m.to[0] for m in mail.outbox}) == users
    assert receipt_audits(version.pk) == 1


@pytest.mark.django_db
def test_the_sweep_stops_at_the_first_refusal(
    broker_down, report_a, signatory_a, secretariat, django_capture_on_commit_callbacks
):
    report_submit_unchecked(report=report_a, actor=signatory_a)
    with django_capture_on_commit_callbacks(execute=True):
        report_start_review(report=report_a, actor=secretariat)
        report_request_clarification(report=report_a, actor=secretariat, comment="Which article?")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox_enqueue(task="reports.clarification_send", args=[0], key="clarification_send:0")
    later = timezone.now() + datetime.timedelta(minutes=2)
    result = outbox_sweep(now=later, older_than=60)
    assert result.sent == [] and len(result.failed) == 1  # not one knock per row while the broker is away
    assert sql_one("SELECT count(*) FROM reports_outboxmessage WHERE sent_at IS NULL") == 2


@pytest.mark.django_db
def test_a_clarification_request_goes_through_the_outbox_and_is_audited_once(
    report_a, secretariat, focal_a, signatory_a, django_capture_on_commit_callbacks
):
    report_submit_unchecked(report=report_a, actor=signatory_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_start_review(report=report_a, actor=secretariat)
        report_request_clarification(report=report_a, actor=secretariat, comment="Which article?")
    [(event_id, sent_at)] = OutboxMessage.objects.filter(task="reports.clarification_send").values_list("args", "sent_at")
    assert sent_at is not None
    sent_first = len(mail.outbox)
    assert sent_first >= 1
    clarification_send_task.apply(args=event_id)  # delivered a second time
    assert len(mail.outbox) == sent_first
    assert sql_one("SELECT count(*) FROM reports_auditevent WHERE action = 'clarification_send'") == 1


@pytest.mark.django_db(transaction=True)
def test_two_receipt_runs_at_once_audit_the_receipt_once(reference, report_a, signatory_a, focal_a):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    version = report_submit_unchecked(report=report_a, actor=signatory_a)
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            receipt_send(version=ReportVersion.objects.select_related("report__state", "report__cycle").get(pk=version.pk))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert receipt_audits(version.pk) == 1
    assert len(mail.outbox) == 2 and len({m.to[0] for m in mail.outbox}) == 2


def test_a_web_process_finds_the_task_by_name_without_having_imported_it():
    import subprocess
    import sys

    code = (
        "import django, sys; django.setup(); "
        "assert 'reports.tasks' not in sys.modules, 'already imported: the test proves nothing'; "
        "from reports.services.outbox import outbox_task; "
        "print(outbox_task('reports.receipt_send').name)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "sanctions_portal.settings.test"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("reports.receipt_send")


@pytest.mark.django_db
def test_a_sign_in_attack_alert_waits_in_the_outbox_while_the_broker_is_down(
    client, settings, reference, monkeypatch, django_capture_on_commit_callbacks
):
    from reports.models import Role
    from reports.tasks.security import account_attack_alert_task
    from tests.factories import make_user

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(account_attack_alert_task, "apply_async", refuse)
    settings.LOGIN_THROTTLE_AFTER = 2
    lucy = make_user(Role.FOCAL_POINT, None, "lucy")
    lucy.email = "lucy@mission.example"
    lucy.save(update_fields=["email"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            response = client.post("/accounts/login/", {"login": "lucy", "password": "wrong"}, REMOTE_ADDR=f"192.0.2.{n}")
            assert response.status_code in (200, 429)  # a page, never a 500
    assert (
        sql_one("SELECT count(*) FROM reports_outboxmessage WHERE task = 'reports.account_attack_alert' AND sent_at IS NULL") == 1
    )
    assert mail.outbox == []
    monkeypatch.undo()
    assert len(outbox_sweep(now=timezone.now() + datetime.timedelta(minutes=2), older_than=60).sent) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lucy@mission.example"]
