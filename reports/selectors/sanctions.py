"""Reads of the ISIL (Da'esh) & Al-Qaida Sanctions List: the current snapshot, entries, names, changes."""

from __future__ import annotations

from reports.models import SanctionsSnapshot


def current_snapshot() -> SanctionsSnapshot | None:
    """The snapshot in force (None before the first import)."""
    return SanctionsSnapshot.current()
