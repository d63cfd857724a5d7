"""Reminders: 30, 7 and 1 days before the due date, weekly once overdue, each sent once."""

from __future__ import annotations

import datetime
from smtplib import SMTPException

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from reports.models import ReminderLog, Role
from reports.services import reminders as service
from reports.services.reminders import due_step, overdue_step, reminder_send
from reports.tasks import overdue_notices_send_task, reminders_send_due_task
from tests.factories import make_user
from tests.secretariat.fixtures import DUE, build_world

pytestmark = pytest.mark.django_db


def on(day: datetime.date):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(6, 0), tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    with on(DUE - datetime.timedelta(days=60)):
        world = build_world()
    # USA has nothing; NGA has a draft: both owe the report and have delegation users.
    make_user(Role.FOCAL_POINT, world.states["USA"], "usa-focal")
    return world


def recipients_of(messages):  # type: ignore[no-untyped-def]
    return sorted(address for m in messages for address in m.to)


def test_steps_are_windows_so_a_missed_day_is_caught_up(world):  # type: ignore[no-untyped-def]
    cycle = world.cycle
    assert due_step(cycle=cycle, today=DUE - datetime.timedelta(days=31)) is None
    assert due_step(cycle=cycle, today=DUE - datetime.timedelta(days=30)) == "due-30"
    assert due_step(cycle=cycle, today=DUE - datetime.timedelta(days=29)) == "due-30"
    assert due_step(cycle=cycle, today=DUE - datetime.timedelta(days=7)) == "due-7"
    assert due_step(cycle=cycle, today=DUE - datetime.timedelta(days=1)) == "due-1"
    assert due_step(cycle=cycle, today=DUE) is None
    assert overdue_step(cycle=cycle, today=DUE + datetime.timedelta(days=1)) == "overdue-1"
    assert overdue_step(cycle=cycle, today=DUE + datetime.timedelta(days=7)) == "overdue-1"
    assert overdue_step(cycle=cycle, today=DUE + datetime.timedelta(days=8)) == "overdue-2"


def test_beat_run_twice_sends_each_reminder_once(world):  # type: ignore[no-untyped-def]
    # 189 States owe (FRA, DEU, JOR and IRQ have submitted), but only NGA (its signatory) and USA
    # have someone to write to: the others get nothing and nothing is logged as sent for them.
    reachable = 2
    with on(DUE - datetime.timedelta(days=30)):
        first = reminders_send_due_task()
        second = reminders_send_due_task()
    assert first == reachable and second == 0
    assert ReminderLog.objects.filter(cycle=world.cycle, step="due-30").count() == reachable
    assert len(mail.outbox) == 2
    assert recipients_of(mail.outbox) == ["sig-nga@example.org", "usa-focal@example.org"]
    assert "due in 30 days" in mail.outbox[0].subject
    assert not ReminderLog.objects.filter(state=world.states["FRA"]).exists()

    with on(DUE - datetime.timedelta(days=29)):
        assert reminders_send_due_task() == 0
    with on(DUE - datetime.timedelta(days=7)):
        assert reminders_send_due_task() == reachable
        assert reminders_send_due_task() == 0
    with on(DUE - datetime.timedelta(days=1)):
        reminders_send_due_task()
        reminders_send_due_task()
    assert len(mail.outbox) == 6
    assert "due tomorrow" in mail.outbox[-1].subject


def test_overdue_notices_are_weekly_and_once(world):  # type: ignore[no-untyped-def]
    with on(DUE + datetime.timedelta(days=1)):
        overdue_notices_send_task()
        overdue_notices_send_task()
    assert len(mail.outbox) == 2 and "1 day late" in mail.outbox[0].subject
    with on(DUE + datetime.timedelta(days=6)):
        assert overdue_notices_send_task() == 0
    with on(DUE + datetime.timedelta(days=8)):
        overdue_notices_send_task()
    assert len(mail.outbox) == 4 and "8 days late" in mail.outbox[-1].subject
    assert list(ReminderLog.objects.filter(state=world.states["USA"]).values_list("step", flat=True).order_by("step")) == [
        "overdue-1",
        "overdue-2",
    ]


def test_a_failed_send_releases_the_claim_for_the_retry(world, monkeypatch):  # type: ignore[no-untyped-def]
    calls = {"n": 0}
    real = service.email_send

    def flaky(**kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise SMTPException("relay down")
        return real(**kwargs)

    monkeypatch.setattr(service, "email_send", flaky)
    usa = world.states["USA"]
    today = DUE - datetime.timedelta(days=7)
    with pytest.raises(SMTPException):
        reminder_send(state=usa, cycle=world.cycle, step="due-7", today=today)
    assert not ReminderLog.objects.filter(state=usa, step="due-7").exists()
    assert reminder_send(state=usa, cycle=world.cycle, step="due-7", today=today) is not None  # the retry
    assert reminder_send(state=usa, cycle=world.cycle, step="due-7", today=today) is None  # and only once
    assert len(mail.outbox) == 1


def test_officer_sends_one_by_hand_and_sees_it_on_the_state_page(world, secretariat, monitoring, client):  # type: ignore[no-untyped-def]
    url = reverse("secretariat:remind", args=["USA"])
    with on(DUE + datetime.timedelta(days=3)):
        client.force_login(monitoring)
        assert client.post(url, {"cycle": world.cycle.pk}).status_code == 404
        client.force_login(secretariat)
        client.post(url, {"cycle": world.cycle.pk})
        client.post(url, {"cycle": world.cycle.pk})  # a double click: sent once
        assert client.post(reverse("secretariat:remind", args=["FRA"]), {"cycle": world.cycle.pk}).status_code == 302
        assert client.post(url, {"cycle": "garbage"}).status_code == 302
        page = client.get(reverse("secretariat:state", args=["USA"])).content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["usa-focal@example.org"]
    log = ReminderLog.objects.get(state=world.states["USA"])
    assert log.step == f"manual-{DUE + datetime.timedelta(days=3):%Y%m%d}" and log.sent_by == secretariat
    assert log.step in page
    assert not ReminderLog.objects.filter(state=world.states["FRA"]).exists()  # FRA has reported


def test_one_message_per_language_of_the_delegates(world):  # type: ignore[no-untyped-def]
    french = make_user(Role.SIGNATORY, world.states["USA"], "usa-fr")
    french.preferred_language = "fr"
    french.save(update_fields=["preferred_language"])
    odd = make_user(Role.FOCAL_POINT, world.states["USA"], "usa-odd")
    odd.preferred_language = "xx-bogus"
    odd.save(update_fields=["preferred_language"])
    log = reminder_send(state=world.states["USA"], cycle=world.cycle, step="due-7", today=DUE - datetime.timedelta(days=7))
    assert sorted(log.recipients) == ["usa-focal@example.org", "usa-fr@example.org", "usa-odd@example.org"]
    assert sorted(m.to for m in mail.outbox) == [["usa-focal@example.org", "usa-odd@example.org"], ["usa-fr@example.org"]]
