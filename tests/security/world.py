"""Two States' worth of data for the access matrix and the sweep.

State A (France) and State B (Germany) each have a report in the test cycle with a submitted
version 1 (a checklist answer, an oil interdiction, an attachment) and an open addendum draft
(version 2, with its own attachment), and a Council PDF job about the State.
`world.tokens("A")` maps the access table's tokens (report, draft, version, attachment, ...) to
State A's objects.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reports.models import Answer, ChecklistAnswer, Measure, OilInterdiction, PdfJob, Report, Role
from reports.services.attachments import attachment_add
from reports.services.reports import report_open_addendum, report_submit_unchecked
from tests.factories import make_report, make_user, open_cycle
from tests.mfa import totp_give

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    reports: dict[str, Report]
    tokens_by_state: dict[str, dict[str, Any]] = field(default_factory=dict)

    def tokens(self, which: str) -> dict[str, Any]:
        return self.tokens_by_state[which]


def _state_world(state, cycle, focal, signatory, requester) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    report = make_report(state, cycle, focal)
    draft = report.versions.get(is_draft=True)
    measure = Measure.objects.filter(resolution=cycle.obligation.resolution, active=True).order_by("pk").first()
    ChecklistAnswer.objects.create(version=draft, measure=measure, answer=Answer.IN_PLACE, legal_reference="Act 1/2020")
    OilInterdiction.objects.create(
        version=draft, date=datetime.date(2026, 1, 5), place="Port", commodity="crude", quantity=100, unit="barrels",
        value=1000, currency="USD", direction="to", origin=state, parties="Crescent Tanker Logistics", proceedings="",
    )  # fmt: skip
    frozen_attachment = attachment_add(
        version=draft, actor=focal, upload=SimpleUploadedFile("law.pdf", PDF_BYTES, "application/pdf")
    )
    version = report_submit_unchecked(report=report, actor=signatory)
    from reports.models import Thread, ThreadMessage

    thread = Thread.objects.create(report=report, version=version, opened_by=requester)
    ThreadMessage.objects.create(thread=thread, author=requester, body="Which act?")
    internal_thread = Thread.objects.create(report=report, version=version, opened_by=requester, internal=True)
    ThreadMessage.objects.create(thread=internal_thread, author=requester, body="Note to self", internal=True)
    addendum = report_open_addendum(report=report, actor=signatory)
    draft_attachment = attachment_add(
        version=addendum, actor=focal, upload=SimpleUploadedFile("annex.pdf", PDF_BYTES, "application/pdf")
    )
    job = PdfJob(
        kind="profile", cycle=cycle, state=state, requested_by=requester, status="done", progress=100, batch=uuid.uuid4()
    )
    job.sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
    job.pages = 1
    job.data_as_of = timezone.now()
    job.file.save("profile.pdf", ContentFile(PDF_BYTES), save=True)
    # A second report of the State, never submitted: the back office must not see it.
    unsubmitted = make_report(state, open_cycle(f"unsubmitted-{state.iso3}"), focal)
    report.refresh_from_db()
    return {
        "report": report.pk,
        "draft": addendum.pk,
        "version": version.pk,
        "v1": version.number,
        "v2": addendum.number,
        "attachment": frozen_attachment.pk,
        "draft_attachment": draft_attachment.pk,
        "cycle": cycle.pk,
        "iso3": state.iso3,
        "measure": measure.pk if measure else 0,
        "thread": thread.pk,
        "internal_thread": internal_thread.pk,
        "job": job.pk,
        "batch": str(job.batch),
        "unsubmitted_report": unsubmitted.pk,
        "_report": report,
    }


@pytest.fixture
def world(cycle, state_a, state_b, focal_a, signatory_a, focal_b, monitoring) -> World:  # type: ignore[no-untyped-def]
    signatory_b = totp_give(make_user(Role.SIGNATORY, state_b, "bertha"))
    a = _state_world(state_a, cycle, focal_a, signatory_a, monitoring)
    b = _state_world(state_b, cycle, focal_b, signatory_b, monitoring)
    return World(reports={"A": a["_report"], "B": b["_report"]}, tokens_by_state={"A": a, "B": b})
