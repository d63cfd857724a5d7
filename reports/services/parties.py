"""Named parties: parsing what States type and grouping mentions of the same party."""

from __future__ import annotations

import re
import unicodedata

from reports.models import LIST_REF_PATTERN, CulturalSeizure, OilInterdiction, PartyMention, ReportVersion

_LIST_REF = re.compile(LIST_REF_PATTERN.strip("^$"), re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def normalize_party_name(name: str) -> str:
    """Case, accents, punctuation and spacing do not make a different party."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]", " ", text.casefold())
    return _SPACES.sub(" ", text).strip()[:300]


def parse_parties(text: str) -> list[tuple[str, str]]:
    """One party a line, optionally followed by its Sanctions List reference: "Name; QDe.115"."""
    parties: list[tuple[str, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        ref = ""
        match = _LIST_REF.search(line)
        if match:
            ref = match.group(0)
            ref = "QD" + ref[2].lower() + ref[3:]
            line = (line[: match.start()] + line[match.end() :]).strip(" ;,-–()")
        name = line.strip()[:300] or ref
        if name:
            parties.append((name, ref))
    return parties


def party_mentions(*, version: ReportVersion, row: OilInterdiction | CulturalSeizure) -> list[PartyMention]:
    """The named-party register's rows (unsaved) for an interdiction or a seizure: one for each
    party its "parties involved" text names."""
    link = "interdiction" if isinstance(row, OilInterdiction) else "seizure"
    return [
        PartyMention(version=version, name=name, normalized_name=normalize_party_name(name), list_ref=ref, **{link: row})
        for name, ref in parse_parties(row.parties)
    ]
