"""Token-based lookup of the gazetteer (``gazetteer_data``) in a span of text.

Why tokens and not one big regex: an alternation of hundreds of aliases is re-tried at every
character, while a dictionary keyed by the first token's stem costs one lookup per word,
which keeps the extractor linear on long inputs. A light stemmer (case-folding, possessive
's, and the commonest German/English inflection endings) makes "des Kremls", "Kreml" and
"Kremlin's" meet their aliases without an entry per form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from api.ingest.extract.gazetteer_data import COUNTRIES, ENTRIES

TOKEN: Final = re.compile(r"\w+(?:[-‐'’.&]\w+)*")
_SUFFIXES: Final = ("es", "en", "s", "n", "e")


@dataclass(frozen=True)
class Entry:
    """One known source: canonical name, kind and aliases."""

    name: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Token:
    """A word of the text with its span and stem."""

    text: str
    start: int
    end: int
    stem: str


@dataclass(frozen=True)
class Hit:
    """A gazetteer match: tokens ``first``..``last`` (inclusive) name ``entry``."""

    entry: Entry
    first: int
    last: int
    start: int
    end: int
    country: str | None = None


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """Lower-case and strip a possessive and up to two common inflection endings.

    ``lower()``, not ``casefold()``: a stem stays as long as the word it starts, so a prefix
    of the stem is also a prefix of the written word ("Außenamtssprecher").
    """
    low = word.lower()
    for poss in ("'s", "’s"):
        if low.endswith(poss):
            low = low[: -len(poss)]
    for _ in range(2):
        for suffix in _SUFFIXES:
            if low.endswith(suffix) and len(low) - len(suffix) >= 4:
                low = low[: -len(suffix)]
                break
        else:
            break
    return low


def tokens(text: str, start: int, end: int) -> list[Token]:
    """The words of ``text[start:end]`` with absolute offsets."""
    return [
        Token(m.group(), m.start(), m.end(), stem(m.group()))
        for m in TOKEN.finditer(text, start, end)
    ]


def _is_case_sensitive(alias: str) -> bool:
    """Short acronyms ("AP", "UN", "RT") must keep their case to avoid common words."""
    letters = [c for c in alias if c.isalpha()]
    return len(letters) <= 6 and sum(c.isupper() for c in letters) >= 2 and " " not in alias


_Pattern = tuple[tuple[str, ...], tuple[str, ...] | None, Entry]


def _build() -> dict[str, list[_Pattern]]:
    index: dict[str, list[_Pattern]] = {}
    for name, kind, aliases in ENTRIES:
        entry = Entry(name, kind, aliases)
        for alias in {name, *aliases}:
            words = [m.group() for m in TOKEN.finditer(alias)]
            stems = tuple(stem(w) for w in words)
            exact = tuple(words) if _is_case_sensitive(alias) else None
            index.setdefault(stems[0], []).append((stems, exact, entry))
    for patterns in index.values():
        patterns.sort(key=lambda p: -len(p[0]))
    return index


_INDEX: Final = _build()
_COUNTRY_OF: Final = {
    stem(word): country for country, words in COUNTRIES.items() for word in words.split()
}
GENERIC_OFFICES: Final = frozenset({"Foreign Ministry", "Defence Ministry"})
BY_NAME: Final = {name: Entry(name, kind, aliases) for name, kind, aliases in ENTRIES}


def find(toks: list[Token]) -> list[Hit]:
    """All non-overlapping gazetteer matches in ``toks``, longest first at each position."""
    hits: list[Hit] = []
    i = 0
    while i < len(toks):
        hit = _match_at(toks, i)
        if hit is None:
            i += 1
            continue
        hits.append(hit)
        i = hit.last + 1
    return hits


def _match_at(toks: list[Token], i: int) -> Hit | None:
    for stems, exact, entry in _INDEX.get(toks[i].stem, ()):
        n = len(stems)
        window = toks[i : i + n]
        if len(window) < n or tuple(t.stem for t in window) != stems:
            continue
        if (
            exact is not None
            and tuple(
                t.text.rstrip("'’s") if t.text.endswith(("'s", "’s")) else t.text for t in window
            )
            != exact
        ):
            continue
        country = None
        if entry.name in GENERIC_OFFICES and i > 0:
            country = _COUNTRY_OF.get(toks[i - 1].stem)
        first = i - 1 if country else i
        return Hit(entry, first, i + n - 1, toks[first].start, toks[i + n - 1].end, country)
    return None


def canonical(name: str) -> str | None:
    """The canonical name of a gazetteer entry that ``name`` names, else None."""
    toks = tokens(name, 0, len(name))
    if not toks:
        return None
    hit = _match_at(toks, 0)
    if hit is None or hit.last != len(toks) - 1:
        return None
    return qualified_name(hit)


def qualified_name(hit: Hit) -> str:
    """ "Foreign Ministry (Iran)" for a generic office with a country, else the name."""
    return f"{hit.entry.name} ({hit.country})" if hit.country else hit.entry.name
