"""Reading screening matches and runs (internal to the Secretariat and the Monitoring Team)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from reports.models import MatchStatus, ScreeningMatch, ScreeningRun


def screening_matches(
    *, status: str = MatchStatus.CANDIDATE, entry: str = "", listed_after_report: bool | None = None
) -> QuerySet[ScreeningMatch]:
    """Matches of one status (blank: every status), best score first, with what the review page and
    the API show (constant queries). `entry` narrows to one list reference (case as the list has it)."""
    matches = ScreeningMatch.objects.select_related("entry", "decided_by", "snapshot")
    if status:
        matches = matches.filter(status=status)
    if entry:
        matches = matches.filter(entry__reference__iexact=entry)
    if listed_after_report is not None:
        matches = matches.filter(listed_after_report=listed_after_report)
    return matches.order_by("-score", "name_key", "entry__reference")


def screening_runs_latest(limit: int = 5) -> list[ScreeningRun]:
    return list(ScreeningRun.objects.select_related("snapshot", "requested_by")[:limit])


def screening_counts(*, entry: str = "") -> dict[str, int]:
    """Matches per status (the page's tabs), of one list entry when `entry` is given."""
    counts = dict.fromkeys(MatchStatus.values, 0)
    matches = ScreeningMatch.objects.all()
    if entry:
        matches = matches.filter(entry__reference__iexact=entry)
    for row in matches.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    return counts
