"""Reminders at scale: every State owing a cycle's report in one queued action, a result per State, never twice."""

from __future__ import annotations

import datetime
from smtplib import SMTPException

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.urls import reverse

from reports.models import AuditEvent, BatchStatus, ReminderBatch, ReminderLog, ReminderOutcome, Role
from reports.services import reminders as reminder_service
from reports.services.reminder_batches import reminder_batch_request, reminder_batch_run
from reports.services.reminders import NoRecipient, reminder_send_manual
from reports.services.reports import ReportError
from tests.factories import make_user
from tests.secretariat.fixtures import DUE, build_world

pytestmark = pytest.mark.django_db
LATE = DUE + datetime.timedelta(days=3)


def on(day: datetime.date):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(15, 0), tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    with on(DUE - datetime.timedelta(days=60)):
        world = build_world()
    make_user(Role.FOCAL_POINT, world.states["USA"], "usa-focal")  # NGA has its signatory; USA a focal point
    return world


def owing_by_sql(cycle_id: int) -> set[str]:
    """Oracle: States with no submitted report for the cycle, by hand."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT iso3 FROM reports_memberstate WHERE id NOT IN "
            "(SELECT state_id FROM reports_report WHERE cycle_id = %s AND current_version_id IS NOT NULL)",
            [cycle_id],
        )
        return {row[0] for row in cursor.fetchall()}


def send_all(client, cycle, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("secretariat:reminders_send"), {"cycle": cycle.pk})
    assert response.status_code == 302
    return ReminderBatch.objects.order_by("-pk").first()


def test_bulk_reminds_every_owing_state_and_a_second_run_sends_nothing_more(
    world, secretariat, client, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    owing = owing_by_sql(world.cycle.pk)
    assert len(owing) == 193 - 4
    with on(LATE):
        first = send_all(client, world.cycle, django_capture_on_commit_callbacks)
        first.refresh_from_db()
        assert first.status == BatchStatus.DONE and first.total == len(owing)
        outcomes = dict(first.results.values_list("state__iso3", "outcome"))
        assert set(outcomes) == owing, "one result per owing State, none for those that reported"
        assert outcomes["USA"] == outcomes["NGA"] == ReminderOutcome.SENT
        assert {o for iso3, o in outcomes.items() if iso3 not in ("USA", "NGA")} == {ReminderOutcome.NO_RECIPIENT}
        assert sorted(a for m in mail.outbox for a in m.to) == ["sig-nga@example.org", "usa-focal@example.org"]

        second = send_all(client, world.cycle, django_capture_on_commit_callbacks)
        again = dict(second.results.values_list("state__iso3", "outcome"))
        assert again["USA"] == again["NGA"] == ReminderOutcome.ALREADY_REMINDED
        assert len(mail.outbox) == 2, "running it twice sends nothing more"
        # Only real sends are logged: no ReminderLog for a State nobody could be written to.
        assert set(ReminderLog.objects.filter(cycle=world.cycle).values_list("state__iso3", flat=True)) == {"USA", "NGA"}
        page = client.get(reverse("secretariat:reminder_batch", args=[second.pk])).content.decode()
    assert 'data-iso3="USA" data-outcome="already_reminded"' in page
    assert 'data-testid="batch-no-recipient"' in page


def test_a_reminder_sent_by_hand_today_counts_as_already_reminded(world, secretariat):  # type: ignore[no-untyped-def]
    with on(LATE):
        reminder_send_manual(state=world.states["USA"], cycle=world.cycle, actor=secretariat, today=LATE)
        batch = reminder_batch_request(cycle=world.cycle, actor=secretariat, today=LATE)
        reminder_batch_run(batch_id=batch.pk)
    assert batch.results.get(state__iso3="USA").outcome == ReminderOutcome.ALREADY_REMINDED
    assert batch.results.get(state__iso3="NGA").outcome == ReminderOutcome.SENT
    assert len(mail.outbox) == 2


def test_a_run_cut_by_a_mail_failure_resumes_without_sending_twice(world, secretariat, monkeypatch):  # type: ignore[no-untyped-def]
    real = reminder_service.email_send
    calls = {"n": 0}

    def flaky(**kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise SMTPException("relay down")
        return real(**kwargs)

    monkeypatch.setattr(reminder_service, "email_send", flaky)
    with on(LATE):
        batch = reminder_batch_request(cycle=world.cycle, actor=secretariat, today=LATE)
        with pytest.raises(SMTPException):
            reminder_batch_run(batch_id=batch.pk)
        assert batch.results.count() < batch.total
        reminder_batch_run(batch_id=batch.pk)  # the task's retry
        reminder_batch_run(batch_id=batch.pk)  # and a duplicate delivery
    assert batch.results.count() == 193 - 4
    assert batch.results.filter(outcome=ReminderOutcome.SENT).count() == 2
    assert sorted(a for m in mail.outbox for a in m.to) == ["sig-nga@example.org", "usa-focal@example.org"]


def test_only_the_secretariat_may_remind_all(world, monitoring, client):  # type: ignore[no-untyped-def]
    client.force_login(monitoring)
    assert client.post(reverse("secretariat:reminders_send"), {"cycle": world.cycle.pk}).status_code == 404
    with pytest.raises(ReportError):
        reminder_batch_request(cycle=world.cycle, actor=monitoring, today=LATE)
    assert not ReminderBatch.objects.exists()


def test_a_cycle_not_yet_open_or_garbage_is_refused_with_a_reason(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    with on(world.cycle.opens - datetime.timedelta(days=1)):
        response = client.post(reverse("secretariat:reminders_send"), {"cycle": world.cycle.pk}, follow=True)
        assert "choose a cycle that has opened" in response.content.decode()
        for garbage in ("", "abc", "-1", "9" * 30, "<script>"):
            assert client.post(reverse("secretariat:reminders_send"), {"cycle": garbage}).status_code == 302
    assert not ReminderBatch.objects.exists()


def test_a_state_with_nobody_to_write_to_gets_a_warning_and_nothing_logged(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    with on(LATE):
        response = client.post(reverse("secretariat:remind", args=["TUR"]), {"cycle": world.cycle.pk})
    levels = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert levels and levels[0][0] == "warning" and "no active focal point or signatory" in levels[0][1]
    assert not ReminderLog.objects.filter(state__iso3="TUR").exists()
    assert not AuditEvent.objects.filter(action="reminder_send", state__iso3="TUR").exists()
    with pytest.raises(NoRecipient):
        reminder_send_manual(
            state=world.states["USA"].__class__.objects.get(iso3="TUR"), cycle=world.cycle, actor=secretariat, today=LATE
        )


def test_reminder_forms_default_to_the_cycle_open_today(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    with on(DUE - datetime.timedelta(days=10)):
        state_page = client.get(reverse("secretariat:state", args=["USA"])).content.decode()
        reminders_page = client.get(reverse("secretariat:reminders")).content.decode()
    selected = f'<option value="{world.cycle.pk}" selected>'
    assert selected in state_page and selected in reminders_page
    assert "189 States have not submitted their report" in reminders_page


def test_states_without_accounts_are_listed(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    html = client.get(reverse("secretariat:states_unreachable")).content.decode()
    usa = html.split('data-iso3="USA"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="text-number">1</td><td class="text-number">0</td>' in usa  # a focal point, no signatory
    tur = html.split('data-iso3="TUR"', 1)[1].split("</tr>", 1)[0]
    assert "no recipient" in tur
    assert 'data-iso3="FRA"' in html  # FRA has a signatory but no focal point


def test_reminder_pages_cost_the_same_whatever_the_number_of_states(world, secretariat, client, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    with on(LATE):
        batch = reminder_batch_request(cycle=world.cycle, actor=secretariat, today=LATE)
        reminder_batch_run(batch_id=batch.pk)
        for name, args in (("reminders", []), ("reminder_batch", [batch.pk]), ("states_unreachable", [])):
            with django_assert_max_num_queries(14):
                assert client.get(reverse(f"secretariat:{name}", args=args)).status_code == 200
