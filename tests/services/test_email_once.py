"""Receipts and clarification e-mails go once per recipient, however often their task runs."""

from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail

from reports.models import EmailDelivery, Role
from reports.services.emails import email_send_once
from reports.services.receipts import receipt_send
from reports.services.reports import report_submit_unchecked
from tests.factories import make_user


@pytest.fixture
def submitted_version(state_a, report_a, signatory_a):
    make_user(Role.FOCAL_POINT, state_a, "second-focal")
    return report_submit_unchecked(report=report_a, actor=signatory_a)


def test_a_receipt_task_run_twice_mails_each_user_once(submitted_version, state_a):
    mail.outbox.clear()
    first = receipt_send(version=submitted_version)
    second = receipt_send(version=submitted_version)
    users = state_a.users.filter(is_active=True).exclude(email="").count()
    assert first == users >= 3 and second == 0
    assert len(mail.outbox) == users
    assert sorted(m.to[0] for m in mail.outbox) == sorted(state_a.users.values_list("email", flat=True))


def test_a_failed_send_is_retried_only_for_those_not_yet_mailed(submitted_version, state_a):
    mail.outbox.clear()
    real_send = mail.EmailMultiAlternatives.send
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SMTPException("421 try again later")
        return real_send(self, *args, **kwargs)

    with mock.patch.object(mail.EmailMultiAlternatives, "send", flaky), pytest.raises(SMTPException):
        receipt_send(version=submitted_version)
    assert len(mail.outbox) == 1
    assert EmailDelivery.objects.filter(key__startswith=f"receipt:{submitted_version.pk}:").count() == 1
    receipt_send(version=submitted_version)  # what Celery's retry does
    users = state_a.users.filter(is_active=True).exclude(email="").count()
    assert len(mail.outbox) == users
    assert len({m.to[0] for m in mail.outbox}) == users  # nobody twice


def test_the_key_not_the_address_decides(db):
    mail.outbox.clear()
    ctx = {"version": None}
    with mock.patch("reports.services.emails.email_send", return_value=1) as send:
        assert email_send_once(key="k:1:a@x.org", name="receipt", to="a@x.org", context=ctx) == 1
        assert email_send_once(key="k:1:a@x.org", name="receipt", to="a@x.org", context=ctx) == 0
        assert email_send_once(key="k:2:a@x.org", name="receipt", to="a@x.org", context=ctx) == 1
    assert send.call_count == 2
