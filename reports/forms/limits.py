"""Text longer than its field allows: found before saving, so it is refused, never cut."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms


@dataclass(frozen=True)
class TooLong:
    key: str  # the input's name in the form, e.g. "oil-3-narrative"
    label: str
    length: int
    limit: int


def values_too_long(bound_forms: Iterable[forms.BaseForm]) -> list[TooLong]:
    """Every posted value longer than its field's max_length (counted as the field counts: stripped)."""
    found: list[TooLong] = []
    for form in bound_forms:
        if not form.is_bound:
            continue
        for name, field in form.fields.items():
            limit = getattr(field, "max_length", None)
            if not limit:
                continue
            key = form.add_prefix(name)
            value = form.data.get(key)
            if isinstance(value, str):
                length = len(value.strip() if getattr(field, "strip", True) else value)
                if length > limit:
                    found.append(TooLong(key=key, label=str(field.label or name), length=length, limit=int(limit)))
    return found
