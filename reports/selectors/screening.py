"""Reading screening matches and runs (internal to the Secretariat and the Monitoring Team)."""

from __future__ import annotations

from django.db.models import QuerySet

from reports.models import MatchStatus, ScreeningMatch, ScreeningRun


def screening_matches(*, status: str = MatchStatus.CANDIDATE) -> QuerySet[ScreeningMatch]:
    """Matches of one status, best score first, with what the review page shows (constant queries)."""
    matches = ScreeningMatch.objects.select_related("entry", "decided_by", "snapshot")
    if status:
        matches = matches.filter(status=status)
    return matches.order_by("-score", "name_key", "entry__reference")


def screening_runs_latest(limit: int = 5) -> list[ScreeningRun]:
    return list(ScreeningRun.objects.select_related("snapshot", "requested_by")[:limit])


def screening_counts() -> dict[str, int]:
    counts = dict.fromkeys(MatchStatus.values, 0)
    for row in ScreeningMatch.objects.values_list("status", flat=True).order_by():
        counts[row] += 1
    return counts
