"""Blocking: compare a name only with the list name forms that share a word (loosely) with it.

Every name form is filed under the consonant skeleton of each of its words and, for skeletons
of four letters or more, under each skeleton with one letter deleted (a SymSpell-style
neighbourhood: two words one edit apart share a key). A query looks up its own keys and scores
only the forms found there with `scorer.score`.

Common words (`scorer.COMMON`: Mohammed, Trading ...) would pull in half the list, so a query
with a distinctive word looks up its distinctive words only; the forms made of common words
only are kept in a second, small index that every query also consults by all its words; a
query of common words only looks them all up. A pair the scorer puts over the threshold shares
a key in practice: tests/screening/test_index.py checks that the index finds what a loop over
every pair finds.
"""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .scorer import DEFAULT_THRESHOLD, GATE, Prepared, prepare, score


@dataclass(frozen=True, slots=True)
class NameForm:
    """One way the list writes an entry's name (primary, original script or an alias)."""

    entry: Hashable
    form: Hashable
    name: str
    low: bool = False


@dataclass
class EntryMatch:
    entry: Hashable
    score: float
    forms: list[tuple[Hashable, str, float]] = field(default_factory=list)  # (form, name, score), best first


def _keys(word_skeleton: str) -> set[str]:
    keys = {word_skeleton}
    if len(word_skeleton) >= 4:
        keys.update(word_skeleton[:i] + word_skeleton[i + 1 :] for i in range(len(word_skeleton)))
    return keys


def _word_keys(prepared: Prepared, *, distinctive_only: bool) -> set[str]:
    """The keys of a name's words; one-letter skeletons ("Ali": "l") only when the name has nothing longer."""
    source = (prepared.dskel if distinctive_only else prepared.skel).split()
    longer = [w for w in source if len(w) > 1]
    keys: set[str] = set()
    for word in longer or source:
        keys |= _keys(word)
    return keys


class ScreeningIndex:
    def __init__(self, forms: Iterable[NameForm]) -> None:
        self.forms: list[NameForm] = []
        self.prepared: list[Prepared] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._common_only: dict[str, list[int]] = defaultdict(list)
        for form in forms:
            prepared = prepare(form.name, low=form.low)
            if not prepared.norm:
                continue
            i = len(self.forms)
            self.forms.append(form)
            self.prepared.append(prepared)
            keys: set[str] = set()
            for word in prepared.skel.split():
                keys |= _keys(word)
            for key in keys:
                self._postings[key].append(i)
                if not prepared.has_distinctive:
                    self._common_only[key].append(i)

    def __len__(self) -> int:
        return len(self.forms)

    def candidates(self, query: Prepared) -> set[int]:
        found: set[int] = set()
        if query.has_distinctive:
            for key in _word_keys(query, distinctive_only=True):
                found.update(self._postings.get(key, ()))
            for key in _word_keys(query, distinctive_only=False):
                found.update(self._common_only.get(key, ()))
        else:
            for key in _word_keys(query, distinctive_only=False):
                found.update(self._postings.get(key, ()))
        return found

    def match_prepared(self, query: Prepared, *, threshold: float = DEFAULT_THRESHOLD) -> list[EntryMatch]:
        by_entry: dict[Hashable, EntryMatch] = {}
        found = list(self.candidates(query))
        # The scorer's cheap gate, for the whole batch in one rapidfuzz call.
        gate = process.extract(
            query.skel, [self.prepared[i].skel for i in found], scorer=fuzz.token_set_ratio, score_cutoff=GATE, limit=None
        )
        for _, _, k in gate:
            i = found[k]
            s = score(query, self.prepared[i], threshold, gated=True)
            if not s:
                continue
            form = self.forms[i]
            match = by_entry.setdefault(form.entry, EntryMatch(entry=form.entry, score=0.0))
            match.forms.append((form.form, form.name, s))
            match.score = max(match.score, s)
        for match in by_entry.values():
            match.forms.sort(key=lambda f: (-f[2], str(f[1])))
        return sorted(by_entry.values(), key=lambda m: (-m.score, str(m.entry)))

    def match(self, name: str, *, threshold: float = DEFAULT_THRESHOLD) -> list[EntryMatch]:
        """The entries whose best name form scores at least `threshold` against `name`, best first."""
        return self.match_prepared(prepare(name), threshold=threshold)

    def match_many(
        self, names: Iterable[str], *, threshold: float = DEFAULT_THRESHOLD, workers: int = 1
    ) -> dict[str, list[EntryMatch]]:
        """Every distinct name once (States report the same party many times); names without a match are left out.

        `workers` > 1 forks that many processes (each inherits the index); not from inside a
        daemonic process such as a Celery prefork child, which may not have children.
        """
        distinct = list(dict.fromkeys(n for n in names if n))
        if workers > 1 and len(distinct) >= 2000:
            global _FORKED
            _FORKED = (self, threshold)
            chunks = [distinct[i :: workers * 4] for i in range(workers * 4)]
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                parts = pool.map(_match_chunk, chunks)
            _FORKED = None
            return {name: found for part in parts for name, found in part.items()}
        return self._match_distinct(distinct, threshold)

    def _match_distinct(self, names: list[str], threshold: float) -> dict[str, list[EntryMatch]]:
        by_norm: dict[tuple[str, bool], list[EntryMatch]] = {}
        out: dict[str, list[EntryMatch]] = {}
        for name in names:
            prepared = prepare(name)
            key = (prepared.norm, prepared.arabic)
            if key not in by_norm:
                by_norm[key] = self.match_prepared(prepared, threshold=threshold) if prepared.norm else []
            if by_norm[key]:
                out[name] = by_norm[key]
        return out


_FORKED: tuple[ScreeningIndex, float] | None = None


def _match_chunk(names: list[str]) -> dict[str, list[EntryMatch]]:
    assert _FORKED is not None
    index, threshold = _FORKED
    return index._match_distinct(names, threshold)
