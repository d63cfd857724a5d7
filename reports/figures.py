"""Figures as UN documents print them, on pages and in PDFs alike."""

from __future__ import annotations

from decimal import Decimal


def number(value: Decimal | int | None) -> str:
    """A figure with thousands separated by a narrow space, as UN documents print them.

    The no-break one (U+202F, not the thin space U+2009): a figure never breaks across lines,
    and, a separator to the bidi algorithm, it keeps "1 500" in order in Arabic ("500 1" else).
    """
    if value is None:
        return "—"
    value = Decimal(value)
    text = f"{value:,.0f}" if value == value.to_integral() else f"{value.normalize():,f}"
    return text.replace(",", "\u202f")
