"""Submitting a report: the one public service the review page (and the API) calls.

``report_submit`` holds every check a submission must pass, under the report's row lock (who,
which draft, the revision that was reviewed, the validation issues) and then freezes the draft
(``reports.services.reports.report_submit_unchecked``) and records the receipt in the outbox, in
the same transaction. ``report_submit_unchecked`` skips the checks and the receipt: it is for
seeding only (demo data, tests, benchmarks), never for a request.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from reports.models import Report, ReportVersion, User

from .outbox import outbox_enqueue
from .reports import ReportError, report_draft, report_submit_unchecked
from .validation import Issue, blocking, version_issues, warnings


class SubmissionBlocked(ReportError):
    def __init__(self, message: str, issues: list[Issue]) -> None:
        super().__init__(message)
        self.issues = issues


@transaction.atomic
def report_submit(
    *,
    report: Report,
    actor: User,
    revision: int,
    warnings_acknowledged: bool,
    now: datetime.datetime | None = None,
) -> ReportVersion:
    """A signatory submits the open draft as reviewed (first submission or an addendum): no
    errors, warnings acknowledged, unchanged since the review page (``revision``).

    Raises ReportError (not a signatory of the State, no open draft, changed since reviewed) or
    SubmissionBlocked (with the issues). Records the receipt e-mail in the outbox, in this
    transaction; it is sent once it commits.
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
    version = report_submit_unchecked(report=report, actor=actor, now=now)
    outbox_enqueue(task="reports.receipt_send", args=[version.pk], key=f"receipt_send:{version.pk}")
    return version
