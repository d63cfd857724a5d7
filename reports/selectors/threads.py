"""Reads for the review conversations and the shared assessments (issue 12, items 2 and 3).

Everything comes through the one gate (reports.selectors.access): a delegation never reads an
internal note or another State's thread, nor a draft assessment. A constant number of queries
per page, whatever the number of threads or messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from reports.models import (
    AssessmentState,
    Measure,
    MeasureAssessment,
    Report,
    ReportVersion,
    Role,
    Section,
    Thread,
    ThreadStatus,
)
from reports.selectors.access import (
    assessments_visible_to,
    delegation_state_id,
    is_back_office,
    role_of,
    thread_messages_visible_to,
    threads_visible_to,
)
from reports.selectors.matrix import cycle_measures
from reports.selectors.versions import row_changes, row_fields, row_state_codes, state_labels
from reports.services.threads import ROW_MODELS, SECTION_ROW_MODEL, anchor_label, may_reply

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


@dataclass
class ThreadPanel:
    """What the report page's "Questions and answers" shows its reader. Each thread carries
    `about`, `shown_messages`, `row_fields` (the row asked about, as filed), `row_now` (what an
    addendum changed in that row since: (label, Cell with the text before and after) pairs),
    `row_now_version` (the version now under review) and `can_reply`."""

    threads: list[Thread]
    open_count: int
    secretariat: bool
    back_office: bool
    # Only for a Secretariat officer on a submitted report: what a new question may be about.
    measures: list[Measure] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)
    can_open: bool = False


def thread_panel(*, user: User | AnonymousUser, report: Report) -> ThreadPanel:
    """The report's threads for `user`, each with the row it is about as filed and as it reads
    now (an addendum may have changed it), and whether the user may reply. A constant number of
    queries whatever the number of threads."""
    secretariat = role_of(user) == Role.SECRETARIAT
    threads = report_threads(user=user, report=report)
    current = report.current_version
    rows: dict[int, tuple[Any, Any]] = {}
    for thread in threads:
        row = thread_row(thread)
        now = thread_row(thread, current) if row and current is not None and current.pk != thread.version_id else None
        rows[thread.pk] = (row, now if now and row and now[1] != row[1] else None)
    # The States the rows name, in the reader's language: one query for every thread.
    states = state_labels(row_state_codes(r[1] for pair in rows.values() for r in pair if r))
    for thread in threads:
        row, now = rows[thread.pk]
        thread.row_fields = row_fields(row[0], row[1], states) if row else []  # type: ignore[attr-defined]
        # Only the fields the addendum changed, before and after (the row as asked is shown whole above).
        thread.row_now = row_changes(now[0], row[1], now[1], states) if now and row else []  # type: ignore[attr-defined]
        thread.row_now_version = current.number if current is not None else None  # type: ignore[attr-defined]
        thread.can_reply = thread.status == ThreadStatus.OPEN and may_reply(thread, user)  # type: ignore[arg-type,attr-defined]
    panel = ThreadPanel(
        threads=threads,
        open_count=sum(1 for t in threads if t.status == ThreadStatus.OPEN),
        secretariat=secretariat,
        back_office=is_back_office(user),
    )
    if secretariat and report.current_version_id:
        panel.can_open = True
        panel.measures = list(cycle_measures(report.cycle))
        panel.rows = row_choices(report)
    return panel


def open_questions(*, user: User | AnonymousUser) -> list[Thread]:
    """The open threads that ask the user's State something, for its delegation's pages (the
    dashboard): the oldest still waiting for the State's answer first, then those it answered
    that the Secretariat has not resolved. Each carries `about` (the section, measure or register
    row, in words), `question` (the Secretariat's first message), `last_at`, `replies` and
    `answered` (the last word is the State's). Never another State's thread, never an internal
    note or message (the gate's querysets); one query whatever the number of threads.
    Anyone but a delegation: nothing."""
    if delegation_state_id(user) is None:
        return []
    messages = thread_messages_visible_to(user).filter(thread=OuterRef("pk"))
    first = messages.order_by("created_at", "id")
    last = messages.order_by("-created_at", "-id")
    threads: list[Thread] = list(
        threads_visible_to(user)
        .filter(status=ThreadStatus.OPEN)
        .select_related("report__cycle", "measure")
        .annotate(
            question=Subquery(first.values("body")[:1]),
            last_at=Subquery(last.values("created_at")[:1]),
            last_author_state=Subquery(last.values("author__state_id")[:1]),
            replies=Coalesce(
                Subquery(
                    messages.order_by().values("thread").annotate(n=Count("id")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            )
            - 1,
        )
        .order_by("opened_at", "id")
    )
    for thread in threads:
        thread.about = anchor_label(thread)  # type: ignore[attr-defined]
        thread.answered = thread.last_author_state == thread.report.state_id  # type: ignore[attr-defined]
    return sorted(threads, key=lambda t: t.answered)  # type: ignore[attr-defined]  # stable: oldest first in each


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


@dataclass
class AssessmentPanel:
    """What the report page's assessments panel shows its reader; each assessment carries
    `can_answer` (the State's delegation, while the assessment is open for its answer)."""

    assessments: list[MeasureAssessment]
    secretariat: bool
    delegation: bool
    can_share: bool
    can_finalise: bool


_ANSWERABLE = frozenset({AssessmentState.SHARED, AssessmentState.AGREED, AssessmentState.DISPUTED})


def assessment_panel(*, user: User | AnonymousUser, report: Report) -> AssessmentPanel:
    assessments = report_assessments(user=user, report=report)
    delegation = role_of(user) in (Role.FOCAL_POINT, Role.SIGNATORY)
    for assessment in assessments:
        assessment.can_answer = delegation and assessment.state in _ANSWERABLE  # type: ignore[attr-defined]
    states = {a.state for a in assessments}
    return AssessmentPanel(
        assessments=assessments,
        secretariat=role_of(user) == Role.SECRETARIAT,
        delegation=delegation,
        can_share=AssessmentState.DRAFT in states,
        can_finalise=bool(states & _ANSWERABLE),
    )


def assessment_state_counts(report: Report) -> dict[str, int]:
    counts = dict.fromkeys(AssessmentState.values, 0)
    rows: QuerySet[Any] = MeasureAssessment.objects.filter(report=report).values("state").annotate(n=Count("id"))
    for row in rows:
        counts[row["state"]] = row["n"]
    return counts
