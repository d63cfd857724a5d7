"""Names made comparable: one spelling for every way a State or the Council may write a name.

The rule (docs/screening.md says the same in prose):

1. Arabic script is first tidied *as Arabic* (harakat dropped; alef forms, alef maqsura and ta
   marbuta unified; the article "ال" dropped from the front of a word; "عبد"/"ابو" joined to the
   next word), then every script is transliterated to Latin by anyascii (Cyrillic keeps its
   vowels; Arabic has none, see `skeleton`).
2. Case is folded, diacritics and punctuation go, spaces collapse.
3. Particles: the article al/el/ul/il is dropped wherever it stands alone ("al-Anizi" and
   "al Anizi" -> "anizi"), its assimilated forms ad-/ar-/as-/at-/az-/an-/ash- only where written
   with a hyphen ("ar-Rahman" -> "rahman", "as" in "Trading as" stays); bin/ibn/ben/bint ("son
   of", "daughter of") are dropped; abd/abu (and abdul/abdel/abdal/abdur.., abou/abo) are joined
   to the next word, so "Abd al-Rahman", "Abdul Rahman", "Abdelrahman" and "Abdurrahman" all
   read "abdrahman" (modulo the last one's double r, which the scorer forgives) and "Abu Bakr"
   reads "abubakr": a kunya is one name, never a dropped prefix that would leave "Bakr" alone.
4. The commonest given names' spellings are folded to one (`_VARIANTS`: Mohamed, Mohammed ->
   muhammad; Hussein -> husayn ...).
5. Order does not matter: the scorer compares token sets, so `normalise` keeps the order it
   was given (it is shown to people) and `tokens` is the set view.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640\u06D6-\u06ED]")  # harakat, dagger alef, tatweel
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_ARABIC_WORD = re.compile(r"[\u0621-\u064A]+")

# Assimilated forms of the article count only when written as a prefix with a hyphen.
_HYPHEN_ARTICLE = re.compile(
    r"(?<![^\W\d_])(?:al|el|ul|il|ad|ar|as|at|az|an|ash|adh|ath|ud|ur|us|ed|er|es|et|ez|en)[-‐‑‒–—'’](?=\w)", re.IGNORECASE
)
_NOT_WORD = re.compile(r"[\W_]+")
_ARTICLES = frozenset({"al", "el", "ul", "il"})
_LINKS = frozenset({"bin", "ibn", "ben", "bint", "binti", "bnt"})
_ABU = frozenset({"abu", "abou", "abo", "abi"})
_ABD = frozenset({"abd", "abdul", "abdel", "abdal", "abdil", "abdol"})
# "abdulrahman", "abdelaziz", "abdurrahman": one written word that is abd + article + name.
_ABD_GLUED = re.compile(r"^abd(?:ul|el|al|il|ol|ur|ar|as|ash|un|an|ad|ud|us|ul)?(?=[a-z]{3,})")
_ABU_GLUED = re.compile(r"^ab(?:ou|u|o)(?=[a-z]{3,})")


# Spellings of the commonest given names folded to one: a State writing "Mohamed Ahmed" means
# the list's "Muhammad Ahmad". Only names, never a family name (those the scorer forgives).
_VARIANTS = {
    variant: canonical
    for canonical, variants in {
        "muhammad": "mohammed mohamed mohammad mohamad muhammed muhamad mohamud mohammud mehmet mukhammad",
        "ahmad": "ahmed ahmet",
        "hasan": "hassan hasson",
        "husayn": "hussein husain hussain husein hosein hossein huseyin",
        "mahmud": "mahmoud mahmood mahmut",
        "mustafa": "mostafa moustafa mustapha",
        "umar": "omar omer",
        "uthman": "othman osman usman",
        "yusuf": "youssef yousef yusef youssouf yousif",
        "khalid": "khaled",
        "salih": "saleh salah",
        "sulayman": "suleiman sulaiman soliman suleyman",
        "ibrahim": "ebrahim",
        "ismail": "ismael",
    }.items()
    for variant in variants.split()
}


def has_arabic(name: str) -> bool:
    return bool(_ARABIC.search(name))


def _arabic_word(word: str) -> str:
    """The article and the prepositions written onto it go: والجهاد -> جهاد, للتجارة -> تجارة."""
    for prefix, keep in (("وال", 2), ("بال", 2), ("فال", 2), ("كال", 2), ("لل", 2), ("ال", 2)):
        if word.startswith(prefix) and len(word) > len(prefix) + keep:
            return word[len(prefix) :]
    return word


def _arabic_tidy(name: str) -> str:
    text = _ARABIC_MARKS.sub("", name).translate(_ARABIC_LETTERS)
    text = _ARABIC_WORD.sub(lambda m: _arabic_word(m[0]), text)
    # Join abd / abu to the next word, as the Latin rule does.
    return re.sub(r"(?<!\S)(عبد|ابو|ابا|ابي)\s+(?=\S)", r"\1", text)


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """The comparable form of a name: Latin letters and digits, single spaces, particles resolved."""
    if not name:
        return ""
    text = name[:500]
    if has_arabic(text):
        text = _arabic_tidy(text)
    text = unicodedata.normalize("NFKC", text)
    text = anyascii(text)
    text = _HYPHEN_ARTICLE.sub(" ", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    raw = [t for t in _NOT_WORD.split(text) if t]
    out: list[str] = []
    join_next = False
    for token in raw:
        if token in _ARTICLES or token in _LINKS:
            continue
        if join_next and out:
            out[-1] += token
            join_next = False
            continue
        if token in _ABD:
            out.append("abd")
            join_next = True
            continue
        if token in _ABU:
            out.append("abu")
            join_next = True
            continue
        glued = _ABD_GLUED.match(token)
        if glued:
            token = "abd" + token[glued.end() :]
        else:
            glued = _ABU_GLUED.match(token)
            if glued:
                token = "abu" + token[glued.end() :]
        out.append(_VARIANTS.get(token, token))
    return " ".join(out)


def tokens(name: str) -> frozenset[str]:
    return frozenset(normalise(name).split())


_VOWELS = re.compile(r"[aiu]+")
_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("dh", "d"), ("ph", "f"), ("dj", "j"))
_SINGLES = str.maketrans({"q": "k", "c": "k", "x": "k", "v": "f", "p": "b", "e": "i", "o": "u", "y": "i", "w": "u"})
_DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=131072)
def fold_token(token: str) -> str:
    """Spelling variants folded, vowels kept as Arabic has them (a, i, u): "Kassem" and "Qasim" both
    give "kasim", "Jubouri" and "Juburi" "juburi", "Daoud" and "Dawud" "daud"."""
    text = token
    for digraph, single in _DIGRAPHS:
        text = text.replace(digraph, single)
    return _DOUBLES.sub(r"\1", text.translate(_SINGLES))


@lru_cache(maxsize=131072)
def skeleton_token(token: str) -> str:
    """Consonants only: what survives between Latin and unvocalised Arabic.

    "anizi" and Arabic "عنزي" (anyascii "`nzy") both give "nz"; "rahman" and "رحمن" give "rhmn".
    A token with no consonant keeps its first letter so it is never empty.
    """
    text = _DOUBLES.sub(r"\1", _VOWELS.sub("", fold_token(token)))
    return text or token[:1]


def skeleton(normalised: str) -> str:
    """The skeleton of every token of a normalised name, in order."""
    return " ".join(skeleton_token(t) for t in normalised.split())
