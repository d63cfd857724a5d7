"""Screening named parties against the ISIL (Da'esh) & Al-Qaida Sanctions List (issue 11, items 5-7).

The matcher (`normalise`, `scorer`, `index`) is plain Python on rapidfuzz and anyascii, with no
Django in it, so the benchmark and the tests can run it on any data; the services that store
matches and decisions live beside it. How it decides: docs/screening.md.
"""

from __future__ import annotations

from .index import EntryMatch, NameForm, ScreeningIndex
from .scorer import DEFAULT_THRESHOLD, LOW_QUALITY_WEIGHT, Prepared, prepare, score
from .text import normalise, skeleton

__all__ = [
    "DEFAULT_THRESHOLD",
    "LOW_QUALITY_WEIGHT",
    "EntryMatch",
    "NameForm",
    "Prepared",
    "ScreeningIndex",
    "normalise",
    "prepare",
    "score",
    "skeleton",
]
