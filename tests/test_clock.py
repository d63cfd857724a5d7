"""One portal clock: business days are New York days, whatever the server's clock says.

The edge the issue names: a signatory who submits at 21:00 or 23:59 New York on the due day
(already the next day in UTC) is on time everywhere, and 00:01 the next day is one day late.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from reports.clock import portal_day, portal_today
from reports.models import ReminderLog, Role
from reports.tasks import overdue_notices_send_task, reminders_send_due_task
from sanctions_portal.settings.env import env_time_zone
from tests.factories import make_user, open_cycle
from tests.mfa import totp_give
from tests.secretariat.fixtures import DUE, build_world

NEW_YORK = ZoneInfo("America/New_York")
ROOT = Path(__file__).resolve().parent.parent


def ny(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=NEW_YORK)


def moments(due: datetime.date) -> list[tuple[str, datetime.datetime, int]]:
    """(name, moment, New York days late): the two late evenings of the due day and just after midnight."""
    return [
        ("21:00 on the due day", ny(due, 21, 0), 0),
        ("23:59 on the due day", ny(due, 23, 59), 0),
        ("00:01 the next day", ny(due + datetime.timedelta(days=1), 0, 1), 1),
    ]


EDGES = [pytest.param(i, id=name) for i, (name, _, _) in enumerate(moments(DUE))]


# --- the clock itself --------------------------------------------------------------------


def test_portal_day_is_the_new_york_day_of_a_utc_moment():
    evening = datetime.datetime(2026, 12, 31, 2, 0, tzinfo=datetime.UTC)  # 21:00 on 30 December in New York
    assert portal_day(evening) == datetime.date(2026, 12, 30)
    with time_machine.travel(evening, tick=False):
        assert portal_today() == datetime.date(2026, 12, 30)


def test_portal_day_follows_the_setting():
    evening = datetime.datetime(2026, 12, 31, 2, 0, tzinfo=datetime.UTC)
    with override_settings(PORTAL_TIME_ZONE="Asia/Tokyo"):
        assert portal_day(evening) == datetime.date(2026, 12, 31)


def test_portal_day_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="aware"):
        portal_day(datetime.datetime(2026, 12, 30, 21, 0))


@pytest.mark.parametrize("value", ["Mars/Olympus_Mons", "America", "../etc/passwd"])
def test_a_bad_time_zone_setting_is_refused_loudly(monkeypatch, value):
    monkeypatch.setenv("PORTAL_TIME_ZONE", value)
    with pytest.raises(ImproperlyConfigured, match="PORTAL_TIME_ZONE"):
        env_time_zone("PORTAL_TIME_ZONE", "America/New_York")


def test_the_time_zone_setting_defaults_to_new_york(monkeypatch):
    monkeypatch.delenv("PORTAL_TIME_ZONE", raising=False)
    assert env_time_zone("PORTAL_TIME_ZONE", "America/New_York") == "America/New_York"
    monkeypatch.setenv("PORTAL_TIME_ZONE", "Europe/Paris")
    assert env_time_zone("PORTAL_TIME_ZONE", "America/New_York") == "Europe/Paris"


# --- no second clock ---------------------------------------------------------------------

FORBIDDEN = re.compile(r"timezone\.localdate\(|\bdate\.today\(|datetime\.date\.today\(")


def test_no_business_date_is_taken_from_another_clock():
    """Every business date comes from reports/clock.py: a `timezone.localdate()` or a
    `date.today()` anywhere else is the server's day (UTC), a day ahead of New York each evening."""
    tracked = subprocess.run(
        ["git", "ls-files", "reports", "sanctions_portal", "bench", "templates"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    files = {p for p in tracked if p.endswith(".py")}
    # files not yet committed count too
    files |= {str(p.relative_to(ROOT)) for d in ("reports", "sanctions_portal", "bench") for p in (ROOT / d).rglob("*.py")}
    offenders = []
    for name in sorted(files):
        if name == "reports/clock.py" or "/migrations/" in name:
            continue
        path = ROOT / name
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORBIDDEN.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert offenders == [], "use reports.clock.portal_today() / portal_day():\n" + "\n".join(offenders)


def test_the_lint_catches_what_it_is_meant_to_catch():
    for bad in ["today = timezone.localdate()", "d = date.today()", "x = datetime.date.today()"]:
        assert FORBIDDEN.search(bad), bad
    for fine in ["portal_today()", "candidate.today()", "update.today_count"]:
        assert not FORBIDDEN.search(fine), fine


# --- submission ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("edge", EDGES)
def test_submission_lateness_is_counted_in_new_york_days(reference, signatory_a, state_a, edge):
    from reports.services.reports import report_get_or_create, report_submit_unchecked

    cycle = open_cycle("clock-cycle", due=DUE)
    report = report_get_or_create(state=state_a, cycle=cycle, actor=signatory_a)
    _, moment, days_late = moments(DUE)[edge]
    with time_machine.travel(moment, tick=False):
        version = report_submit_unchecked(report=report, actor=signatory_a)
    report.refresh_from_db()
    version.refresh_from_db()
    # the oracle: the day on the New York wall clock, written out by hand above
    assert report.days_late == days_late
    assert report.is_late is (days_late > 0)
    assert version.is_late is (days_late > 0)


@pytest.mark.django_db
def test_an_explicit_submission_time_is_also_read_in_new_york(reference, signatory_a, state_a):
    from reports.services.reports import due_date_days_late

    assert due_date_days_late(due=DUE, submitted=ny(DUE, 23, 59).astimezone(datetime.UTC)) == 0
    assert due_date_days_late(due=DUE, submitted=ny(DUE + datetime.timedelta(days=1), 0, 1)) == 1
    assert due_date_days_late(due=DUE, submitted=ny(DUE - datetime.timedelta(days=3), 9, 0)) == 0


# --- the delegation's obligations page ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("edge", EDGES)
def test_delegation_obligations_page_counts_new_york_days(reference, client, focal_a, edge):
    cycle = open_cycle("clock-cycle", due=DUE)
    _, moment, days_late = moments(DUE)[edge]
    client.force_login(focal_a)
    with time_machine.travel(moment, tick=False):
        page = client.get(reverse("delegation:dashboard")).content.decode()
    row = _row_of(page, cycle.display_label)
    if days_late:
        assert "1 day late" in row and "days left" not in row
    else:
        assert "0 days left" in row and "late" not in row


def _row_of(page: str, label: str) -> str:
    rows = [r for r in re.findall(r"<tr\b.*?</tr>", page, re.DOTALL) if label in r]
    assert len(rows) == 1, f"one row for {label!r}, found {len(rows)}"
    return rows[0]


# --- reminders ----------------------------------------------------------------------------


@pytest.fixture
def reminder_world(reference):  # type: ignore[no-untyped-def]
    with time_machine.travel(
        datetime.datetime.combine(DUE - datetime.timedelta(days=60), datetime.time(12), tzinfo=datetime.UTC)
    ):
        world = build_world()
    make_user(Role.FOCAL_POINT, world.states["USA"], "usa-focal")
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("edge", EDGES)
def test_overdue_notices_start_after_new_york_midnight(reminder_world, edge):
    _, moment, days_late = moments(DUE)[edge]
    with time_machine.travel(moment, tick=False):
        sent = overdue_notices_send_task()
    steps = set(ReminderLog.objects.filter(cycle=reminder_world.cycle).values_list("step", flat=True))
    if days_late:
        # every State but the four that filed owes it; only NGA (a draft) and USA (nothing) have users
        # to mail, and a State nobody can be written to is not logged as reminded
        assert sent == 2 and steps == {"overdue-1"}
        assert len(mail.outbox) == 2 and all("1 day late" in m.subject for m in mail.outbox)
    else:
        assert sent == 0 and not steps and mail.outbox == []


@pytest.mark.django_db
def test_the_last_reminder_goes_out_on_the_new_york_eve_of_the_due_day(reminder_world):
    # 21:00 in New York the day before: UTC already says the due day, when no reminder is due.
    with time_machine.travel(ny(DUE - datetime.timedelta(days=1), 21, 0), tick=False):
        assert reminders_send_due_task() == 2  # NGA and USA: the others have nobody to write to
    assert set(ReminderLog.objects.filter(cycle=reminder_world.cycle).values_list("step", flat=True)) == {"due-1"}
    assert len(mail.outbox) == 2 and all("due tomorrow" in m.subject for m in mail.outbox)


# --- the back office's overdue list -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("edge", EDGES)
def test_back_office_overdue_list_counts_new_york_days(reminder_world, client, secretariat, edge):
    client.force_login(totp_give(secretariat))
    cycle = reminder_world.cycle
    _, moment, days_late = moments(DUE)[edge]
    with time_machine.travel(moment, tick=False):
        dashboard = client.get(reverse("secretariat:dashboard"), {"cycle": cycle.pk}).content.decode()
        register = client.get(reverse("secretariat:register_section", args=[cycle.pk, "overdue"])).content.decode()
    if days_late:
        table = re.search(r'data-testid="overdue".*?</table>', dashboard, re.DOTALL)
        assert table, "the dashboard lists the overdue States"
        cells = re.findall(r'<td class="text-number">(\d+)</td>', table.group(0))
        assert len(cells) == 15 and set(cells) == {"1"}  # the first 15 of the 189 owing, each one New York day late
        assert "Afghanistan" in register  # first of the owing States, by name
    else:
        assert 'data-testid="overdue"' not in dashboard
        assert "Afghanistan" not in register
        assert "nobody is overdue yet" in dashboard
