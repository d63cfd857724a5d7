"""The UN order of names: the Unicode Collation Algorithm (pyuca, the default DUCET table).

Byte order puts "Côte d'Ivoire" after "Czechia" and "Türkiye" after "Tuvalu"; the UCA compares
letters first and accents only to break ties, as the UN's lists do. `collation_key` turns the
UCA key into a string that sorts the same way byte by byte (and in PostgreSQL's collation,
since it is only upper-case hexadecimal digits), so it can be stored (MemberState.sort_key,
computed when the reference data are loaded) and ordered by in SQL.
"""

from __future__ import annotations

from functools import cache

from pyuca import Collator


@cache
def _collator() -> Collator:
    return Collator()  # reads the DUCET table once per process


def collation_key(text: str) -> str:
    """A string whose byte order is the UCA order of `text` (every weight as 4 hex digits)."""
    return "".join(f"{weight:04X}" for weight in _collator().sort_key(text or ""))


def un_sorted_key(text: str) -> tuple[int, ...]:
    """For sorting in Python: sorted(rows, key=lambda r: un_sorted_key(r.name))."""
    return tuple(_collator().sort_key(text or ""))
