"""Break opportunities in long unbroken text, so the PDF renderer can wrap it cheaply.

`overflow-wrap: anywhere` let WeasyPrint break a word anywhere, but made every character a
break opportunity when it measured a table column's narrowest width: layout time grew with
the square of a text's length (a 20,000-character narrative kept a worker busy for 30
minutes). The stylesheet now wraps with `overflow-wrap: break-word`, which costs nothing
until a word overflows, and this filter gives a word longer than LONG characters a `<wbr>`
(a line break opportunity that prints nothing) every EVERY characters. A `<wbr>` rather than a
zero-width space in the text: WeasyPrint measures a text run's narrowest width by laying out
the rest of the run once per break it finds, and only a run without a space is long, so a
20,000-character string with zero-width spaces still took 7 CPU-seconds; cut into runs by
elements it takes 1 (bench/pdf_text.py). Ordinary words are left as they are; a combining mark
or joiner is never parted from the character before it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeData, SafeString, mark_safe

register = template.Library()

LONG = 30
EVERY = 20
_LONG_TOKEN = re.compile(rf"\S{{{LONG + 1},}}")
BREAK = "<wbr>"
_JOINERS = {"\u200c", "\u200d", "\u2060"}


def _splittable(previous: str, following: str) -> bool:
    return not (
        unicodedata.category(following).startswith("M")
        or following in _JOINERS
        or previous in _JOINERS
        or "\ufe00" <= following <= "\ufe0f"
        or "\udc00" <= following <= "\udfff"
    )


def _break_token(token: str) -> list[str]:
    pieces, start = [], 0
    for index in range(EVERY, len(token), 1):
        if index - start >= EVERY and _splittable(token[index - 1], token[index]):
            pieces.append(token[start:index])
            start = index
    pieces.append(token[start:])
    return pieces


def break_long_words(text: str) -> SafeString:
    """The text escaped for HTML, with a <wbr> every EVERY characters in words longer than LONG."""
    out: list[str] = []
    position = 0
    for match in _LONG_TOKEN.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(BREAK.join(escape(piece) for piece in _break_token(match.group(0))))
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece of the text went through escape())


@register.filter
def breakable(value: Any) -> Any:
    """Typed text in, safe HTML out: apply it first (before linebreaksbr, isolate). Markup that is
    already safe is returned as it is (a <wbr> must not land inside a tag or an entity)."""
    if value in (None, "") or isinstance(value, SafeData):
        return value
    return break_long_words(str(value))
