"""Filing a report from the portal: the checks a signatory sees, then report_submit."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from reports.models import Report, ReportVersion, User

from .outbox import outbox_enqueue
from .reports import ReportError, report_draft, report_submit
from .validation import Issue, blocking, version_issues, warnings


class SubmissionBlocked(ReportError):
    def __init__(self, message: str, issues: list[Issue]) -> None:
        super().__init__(message)
        self.issues = issues


@transaction.atomic
def report_file(
    *,
    report: Report,
    actor: User,
    revision: int,
    warnings_acknowledged: bool,
    now: datetime.datetime | None = None,
) -> ReportVersion:
    """Submit the open draft as reviewed: no errors, warnings acknowledged, unchanged since the review page.

    Records the receipt e-mail in the outbox, in this transaction; it is sent once it commits.
    """
    report = Report.objects.select_for_update().select_related("state", "cycle__obligation").get(pk=report.pk)
    if not (actor.is_signatory and actor.state_id == report.state_id):
        raise ReportError(_("Only a signatory of this State can submit its report."))
    draft = report_draft(report)
    if draft is None:
        raise ReportError(_("There is no open draft to submit."))
    if draft.revision != revision:
        raise ReportError(_("The draft has changed since you opened the review page: review it again."))
    issues = version_issues(version=draft)
    if blocking(issues):
        raise SubmissionBlocked(_("The report has errors to correct before it can be submitted."), issues)
    if warnings(issues) and not warnings_acknowledged:
        raise SubmissionBlocked(_("Confirm that you have read the warnings."), issues)
    version = report_submit(report=report, actor=actor, now=now)
    outbox_enqueue(task="reports.receipt_send", args=[version.pk], key=f"receipt_send:{version.pk}")
    return version
