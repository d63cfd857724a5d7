"""Suggestions while a delegate types a party's name: the closest Sanctions List entries.

Scores are rapidfuzz's token_set_ratio between normalised strings (order of name parts and
extra parts do not matter), over every name form of the entries the list in force carries
(name, original script, aliases). The name forms are held in process memory, keyed by the
current snapshot's id, so a new import is picked up at the next call (one query to learn it).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from reports.models import SanctionsName
from reports.selectors.sanctions import current_snapshot
from reports.services.sanctions_import import normalise_name

MIN_QUERY = 2
MIN_SCORE = 60


@dataclass(frozen=True)
class Suggestion:
    reference: str
    primary_name: str
    matched_name: str  # the name form that scored best
    matched_kind: str
    quality: str
    delisted: bool
    score: float


@dataclass
class _Names:
    snapshot_id: int
    normalised: list[str]
    rows: list[tuple[str, str, str, str, str, bool]]  # reference, primary, name, kind, quality, delisted


_cache: dict[int, _Names] = {}
_lock = threading.Lock()


def _names(snapshot_id: int) -> _Names:
    names = _cache.get(snapshot_id)
    if names is None:
        with _lock:
            rows = list(
                SanctionsName.objects.filter(entry__last_snapshot_id=snapshot_id)
                .order_by("entry__reference", "id")
                .values_list(
                    "normalised", "entry__reference", "entry__primary_name", "name", "kind", "quality", "entry__delisted_on"
                )
            )
            names = _Names(
                snapshot_id,
                [r[0] for r in rows],
                [
                    (ref, primary, name, kind, quality, delisted is not None)
                    for _n, ref, primary, name, kind, quality, delisted in rows
                ],
            )
            _cache.clear()  # only the list in force is kept
            _cache[snapshot_id] = names
    return names


def suggest(query: str, limit: int = 8) -> list[Suggestion]:
    """The `limit` entries whose best name form is closest to `query`, best first (one query when cached)."""
    needle = normalise_name(query[:300])
    if len(needle) < MIN_QUERY:
        return []
    snapshot = current_snapshot()
    if snapshot is None:
        return []
    names = _names(snapshot.pk)
    found = process.extract(
        needle, names.normalised, scorer=fuzz.token_set_ratio, processor=None, limit=limit * 6, score_cutoff=MIN_SCORE
    )
    # Ties (a common part such as "al" makes many 100s) go to the closest whole string.
    found.sort(key=lambda hit: (-hit[1], -fuzz.ratio(needle, hit[0]), hit[2]))
    best: dict[str, Suggestion] = {}
    for _normalised, score, index in found:
        ref, primary, name, kind, quality, delisted = names.rows[index]
        if ref not in best:
            best[ref] = Suggestion(ref, primary, name, kind, quality, delisted, round(score, 1))
        if len(best) == limit:
            break
    return list(best.values())
