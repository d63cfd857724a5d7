"""The complete catalogues stay complete: every message translated (all plural forms), none fuzzy,
the same named placeholders as the English, and the committed .mo compiled from the .po beside it.

Read without gettext or polib (neither is a dependency): a small parser for what makemessages writes.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

# Languages whose every message is translated. Add one here when its catalogue is finished.
COMPLETE = ["ar", "es", "fr", "ru", "zh_Hans"]

LOCALE = Path(settings.LOCALE_PATHS[0])
NAMED = re.compile(r"%\((\w+)\)[sd]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def _entries(path: Path) -> list[Entry]:
    """The live entries of a .po file (obsolete `#~` ones left out), header included."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] = ("msgid", 0)

    def append(key: tuple[str, int], text: str) -> None:
        assert current is not None
        name, index = key
        if name == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + text
        elif name == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + text
        else:
            setattr(current, name, getattr(current, name) + text)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and current.msgstr:  # a comment after msgstr opens the next entry
                entries.append(current)
                current = None
            if current is None:
                current = Entry(line=number)
            if line.startswith("#,"):
                current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            append(target, ast.literal_eval(line))
            continue
        if keyword in ("msgctxt", "msgid") and current is not None and current.msgstr:
            entries.append(current)
            current = None
        if current is None:
            current = Entry(line=number)
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        target = ("msgstr", int(match.group(1))) if match else (keyword, 0)
        if keyword == "msgstr":
            target = ("msgstr", 0)
        append(target, ast.literal_eval(rest))
    if current is not None:
        entries.append(current)
    return entries


def _catalogue(language: str) -> tuple[int, list[Entry]]:
    header, *messages = _entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert header.msgid == "", "the catalogue starts with its header"
    nplurals = re.search(r"nplurals=(\d+)", header.msgstr[0])
    assert nplurals, "the header declares Plural-Forms"
    return int(nplurals.group(1)), messages


def _where(entry: Entry) -> str:
    return f"line {entry.line}: {entry.msgid[:70]!r}"


@pytest.mark.parametrize("language", COMPLETE)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    nplurals, messages = _catalogue(language)
    assert len(messages) > 800  # the parser read the whole catalogue
    fuzzy = [_where(e) for e in messages if "fuzzy" in e.flags]
    expected_forms = set(range(nplurals))
    untranslated = [
        _where(e)
        for e in messages
        if (set(e.msgstr) != (expected_forms if e.msgid_plural else {0})) or not all(e.msgstr.values())
    ]
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy: {fuzzy[:10]}"
    assert not untranslated, f"{language}: {len(untranslated)} untranslated: {untranslated[:10]}"


@pytest.mark.parametrize("language", COMPLETE)
def test_translations_keep_the_named_placeholders(language: str) -> None:
    """`%(name)s` spelled differently in a translation raises KeyError when the page renders."""
    _, messages = _catalogue(language)
    wrong = []
    for e in messages:
        singular, plural = set(NAMED.findall(e.msgid)), set(NAMED.findall(e.msgid_plural))
        for index, text in e.msgstr.items():
            used = set(NAMED.findall(text))
            # A plural form may leave out what only the plural English has ("tomorrow" for 1 day).
            allowed = singular | plural
            if not used <= allowed or not (singular if e.msgid_plural else allowed) <= used:
                wrong.append(f"{_where(e)}[{index}] uses {sorted(used)}, English {sorted(allowed)}")
    assert not wrong, f"{language}: {wrong}"


@pytest.mark.parametrize("language", COMPLETE)
def test_committed_mo_is_compiled_from_the_po(language: str) -> None:
    """A .po edited without compilemessages would leave the portal showing the old text."""
    _, messages = _catalogue(language)
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    stale = []
    for e in messages:
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt is not None else e.msgid
        if e.msgid_plural:
            forms = {index: compiled.get((key, index)) for index in e.msgstr}
            if forms != e.msgstr:
                stale.append(_where(e))
        elif compiled.get(key) != e.msgstr[0]:
            stale.append(_where(e))
    assert not stale, f"{language}: run `manage.py compilemessages -l {language}`; differs: {stale[:10]}"
