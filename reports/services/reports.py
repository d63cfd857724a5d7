"""Services that write reports: drafts, freezing versions, submission."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.clock import portal_day, portal_today
from reports.models import (
    DELEGATION_ROLES,
    TRANSIT_PREFETCH,
    ChecklistAnswer,
    MemberState,
    Report,
    ReportingCycle,
    ReportStatus,
    ReportVersion,
    ReviewAction,
    ReviewEvent,
    User,
)
from reports.selectors.delegation import cycles_open_to

from .audit import audit_log
from .snapshot import content_sha256, version_content


class ReportError(Exception):
    """A request the workflow refuses; the message is shown to the user."""


class CycleNotOpen(ReportError):
    """No cycle the State is expected to report in, open today, has this id."""


def report_get_or_create(*, state: MemberState, cycle: ReportingCycle, actor: User) -> Report:
    """The State's report for a cycle, with an open draft, created on first use."""
    return _report_get_or_create(state=state, cycle=cycle, actor=actor)[0]


@transaction.atomic
def _report_get_or_create(*, state: MemberState, cycle: ReportingCycle, actor: User) -> tuple[Report, bool]:
    report, created = Report.objects.get_or_create(state=state, cycle=cycle)
    if created:
        ReportVersion.objects.create(report=report, number=1, is_draft=True, updated_by=actor)
        ReviewEvent.objects.create(report=report, actor=actor, action=ReviewAction.CREATE, to_status=ReportStatus.DRAFT)
        audit_log(action="report_create", actor=actor, state=state, obj=report)
    return report, created


@dataclass
class ReportOpened:
    report: Report
    created: bool
    carried_over: int = 0  # answers copied from the last report (draft_carry_over)


@transaction.atomic
def report_open(
    *, state: MemberState, cycle_id: int, actor: User, carry_over: bool = False, today: datetime.date | None = None
) -> ReportOpened:
    """The State's report for a cycle, started by its delegation (the dashboard's "Start the
    report", the API's POST /reports/): only in a cycle the State is expected to report in that has
    opened (cycles_open_to: CycleNotOpen otherwise, the same for one that does not exist), only by
    the State's own delegation. Once started it is answered as it is (`created` false): starting
    twice opens nothing more.

    `carry_over`: the new draft starts from the State's last report (draft_carry_over, the
    checklist's "Start from the last report"), in the same transaction: with no report to start
    from, ReportError and nothing is started. Only for a report this call starts: an existing
    draft is its editors' to fill."""
    from .carry_over import draft_carry_over  # it imports ReportError from here

    if not (actor.role in DELEGATION_ROLES and actor.state_id is not None and actor.state_id == state.pk):
        raise ReportError(_("Only the delegation of this State can start its report."))
    cycle = cycles_open_to(state=state, today=today or portal_today()).filter(pk=cycle_id).first()
    if cycle is None:
        raise CycleNotOpen(_("No reporting cycle open to your State has this id."))
    report, created = _report_get_or_create(state=state, cycle=cycle, actor=actor)
    opened = ReportOpened(report=report, created=created)
    if created and carry_over:
        draft = report.versions.get(is_draft=True)
        opened.carried_over = draft_carry_over(version=draft, actor=actor, revision=draft.revision)
    return opened


def report_draft(report: Report) -> ReportVersion | None:
    return report.versions.filter(is_draft=True).first()


def due_date_days_late(*, due: datetime.date, submitted: datetime.datetime) -> int:
    """Whole New York days between the due day and the day of submission (0 when on time)."""
    return max(0, (portal_day(submitted) - due).days)


@transaction.atomic
def version_freeze(*, version: ReportVersion, actor: User, now: datetime.datetime | None = None) -> ReportVersion:
    """Freeze a draft into an immutable version with a reference, a timestamp and a SHA-256."""
    version = ReportVersion.objects.select_for_update().select_related("report__state", "report__cycle").get(pk=version.pk)
    if not version.is_draft:
        raise ReportError(_("This version has already been submitted and cannot change."))
    now = now or timezone.now()
    report = version.report
    content = version_content(version)
    content["report"]["submitted_at"] = now.isoformat()
    content["report"]["submitted_by"] = actor.get_username()
    version.content = content
    version.content_sha256 = content_sha256(content)
    version.submitted_at = now
    version.submitted_by = actor
    version.is_late = due_date_days_late(due=report.cycle.due, submitted=now) > 0
    version.reference = f"S/AC.37/{now.year}/{report.state.iso3}/{report.cycle.code}/{version.number}"
    version.is_draft = False
    version.save(
        update_fields=[
            "content",
            "content_sha256",
            "submitted_at",
            "submitted_by",
            "is_late",
            "reference",
            "is_draft",
            "updated_at",
        ]
    )
    return version


@transaction.atomic
def report_submit_unchecked(*, report: Report, actor: User, now: datetime.datetime | None = None) -> ReportVersion:
    """Freeze the open draft as submitted (first submission or an addendum) WITHOUT the review's
    checks (validation, reviewed revision) and without queuing the receipt: for seeding only (demo
    data, tests, benchmarks). Requests go through reports.services.submission.report_submit."""
    report = Report.objects.select_for_update().select_related("state", "cycle").get(pk=report.pk)
    if not (actor.is_signatory and actor.state_id == report.state_id):
        raise ReportError(_("Only a signatory of this State can submit its report."))
    draft = report_draft(report)
    if draft is None:
        raise ReportError(_("There is no open draft to submit."))
    now = now or timezone.now()
    version = version_freeze(version=draft, actor=actor, now=now)
    from_status = report.status
    is_amendment = report.current_version_id is not None
    report.current_version = version
    report.status = ReportStatus.AMENDED if is_amendment else ReportStatus.SUBMITTED
    fields = ["current_version", "status", "updated_at"]
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        report.days_late = due_date_days_late(due=report.cycle.due, submitted=now)
        report.is_late = report.days_late > 0
        fields += ["first_submitted_at", "days_late", "is_late"]
    report.save(update_fields=fields)
    ReviewEvent.objects.create(
        report=report,
        version=version,
        actor=actor,
        action=ReviewAction.AMEND if is_amendment else ReviewAction.SUBMIT,
        from_status=from_status,
        to_status=report.status,
    )
    audit_log(
        action="report_submit", actor=actor, state=report.state, obj=report, version=version.number, sha256=version.content_sha256
    )
    return version


@transaction.atomic
def report_open_addendum(*, report: Report, actor: User) -> ReportVersion:
    """Copy the latest submitted version into a new draft: the next version number.

    A focal point or a signatory of the State may open it (a focal point prepares the answer to
    a clarification); only a signatory submits it (report_submit)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not (actor.role in DELEGATION_ROLES and actor.state_id is not None and actor.state_id == report.state_id):
        raise ReportError(_("Only the delegation of this State can open an addendum."))
    if report_draft(report) is not None:
        raise ReportError(_("An addendum is already open."))
    source = report.current_version
    if source is None:
        raise ReportError(_("The report has not been submitted yet."))
    draft = version_copy(source=source, number=source.number + 1, actor=actor)
    ReviewEvent.objects.create(
        report=report,
        version=draft,
        actor=actor,
        action=ReviewAction.OPEN_ADDENDUM,
        from_status=report.status,
        to_status=report.status,
    )
    audit_log(action="report_open_addendum", actor=actor, state=report.state, obj=report, version=draft.number)
    return draft


def version_copy(*, source: ReportVersion, number: int, actor: User) -> ReportVersion:
    """A new draft holding the same answers, register rows and attachments as `source`."""
    draft = ReportVersion.objects.create(
        report=source.report,
        number=number,
        is_draft=True,
        confidentiality=source.confidentiality,
        section_confidentiality=dict(source.section_confidentiality),
        updated_by=actor,
    )
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(
            version=draft,
            measure_id=a.measure_id,
            answer=a.answer,
            legal_reference=a.legal_reference,
            narrative=a.narrative,
            evidence_location=a.evidence_location,
        )
        for a in source.answers.all()
    )
    for row in source.oilinterdiction_rows.prefetch_related(TRANSIT_PREFETCH, "mentions"):
        transit = row.transit_route
        mentions = list(row.mentions.all())
        # The prefetched route would make the copy believe it already has it.
        row._prefetched_objects_cache = {}  # type: ignore[attr-defined]
        row.pk = None
        row.id = None
        row.version = draft
        row._state.adding = True
        row.save()
        row.transit_route_set(transit)
        for mention in mentions:
            mention.pk = None
            mention.version = draft
            mention.interdiction = row
            mention.save()
    for related in ("frozenasset_rows", "ransomcase_rows", "suspicioustransactioncount_rows"):
        model = getattr(source, related).model
        rows = list(getattr(source, related).all())
        for row in rows:
            row.pk = None
            row.id = None
            row.version = draft
        model.objects.bulk_create(rows)
    for seizure in source.culturalseizure_rows.prefetch_related("mentions"):
        mentions = list(seizure.mentions.all())
        seizure._prefetched_objects_cache = {}  # type: ignore[attr-defined]
        seizure.pk = None
        seizure.id = None
        seizure.version = draft
        seizure._state.adding = True
        seizure.save()
        for mention in mentions:
            mention.pk = None
            mention.version = draft
            mention.seizure = seizure
            mention.save()
    for attachment in source.attachments.all():
        attachment.pk = None
        attachment.version = draft
        attachment._state.adding = True
        attachment.save()
    return draft
