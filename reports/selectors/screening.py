"""Reading screening matches and runs (internal to the Secretariat and the Monitoring Team)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet

from reports.models import MatchStatus, ScreeningMatch, ScreeningRun, User
from reports.models.i18n import pick


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


@dataclass(frozen=True)
class Reporter:
    """A report whose current version names a screened party: the drill-down of a match."""

    report_id: int
    iso3: str
    state: str
    cycle: str  # the code
    cycle_label: str  # in the reader's language


def screening_reporters(*, user: User | AnonymousUser, name_keys: Iterable[str]) -> dict[str, list[Reporter]]:
    """For each normalised name, the reports (current versions `user` may read) that name it, in UN
    order of their State then by cycle. One query whatever the number of names."""
    from reports.selectors.noncompliance import mentions_visible

    keys = set(name_keys)
    if not keys:
        return {}
    found: dict[str, dict[int, Reporter]] = defaultdict(dict)
    rows = (
        mentions_visible(user)
        .filter(normalized_name__in=keys)
        .values_list(
            "normalized_name",
            "version__report_id",
            "version__report__state__iso3",
            "version__report__state__name",
            "version__report__state__names",
            "version__report__cycle__code",
            "version__report__cycle__label",
            "version__report__state__sort_key",
        )
        .order_by("version__report__state__sort_key", "version__report__cycle__opens", "version__report_id")
    )
    for key, report_id, iso3, name, names, cycle, label, _sort in rows:
        found[key].setdefault(report_id, Reporter(report_id, iso3, pick(names) or name, cycle, pick(label) or cycle))
    return {key: list(by_report.values()) for key, by_report in found.items()}


def screening_reporters_attach(*, user: User | AnonymousUser, matches: Iterable[ScreeningMatch]) -> list[ScreeningMatch]:
    """The page's (or the API's) matches, each with `reporters`: the drill-down to the reports that
    name the party (screening_reporters, one query for the whole page)."""
    matches = list(matches)
    reporters = screening_reporters(user=user, name_keys=(m.name_key for m in matches))
    for match in matches:
        match.reporters = reporters.get(match.name_key, [])  # type: ignore[attr-defined]
    return matches
