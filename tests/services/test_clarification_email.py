"""A clarification request is e-mailed to the State's active delegation users, after commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from reports.models import AuditEvent, Role, Section, User
from reports.services.review import report_request_clarification, report_start_review
from tests.factories import make_user
from tests.secretariat.fixtures import world  # noqa: F401

pytestmark = pytest.mark.django_db


def _under_review(world, secretariat):  # type: ignore[no-untyped-def]  # noqa: F811
    report = world.reports["FRA"]
    return report_start_review(report=report, actor=secretariat)


def test_request_mails_each_active_delegation_user_after_commit(world, secretariat, django_capture_on_commit_callbacks):  # noqa: F811
    report = _under_review(world, secretariat)
    state = report.state
    focal = make_user(Role.FOCAL_POINT, state, "fra-focal-mail")
    focal.preferred_language = "fr"
    focal.save(update_fields=["preferred_language"])
    gone = make_user(Role.SIGNATORY, state, "fra-gone")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    other = next(r.state for iso3, r in world.reports.items() if iso3 != "FRA")
    make_user(Role.FOCAL_POINT, other, "rus-focal-mail")  # another State: not told
    make_user(Role.SECRETARIAT, None, "officer-mail")  # not a delegation user
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_request_clarification(
            report=report, actor=secretariat, comment="Which act covers <oil> & gas?", section="checklist"
        )
    assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()  # the queued task (eager in tests)

    recipients = sorted(address for message in mail.outbox for address in message.to)
    delegates = User.objects.filter(state=state, is_active=True, groups__name__in=["focal_point", "signatory"])
    expected = sorted(set(delegates.exclude(email="").values_list("email", flat=True)))
    assert recipients == expected
    assert focal.email in recipients and gone.email not in recipients
    assert not any("rus-focal-mail" in a or "officer-mail" in a for a in recipients)
    message = next(m for m in mail.outbox if m.to == [focal.email])
    assert "Which act covers <oil> & gas?" in message.body  # plain text as written
    html = message.alternatives[0][0]
    assert "Which act covers &lt;oil&gt; &amp; gas?" in html and "<oil>" not in html  # escaped in HTML
    assert reverse("delegation:report", args=[report.pk]) in message.body
    with translation.override("fr"):  # in the delegate's own language
        assert str(Section.CHECKLIST.label) in message.body
        assert str(Section.CHECKLIST.label) != "Implementation checklist"
    event = AuditEvent.objects.filter(action="clarification_send").latest("pk")
    assert event.detail["recipients"] == len(mail.outbox) == len(expected) >= 2


def test_other_transitions_send_nothing(world, secretariat, django_capture_on_commit_callbacks):  # noqa: F811
    make_user(Role.FOCAL_POINT, world.reports["FRA"].state, "fra-focal-quiet")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _under_review(world, secretariat)
    assert mail.outbox == []


def test_a_refused_request_sends_nothing(world, secretariat, django_capture_on_commit_callbacks):  # noqa: F811
    from reports.services.reports import ReportError

    report = _under_review(world, secretariat)
    make_user(Role.FOCAL_POINT, report.state, "fra-focal-refused")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ReportError):
        report_request_clarification(report=report, actor=secretariat, comment="   ")
    assert mail.outbox == []
