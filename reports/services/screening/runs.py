"""Screening every named party against a snapshot, and the experts' decisions on the matches."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.clock import portal_day
from reports.models import (
    MatchStatus,
    NameQuality,
    PartyMention,
    RunStatus,
    SanctionsEntry,
    SanctionsName,
    SanctionsSnapshot,
    ScreeningMatch,
    ScreeningRun,
)
from reports.services.audit import audit_log

from .index import NameForm, ScreeningIndex
from .scorer import threshold

if TYPE_CHECKING:
    from reports.models import User

PROGRESS_EVERY = 200  # names between two progress writes


class ScreeningError(Exception):
    """A decision that cannot be taken (already decided by someone else, bad input)."""


def screening_run_request(*, snapshot: SanctionsSnapshot, user: User | None = None) -> ScreeningRun:
    """Queue a screening against `snapshot` once the caller's transaction commits."""
    run = ScreeningRun.objects.create(snapshot=snapshot, requested_by=user if user is not None and user.pk else None)

    def _queue() -> None:
        from reports.tasks.screening import screening_run_task

        screening_run_task.delay(run.pk)

    transaction.on_commit(_queue)
    return run


def _index(snapshot: SanctionsSnapshot) -> ScreeningIndex:
    """The entries the snapshot carries and has not delisted, with every name form."""
    names = SanctionsName.objects.filter(entry__last_snapshot=snapshot, entry__delisted_on__isnull=True).values_list(
        "entry_id", "id", "name", "quality"
    )
    return ScreeningIndex(
        NameForm(entry=entry_id, form=name_id, name=name, low=quality == NameQuality.LOW)
        for entry_id, name_id, name, quality in names
    )


def _reported_names() -> tuple[dict[str, set[str]], dict[str, datetime.date]]:
    """Every spelling of every party named in a submitted version, by the register's normalised
    name; and the New York day each name was first reported."""
    submitted = PartyMention.objects.filter(version__is_draft=False, version__submitted_at__isnull=False)
    spellings: dict[str, set[str]] = defaultdict(set)
    for key, name in submitted.values_list("normalized_name", "name").distinct():
        if key:
            spellings[key].add(name)
    first: dict[str, datetime.date] = {}
    for row in submitted.values("normalized_name").annotate(first=Min("version__submitted_at")).order_by():
        first[row["normalized_name"]] = portal_day(row["first"])
    return spellings, first


def screen_all(*, run: ScreeningRun) -> ScreeningRun:
    """Screen every named party of every submitted version against the run's snapshot.

    New candidates are created; an open candidate gets the new score and name forms; a decided
    match (confirmed or dismissed) is never changed. Progress is written every PROGRESS_EVERY
    names. Running it twice gives the same matches (a retried task is harmless).
    """
    snapshot = run.snapshot
    run.status, run.started_at, run.error = RunStatus.RUNNING, timezone.now(), ""
    run.names_done = run.matches_new = run.matches_updated = 0
    spellings, first_reported = _reported_names()
    run.names_total = len(spellings)
    run.save(update_fields=["status", "started_at", "error", "names_done", "matches_new", "matches_updated", "names_total"])
    index = _index(snapshot)
    cut = threshold()
    listed_on: dict[int, datetime.date] = {
        pk: day
        for pk, day in SanctionsEntry.objects.filter(last_snapshot=snapshot, listed_on__isnull=False).values_list(
            "id", "listed_on"
        )
        if day is not None
    }
    existing = {(m.name_key, m.entry_id): m for m in ScreeningMatch.objects.all()}
    keys = sorted(spellings)
    for start in range(0, len(keys), PROGRESS_EVERY):
        batch = keys[start : start + PROGRESS_EVERY]
        with transaction.atomic():
            for key in batch:
                best: dict[int, tuple[float, str, list[dict[str, object]]]] = {}
                for spelling in sorted(spellings[key]):
                    for match in index.match(spelling, threshold=cut):
                        entry_id = int(match.entry)  # type: ignore[call-overload]
                        if entry_id not in best or match.score > best[entry_id][0]:
                            forms = [{"name": name, "score": score} for _, name, score in match.forms]
                            best[entry_id] = (match.score, spelling, forms)
                for entry_id, (score, spelling, forms) in best.items():
                    _store(run, key, spelling, entry_id, score, forms, existing, listed_on, first_reported)
            run.names_done = min(len(keys), start + len(batch))
            run.save(update_fields=["names_done", "matches_new", "matches_updated"])
    run.status, run.finished_at = RunStatus.DONE, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


def _store(
    run: ScreeningRun,
    key: str,
    spelling: str,
    entry_id: int,
    score: float,
    forms: list[dict[str, object]],
    existing: dict[tuple[str, int], ScreeningMatch],
    listed_on: dict[int, datetime.date],
    first_reported: dict[str, datetime.date],
) -> None:
    match = existing.get((key, entry_id))
    since = listed_on.get(entry_id)
    listed_after = since is not None and key in first_reported and since > first_reported[key]
    if match is None:
        existing[(key, entry_id)] = ScreeningMatch.objects.create(
            name_key=key[:300],
            name=spelling[:300],
            entry_id=entry_id,
            first_snapshot=run.snapshot,
            snapshot=run.snapshot,
            score=score,
            forms=forms,
            listed_after_report=listed_after,
        )
        run.matches_new += 1
        return
    if match.status != MatchStatus.CANDIDATE:
        return  # a decision stands: a re-screen never redoes it
    if match.score != score or match.forms != forms or match.snapshot_id != run.snapshot_id:
        match.score, match.forms, match.snapshot, match.name = score, forms, run.snapshot, spelling[:300]
        match.listed_after_report = listed_after
        match.save(update_fields=["score", "forms", "snapshot", "name", "listed_after_report", "updated_at"])
        run.matches_updated += 1


def screening_run_fail(*, run: ScreeningRun, reason: str) -> None:
    run.status, run.error, run.finished_at = RunStatus.FAILED, reason[:500], timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])


def screening_match_decide(
    *, match_id: int, status: str, actor: User, note: str = "", expected: str = MatchStatus.CANDIDATE
) -> ScreeningMatch:
    """Confirm or dismiss a match. Under the row lock: if the match is no longer in the state the
    expert saw (`expected`), someone else decided first and nothing changes."""
    if status not in (MatchStatus.CONFIRMED, MatchStatus.DISMISSED):
        raise ScreeningError(_("Choose confirm or dismiss."))
    with transaction.atomic():
        match = ScreeningMatch.objects.select_for_update(of=("self",)).select_related("entry", "decided_by").get(pk=match_id)
        if match.status != expected:
            who = match.decided_by.get_username() if match.decided_by else "?"
            raise ScreeningError(
                _("%(user)s has already decided this match (%(status)s); nothing was changed.")
                % {"user": who, "status": match.get_status_display()}
            )
        previous = match.status
        match.status, match.decided_by, match.decided_at, match.note = status, actor, timezone.now(), note[:2000]
        match.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
        audit_log(
            action="screening_match_confirmed" if status == MatchStatus.CONFIRMED else "screening_match_dismissed",
            actor=actor,
            obj=match,
            name=match.name,
            reference=match.entry.reference,
            score=match.score,
            previous=previous,
            note=note[:2000],
        )
    return match
