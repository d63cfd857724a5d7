"""Reads of the ISIL (Da'esh) & Al-Qaida Sanctions List: the current snapshot, entries, names, changes.

"Listed" has one definition, here: the entry is carried by the current snapshot and has no
DELISTED_ON. An entry missing from the current snapshot was removed from the list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from reports.models import SanctionsChange, SanctionsEntry, SanctionsName, SanctionsSnapshot


def current_snapshot() -> SanctionsSnapshot | None:
    """The snapshot in force (None before the first import)."""
    return SanctionsSnapshot.current()


class ListStatus(StrEnum):
    LISTED = "listed"
    DELISTED = "delisted"  # DELISTED_ON set in the current snapshot
    REMOVED = "removed"  # no longer in the list at all
    UNKNOWN = "unknown"  # never in any imported snapshot


def listed_q(snapshot: SanctionsSnapshot) -> Q:
    return Q(last_snapshot=snapshot, delisted_on__isnull=True)


def entry_status(entry: SanctionsEntry, snapshot: SanctionsSnapshot | None) -> ListStatus:
    if snapshot is None or entry.last_snapshot_id != snapshot.pk:
        return ListStatus.REMOVED
    return ListStatus.DELISTED if entry.delisted_on is not None else ListStatus.LISTED


@dataclass
class RefCheck:
    """What the current list says of a reference typed in a report."""

    reference: str
    status: ListStatus
    entry: SanctionsEntry | None = None


def list_refs_check(references: Iterable[str]) -> dict[str, RefCheck] | None:
    """Each reference's status in the current snapshot, in one query; None when no list was imported."""
    snapshot = current_snapshot()
    if snapshot is None:
        return None
    refs = {r for r in references if r}
    found = {e.reference: e for e in SanctionsEntry.objects.filter(reference__in=refs)} if refs else {}
    return {
        ref: RefCheck(ref, entry_status(found[ref], snapshot), found[ref]) if ref in found else RefCheck(ref, ListStatus.UNKNOWN)
        for ref in refs
    }


def entries_search(*, query: str = "", status: str = "") -> QuerySet[SanctionsEntry]:
    """Entries whose reference or any name form matches `query` (normalised "contains"), newest list first.

    `status` is "" (all), "listed" or "not_listed". The page costs a count and a page of rows.
    """
    from reports.services.sanctions_import import normalise_name

    snapshot = current_snapshot()
    entries = SanctionsEntry.objects.select_related("last_snapshot").order_by("reference")
    query = query.strip()
    if query:
        needle = normalise_name(query)
        matches = Q(reference__istartswith=query) if len(query) >= 3 else Q(pk__in=[])
        if needle:
            matches = matches | Q(Exists(SanctionsName.objects.filter(entry=OuterRef("pk"), normalised__contains=needle)))
        entries = entries.filter(matches)
    if status and snapshot is not None:
        entries = entries.filter(listed_q(snapshot)) if status == "listed" else entries.exclude(listed_q(snapshot))
    return entries


def entry_detail(reference: str) -> SanctionsEntry | None:
    """One entry with its name forms and its history (changes with their snapshots): three queries."""
    return (
        SanctionsEntry.objects.select_related("first_snapshot", "last_snapshot")
        .prefetch_related(
            Prefetch("names", queryset=SanctionsName.objects.order_by("id")),
            Prefetch("changes", queryset=SanctionsChange.objects.select_related("snapshot").order_by("-snapshot__imported_at")),
        )
        .filter(reference=reference)
        .first()
    )


@dataclass
class SnapshotChanges:
    snapshot: SanctionsSnapshot
    by_kind: dict[str, list[SanctionsChange]] = field(default_factory=dict)


def snapshots_with_changes(snapshots: list[SanctionsSnapshot]) -> list[SnapshotChanges]:
    """The given snapshots, each with its changes grouped by kind (added, amended, delisted, relisted): one query."""
    grouped: dict[int, dict[str, list[SanctionsChange]]] = defaultdict(lambda: defaultdict(list))
    changes = (
        SanctionsChange.objects.filter(snapshot__in=snapshots)
        .select_related("entry")
        .only("snapshot_id", "change", "detail", "entry__reference", "entry__primary_name", "entry__kind")
        .order_by("entry__reference")
    )
    for change in changes:
        grouped[change.snapshot_id][change.change].append(change)
    order = ["added", "amended", "delisted", "relisted"]
    return [SnapshotChanges(s, {kind: grouped[s.pk][kind] for kind in order if grouped[s.pk].get(kind)}) for s in snapshots]


class RefLookup:
    """Statuses of references in the current snapshot, loaded once (two queries) on first use.

    One per request: the editor shares it between a page's forms, validation between every row.
    `status(ref)` is None when no list was ever imported: then nothing is checked (nor blocked).
    """

    def __init__(self) -> None:
        self._loaded = False
        self.snapshot: SanctionsSnapshot | None = None
        self._statuses: dict[str, ListStatus] = {}

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        self.snapshot = current_snapshot()
        if self.snapshot is None:
            return
        current = self.snapshot.pk
        for reference, last, delisted in SanctionsEntry.objects.values_list("reference", "last_snapshot_id", "delisted_on"):
            if last != current:
                self._statuses[reference] = ListStatus.REMOVED
            else:
                self._statuses[reference] = ListStatus.DELISTED if delisted else ListStatus.LISTED

    @property
    def active(self) -> bool:
        """Whether a list was imported (references are checked)."""
        self._load()
        return self.snapshot is not None

    def status(self, reference: str) -> ListStatus | None:
        if not reference:
            return None
        self._load()
        if self.snapshot is None:
            return None
        return self._statuses.get(reference, ListStatus.UNKNOWN)
