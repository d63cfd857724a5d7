"""Text from another script kept whole in a right-to-left document (the Arabic PDFs).

Also called from Python where markup cannot go: the PDF running head is a CSS string.

WeasyPrint lays out a cell or a line by the Unicode bidi algorithm: "Act No. 88/2023, art. 23"
in an Arabic table printed its comma at the wrong end, and a reference broken over two lines
moved its hyphen. Isolate marks (U+2066/U+2068 ... U+2069) make such a piece a unit of its own.
They are added only when the active language is written right to left; elsewhere the text is
returned as it is.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language_bidi

register = template.Library()

LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"


def _wrap(value: Any, opening: str, *, keep_together: bool = False) -> Any:
    if value in (None, "") or not get_language_bidi():
        return value
    text = str(value).replace(" ", "\u00a0") if keep_together else value
    return f"{opening}{text}{PDI}"


@register.filter(is_safe=True)
def ltr(value: Any) -> Any:
    """A code or reference that always reads left to right (S/AC.37/2025/FRA/..., OP 1(a)), on one
    line: a line break inside an isolate let the next line run right to left again ("(a)1")."""
    return _wrap(value, LRI, keep_together=True)


@register.filter(is_safe=True)
def isolate(value: Any) -> Any:
    """Text a State or an officer typed, in whatever script: its own first letter sets its direction."""
    return _wrap(value, FSI)
