"""The receipt e-mail of a submission, sent by a real Celery worker through the real Redis broker.

The worker runs in a thread of the test process (celery_worker_real), so the locmem e-mail
backend's outbox is shared with the test; the task's thread is recorded to show the e-mail did
not go out eagerly in the request.
"""

from __future__ import annotations

import threading
import time

import pytest
from celery.signals import task_postrun
from django.core import mail
from django.urls import reverse

from reports.models import AuditEvent, ReportVersion
from tests.delegation import checklist_post, draft_of

pytestmark = pytest.mark.integration


def wait_for(condition, timeout: float = 30):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not done after {timeout} s")


def test_a_signatorys_submission_gets_its_receipt_from_the_worker(
    celery_worker_real, client, focal_a, signatory_a, focal_b, report_a
):
    from reports.models import Measure

    runs: list[tuple[str, int | None, str, object]] = []

    def record(sender=None, task_id=None, task=None, args=None, retval=None, state=None, **kwargs):  # type: ignore[no-untyped-def]
        runs.append((task.name, args[0] if args else None, threading.current_thread().name, retval))

    task_postrun.connect(record, weak=False)
    try:
        draft = draft_of(report_a)
        measures = list(Measure.objects.filter(resolution=report_a.cycle.obligation.resolution, active=True))
        answers = {m.code: {"answer": "in_place", "legal_reference": "Loi"} for m in measures}
        client.force_login(focal_a)
        client.post(reverse("delegation:editor", args=[draft.pk, "checklist"]), checklist_post(measures, answers, revision=0))
        client.force_login(signatory_a)
        response = client.post(reverse("delegation:review", args=[report_a.pk]), {"revision": "1"})
        assert response.status_code == 302
        version = ReportVersion.objects.get(report=report_a, number=1, is_draft=False)

        wait_for(lambda: any(name == "reports.receipt_send" for name, *_rest in runs))
    finally:
        task_postrun.disconnect(record)

    _name, version_id, thread, sent = next(run for run in runs if run[0] == "reports.receipt_send")
    assert version_id == version.pk and sent == 2
    assert thread != threading.main_thread().name  # the worker's thread, not the request's
    # The e-mails, as the worker sent them: France's two users, not Germany's.
    assert sorted(address for message in mail.outbox for address in message.to) == sorted([focal_a.email, signatory_a.email])
    assert all(version.reference in message.subject and version.content_sha256 in message.body for message in mail.outbox)
    assert focal_b.email not in {address for message in mail.outbox for address in message.to}
    # And the trace the task leaves in the audit log.
    event = AuditEvent.objects.get(action="receipt_send")
    assert event.detail["recipients"] == 2 and event.object_id == str(version.pk)
