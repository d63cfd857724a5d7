"""How alike a reported name and a list name form are, 0 to 100 (rapidfuzz does the string work).

Names are compared word by word, whatever their order (docs/screening.md has the examples):

- **word likeness** `word_score`: half rapidfuzz `ratio` of the normalised words, half `ratio` of
  their consonant skeletons (`text.skeleton_token`), so "Jubouri"/"Juburi" and
  "Qahtani"/"Kahtani" are close; an initial ("Z.") is as good as any word it begins. When one name
  is in Arabic script and the other is not, only skeletons are compared (unvocalised Arabic has
  no vowels to compare).
- **alignment** `_align(a, b)`: each word of `a` takes its best word in `b`; the average is
  weighted by word length, with common words (frequent given names: `COMMON_NAMES`) at half
  weight and generic words ("Trading", "Company", "Oil": `GENERIC`) at a quarter.
- **the rule**: let S be the name with fewer words and m the number of its *distinctive* words
  (neither common nor generic) that find a partner (word score >= 80) in the other name.
  * m >= 2: the shorter name is trusted to be a subset of the longer one ("Abd al-Rahman
    al-Anizi" inside "ABD AL-RAHMAN KHALAF UBAYD JUDAY AL-ANIZI"): score = alignment of S into
    the other;
  * neither name has a distinctive word ("Mohamed Ahmed"): the lower of the two alignments, so a
    third common name makes another person;
  * otherwise the mean of the two alignments: words missing on either side cost.
  Then 10 points come off for every distinctive word of S without a partner ("Samir Fawzi
  Hamdan" is not "SAMIR FAWZI HADDAD").
- A Low-quality alias's score is multiplied by `LOW_QUALITY_WEIGHT`.
- A pair whose skeletons' rapidfuzz `token_set_ratio` is under `GATE` scores 0 without further
  work (the cheap check that keeps screening fast; it is part of the score's definition, so the
  brute-force oracle and the index agree).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from .text import fold_token, has_arabic, normalise, skeleton_token

DEFAULT_THRESHOLD = 85
LOW_QUALITY_WEIGHT = 0.9
TOKEN_MATCH = 80
UNMATCHED_PENALTY = 10
UNMATCHED_BELOW = 80
GATE = 65

# Given names many unrelated people share (canonical spellings: normalise folds the variants).
COMMON_NAMES = frozenset(
    normalise(w)
    for w in """muhammad ahmad ali hasan husayn mahmud mustafa umar uthman yusuf ibrahim ismail khalid
    abdlah salih sulayman""".split()
)
# Words that say what kind of body a party is, not which one (English, French, Arabic).
GENERIC = frozenset(
    normalise(w)
    for w in """trading trade traders company companies co corp corporation ltd limited llc inc sa sarl
    gmbh plc establishment est group holding holdings international general import export exchange
    services service money transfer oil petroleum gas shipping transport logistics construction
    contracting commercial commerce industries industrial enterprises enterprise foundation charity
    charitable organisation organization society association institute bank brigade brigades
    battalion front movement army office and for of the de la le des du et y wa wal
    شركة تجارة التجارة للتجارة العامة مؤسسة الخيرية خيرية للخدمات خدمات النفطية النفط نفط للشحن شحن
    مكتب الدولية دولية""".split()
)
_COMMON_SKELETONS = frozenset(skeleton_token(w) for w in COMMON_NAMES)
_GENERIC_SKELETONS = frozenset(skeleton_token(w) for w in GENERIC)

DISTINCTIVE, NAME, KIND = 1.0, 0.5, 0.1


@dataclass(frozen=True, slots=True)
class Prepared:
    """A name ready to be compared: computed once per name form, once per query."""

    norm: str
    skel: str
    words: tuple[str, ...]
    folds: tuple[str, ...]
    skels: tuple[str, ...]
    weights: tuple[float, ...]  # length x DISTINCTIVE / NAME / KIND
    distinctive: tuple[bool, ...]
    generic: tuple[bool, ...]
    arabic: bool
    low: bool = False

    @property
    def has_distinctive(self) -> bool:
        return any(self.distinctive)

    @property
    def dskel(self) -> str:
        return " ".join(s for s, d in zip(self.skels, self.distinctive, strict=True) if d)


def _kind(word: str, skel: str, arabic: bool) -> float:
    if arabic:  # unvocalised: judge by skeleton
        if skel in _GENERIC_SKELETONS:
            return KIND
        return NAME if skel in _COMMON_SKELETONS else DISTINCTIVE
    if word in GENERIC:
        return KIND
    return NAME if word in COMMON_NAMES else DISTINCTIVE


def prepare(name: str, *, low: bool = False) -> Prepared:
    norm = normalise(name)
    arabic = has_arabic(name)
    words = tuple(norm.split())
    skels = tuple(skeleton_token(w) for w in words)
    kinds = [_kind(w, s, arabic) for w, s in zip(words, skels, strict=True)]
    return Prepared(
        norm=norm,
        skel=" ".join(skels),
        words=words,
        folds=tuple(fold_token(w) for w in words),
        skels=skels,
        weights=tuple(len(w) * k for w, k in zip(words, kinds, strict=True)),
        distinctive=tuple(k == DISTINCTIVE for k in kinds),
        generic=tuple(k == KIND for k in kinds),
        arabic=arabic,
        low=low,
    )


@lru_cache(maxsize=1 << 18)
def word_score(a: str, a_skel: str, b: str, b_skel: str, mixed: bool) -> float:
    """Two words (folded spellings and their skeletons) alike, 0..100."""
    if mixed:  # a one-letter Arabic word is a word, never an initial
        return fuzz.ratio(a_skel, b_skel)
    if len(a) == 1 or len(b) == 1:  # an initial
        return 100.0 if a[0] == b[0] else 0.0
    return 0.5 * fuzz.ratio(a, b) + 0.5 * fuzz.ratio(a_skel, b_skel)


def _assign(a: Prepared, b: Prepared, mixed: bool) -> tuple[list[float], list[float]]:
    """Each word's partner score, one partner per word at most (greedy, best pairs first)."""
    bs = list(zip(b.folds, b.skels, strict=True))
    pairs = [
        (word_score(fa, sa, fb, sb, mixed), i, j)
        for i, (fa, sa) in enumerate(zip(a.folds, a.skels, strict=True))
        for j, (fb, sb) in enumerate(bs)
    ]
    pairs.sort(reverse=True)
    best_a = [0.0] * len(a.words)
    best_b = [0.0] * len(b.words)
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    for value, i, j in pairs:
        if i in taken_a or j in taken_b or value <= 0:
            continue
        best_a[i] = best_b[j] = value
        taken_a.add(i)
        taken_b.add(j)
    return best_a, best_b


def _weighted(best: list[float], weights: tuple[float, ...]) -> float:
    total = sum(weights)
    return sum(x * w for x, w in zip(best, weights, strict=True)) / total if total else 0.0


def score(query: Prepared, form: Prepared, cutoff: float = 0.0, *, gated: bool = False) -> float:
    """0..100 (one decimal); 0 as soon as the pair cannot reach `cutoff`.

    `gated`: the caller has already checked the GATE (the index does it for a batch in C)."""
    if not query.words or not form.words:
        return 0.0
    if not gated and not fuzz.token_set_ratio(query.skel, form.skel, score_cutoff=GATE):
        return 0.0
    mixed = query.arabic != form.arabic
    best_q, best_f = _assign(query, form, mixed)
    into_f = _weighted(best_q, query.weights)
    into_q = _weighted(best_f, form.weights)
    if len(query.words) <= len(form.words):
        short, best_s, long, best_l, into_other = query, best_q, form, best_f, into_f
    else:
        short, best_s, long, best_l, into_other = form, best_f, query, best_q, into_q
    matched = sum(1 for x, d in zip(best_s, short.distinctive, strict=True) if d and x >= TOKEN_MATCH)
    named = [x for x, g in zip(best_s, short.generic, strict=True) if not g]
    missing_s = sum(1 for x, d in zip(best_s, short.distinctive, strict=True) if d and x < UNMATCHED_BELOW)
    missing_l = sum(1 for x, d in zip(best_l, long.distinctive, strict=True) if d and x < UNMATCHED_BELOW)
    if matched >= 2 or (matched == 1 and len(named) >= 2 and min(named) >= TOKEN_MATCH):
        # The shorter name is inside the longer one (its non-generic words all found, or two
        # distinctive ones): what the longer one has besides costs nothing.
        raw = into_other - UNMATCHED_PENALTY * missing_s
    elif not query.has_distinctive and not form.has_distinctive:
        missing = sum(1 for x in best_q + best_f if x < TOKEN_MATCH)
        raw = min(into_f, into_q) - UNMATCHED_PENALTY * missing
    else:
        raw = (into_f + into_q) / 2 - UNMATCHED_PENALTY * missing_s - UNMATCHED_PENALTY / 2 * missing_l
    final = round(raw * (LOW_QUALITY_WEIGHT if form.low else 1.0), 1)
    return final if final >= cutoff and final > 0 else 0.0


def threshold() -> int:
    """The configured SCREENING_THRESHOLD (the matcher itself runs without Django, on DEFAULT_THRESHOLD)."""
    from django.conf import settings

    return int(getattr(settings, "SCREENING_THRESHOLD", DEFAULT_THRESHOLD))
