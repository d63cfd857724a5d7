"""A bulk reminder run by a real Celery worker through the real Redis broker: a result per
State, and a second batch the same day sends nothing more."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.urls import reverse

from reports.models import BatchStatus, ReminderBatch, ReminderOutcome, Role
from tests.factories import make_user, open_cycle

pytestmark = pytest.mark.integration


def wait_done(batch_id: int, timeout: float = 60) -> ReminderBatch:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch = ReminderBatch.objects.get(pk=batch_id)
        if batch.status in (BatchStatus.DONE, BatchStatus.FAILED):
            return batch
        time.sleep(0.2)
    raise AssertionError(f"batch {batch_id} not done after {timeout} s")


def test_the_worker_reminds_each_owing_state_once(celery_worker_real, client, secretariat, state_a, state_b):  # type: ignore[no-untyped-def]
    cycle = open_cycle("worker-remind")  # opened 120 days before its due date, so open today
    make_user(Role.FOCAL_POINT, state_a, "fra-focal")
    make_user(Role.SIGNATORY, state_b, "b-sig")
    client.force_login(secretariat)
    batches = []
    for _attempt in range(2):
        response = client.post(reverse("secretariat:reminders_send"), {"cycle": cycle.pk})
        assert response.status_code == 302
        batches.append(wait_done(ReminderBatch.objects.latest("pk").pk))
    first, second = batches
    assert first.status == second.status == BatchStatus.DONE
    assert first.results.count() == second.results.count() == 193
    assert set(first.results.filter(outcome=ReminderOutcome.SENT).values_list("state_id", flat=True)) == {state_a.pk, state_b.pk}
    assert not second.results.filter(outcome=ReminderOutcome.SENT).exists()
    assert second.results.filter(outcome=ReminderOutcome.ALREADY_REMINDED).count() == 2
    assert sorted(a for m in mail.outbox for a in m.to) == ["b-sig@example.org", "fra-focal@example.org"]
