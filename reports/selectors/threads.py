"""Reads for the review conversations and the shared assessments (issue 12, items 2 and 3).

Everything comes through the one gate (reports.selectors.access): a delegation never reads an
internal note or another State's thread, nor a draft assessment. A constant number of queries
per page, whatever the number of threads or messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet

from reports.models import (
    AssessmentState,
    MeasureAssessment,
    Report,
    ReportVersion,
    Section,
    Thread,
    ThreadStatus,
)
from reports.selectors.access import assessments_visible_to, thread_messages_visible_to, threads_visible_to
from reports.services.threads import ROW_MODELS, SECTION_ROW_MODEL, anchor_label

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from reports.models import User


def report_threads(*, user: User | AnonymousUser, report: Report) -> list[Thread]:
    """The report's threads the user may read, open ones first, each with its visible
    messages (`shown_messages`) and `about` (what it is about, in words). Two queries."""
    messages = thread_messages_visible_to(user).select_related("author").order_by("created_at", "id")
    threads: list[Thread] = list(
        threads_visible_to(user)
        .filter(report=report)
        .select_related("opened_by", "resolved_by", "measure", "version")
        .prefetch_related(Prefetch("messages", queryset=messages, to_attr="shown_messages"))
        .order_by("status", "-opened_at", "-id")  # "open" < "resolved": open ones first
    )
    for thread in threads:
        thread.about = anchor_label(thread)  # type: ignore[attr-defined]
    return threads


def thread_row(thread: Thread, version: ReportVersion | None = None) -> tuple[str, dict[str, Any]] | None:
    """The register row a row thread is about: (content key, the row as frozen in `version`, by
    default the version the question was asked on), or None."""
    version = version or thread.version
    if thread.row_key == "" or version is None:
        return None
    key = ROW_MODELS.get(thread.row_model)
    rows = (version.content or {}).get(key or "", [])
    if not isinstance(rows, list):
        return None
    try:
        number = int(thread.row_key)
    except ValueError:
        return None
    if key is None or not 1 <= number <= len(rows):
        return None
    row = rows[number - 1]
    return (key, row) if isinstance(row, dict) else None


def row_choices(report: Report) -> list[tuple[str, str]]:
    """Every register row of the version under review, as anchor choices ("row:<model>:<n>")."""
    content = (report.current_version.content or {}) if report.current_version else {}
    choices = []
    for section in Section:
        label = SECTION_ROW_MODEL.get(section.value)
        if label is None:
            continue
        rows = content.get(section.value)
        for number, row in enumerate(rows if isinstance(rows, list) else [], start=1):
            if not isinstance(row, dict):  # a version holds JSON: anything may stand there
                row = {}
            hint = " · ".join(
                str(row.get(f)) for f in ("date", "place", "listed_party", "description", "period_start") if row.get(f)
            )
            choices.append((f"row:{label}:{number}", f"{section.label}, {number} {('· ' + hint[:60]) if hint else ''}".strip()))
    return choices


def open_thread_count_q() -> Count:
    """The review queue's column: a report's open threads that ask the State (an annotation,
    so the queue costs the same number of queries whatever the number of reports)."""
    return Count("threads", filter=Q(threads__status=ThreadStatus.OPEN, threads__internal=False), distinct=True)


def report_assessments(*, user: User | AnonymousUser, report: Report) -> list[MeasureAssessment]:
    """The assessments of a report the user may read (a delegation: shared ones and after), by measure."""
    return list(
        assessments_visible_to(user)
        .filter(report=report)
        .select_related("measure", "state_responded_by")
        .order_by("measure__order", "measure__code")
    )


def assessment_state_counts(report: Report) -> dict[str, int]:
    counts = dict.fromkeys(AssessmentState.values, 0)
    rows: QuerySet[Any] = MeasureAssessment.objects.filter(report=report).values("state").annotate(n=Count("id"))
    for row in rows:
        counts[row["state"]] = row["n"]
    return counts
