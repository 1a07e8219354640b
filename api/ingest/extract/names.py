"""Person names, anonymous groups and countries in a source region.

Why these heuristics: German capitalises every noun, so a capitalised word is no name by
itself. A name here is a run of two to four capitalised words, none of which is a title,
an organisation head, a generic noun or a gazetteer word ("Wladimir Putin", "Jack Watling",
"Kim Jong Un"); a single word counts only as a back-reference to a name seen before, or
when it stands alone beside a reporting verb ("Peskow sagte").
"""

from __future__ import annotations

import re
from typing import Final

from api.ingest.extract.gazetteer import BY_NAME, Token, stem
from api.ingest.extract.gazetteer_data import COUNTRIES
from api.ingest.extract.lexicon import MONTHS
from api.ingest.extract.model import SourceMention
from api.ingest.extract.nouns import (
    ANON_HEADS,
    ANON_MARKERS,
    ANON_SUFFIXES,
    LEADING_DETERMINERS,
    NAME_PARTICLES,
    ORG_HEADS,
    STOP_CAPS,
    TITLE_SUFFIXES,
    TITLES,
)

_STOP_STEMS: Final = frozenset(stem(w) for w in STOP_CAPS) | frozenset(STOP_CAPS)
_TITLE_SUFFIX_STEMS: Final = tuple(sorted({stem(s) for s in TITLE_SUFFIXES}, key=len, reverse=True))
_COUNTRY: Final = {stem(w): c for c, words in COUNTRIES.items() for w in words.split()}
_GOVERNMENT_NAMES: Final = {"Germany": "German government", "United Kingdom": "British government"}
_FRAME_WORDS: Final = re.compile(
    r"(?:es\s+)?(?:(?:in|aus|mit|laut|gemäß|in a|in an|in its|in his|in her|from|by|with)\s+)?"
    r"(?:(?:einer|einem|der|dem|seiner|ihrer|a|an|the|its|his|her|their)\s+)?"
    r"(?:(?:schriftlichen|offiziellen|gemeinsamen|written|joint|official)\s+)?"
    r"(?:Mitteilung|Erklärung|Stellungnahme|Pressemitteilung|Presseerklärung|Interview|"
    r"statement|press release|interview|post|report)\s*(?:(?:von|of|from|by)\s+)?",
    re.IGNORECASE,
)
_TRAILING_NOISE: Final = re.compile(
    r"(?:[\s,]+(?:am|an|on|last|this|earlier|later|heute|gestern|zuvor|bereits|erneut|"
    r"ebenfalls|also|auch|again)(?:\s+(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|"
    r"Sonntag|Wochenende|Abend|Morgen|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|week|Woche|month|Monat|weekend|night|evening|morning))?"
    r"|[\s,]+(?:in|bei) (?:einer|einem) (?:\w+ )?(?:Erklärung|Mitteilung|Interview|"
    r"Pressekonferenz)|[\s,]+in an? (?:\w+ )?(?:statement|interview|briefing|post)"
    r"|[\s,]+(?:reporters|journalists|told reporters))+\s*$",
    re.IGNORECASE,
)


def trim_region(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop frame words around the source phrase ("es in einer Mitteilung des …")."""
    while start < end and (text[start].isspace() or text[start] in ",;:–—-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.–—-"):
        end -= 1
    framed = _FRAME_WORDS.match(text, start, end)
    if framed and framed.end() > start:
        start = framed.end()
    noise = _TRAILING_NOISE.search(text, start, end)
    if noise and noise.start() > start:
        end = noise.start()
    return start, end


def is_name_token(tok: Token) -> bool:
    """Could ``tok`` be part of a personal name?"""
    word = tok.text
    if (
        not word[:1].isupper()
        or word.isupper()
        or not word.replace("-", "").isalpha()
        or word.casefold() in STOP_CAPS
    ):
        return False
    return not (
        tok.stem in _STOP_STEMS
        or word.casefold() in STOP_CAPS
        or tok.stem in TITLES
        or title_prefix(tok) is not None
        or is_org_head(tok.stem)
        or tok.stem in ANON_HEADS
        or tok.stem in _COUNTRY
        or (word.casefold() in MONTHS and len(word) > 4)
        or word in BY_NAME
    )


_SUFFIX_HEADS: Final = frozenset(h for h in ORG_HEADS if len(h) >= 5 and " " not in h)
_SUFFIX_LENGTHS: Final = sorted({len(h) for h in _SUFFIX_HEADS}, reverse=True)


def is_org_head(word_stem: str) -> bool:
    """A stem that names a kind of organisation ("ministerium", "digitalverband")."""
    if word_stem in ORG_HEADS:
        return True
    return any(len(word_stem) > n and word_stem[-n:] in _SUFFIX_HEADS for n in _SUFFIX_LENGTHS)


def title_prefix(tok: Token) -> str | None:
    """The organisation stem of a compound title: "Kremlsprecher" -> "kreml",
    "GDV-Hauptgeschäftsführerin" -> "gdv"."""
    head, dash, last = tok.text.rpartition("-")
    if dash and head and (stem(last) in TITLES or _ends_with_title(stem(last))):
        return stem(head)
    for suffix in _TITLE_SUFFIX_STEMS:
        if tok.stem.endswith(suffix) and len(tok.stem) > len(suffix) + 2:
            prefix = tok.stem[: -len(suffix)].rstrip("-")
            return prefix[:-1] if prefix.endswith("s") and len(prefix) > 4 else prefix
    return None


def prefix_text(tok: Token, prefix: str) -> str:
    """The written form of a title's prefix ("Bahnsprechers" -> "Bahn")."""
    return tok.text[: len(prefix)]


def _ends_with_title(word_stem: str) -> bool:
    return any(word_stem.endswith(s) for s in _TITLE_SUFFIX_STEMS)


def person_runs(toks: list[Token], text: str, covered: set[int]) -> list[tuple[int, int]]:
    """Token index ranges (inclusive) of runs that look like personal names."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        if i in covered or not is_name_token(toks[i]):
            i += 1
            continue
        j = i
        while j + 1 < len(toks) and _adjacent(text, toks[j], toks[j + 1]) and j + 1 not in covered:
            nxt = toks[j + 1]
            if is_name_token(nxt):
                j += 1
            elif nxt.text in NAME_PARTICLES and j + 2 < len(toks) and is_name_token(toks[j + 2]):
                j += 2
            else:
                break
        if 2 <= j - i + 1 <= 4 and not _org_follows(toks, j):
            runs.append((i, j))
        i = j + 1
    return runs


def _adjacent(text: str, a: Token, b: Token) -> bool:
    return not text[a.end : b.start].strip()


def _org_follows(toks: list[Token], j: int) -> bool:
    """ "Hamburger Hafen und Logistik AG": the run is part of an organisation's name."""
    for k in range(j + 1, min(len(toks), j + 4)):
        if is_org_head(toks[k].stem) and toks[k].text[:1].isupper():
            return True
        if toks[k].text.islower() and toks[k].text not in {"und", "and", "&"}:
            return False
    return False


def anonymous_candidate(text: str, toks: list[Token]) -> tuple[SourceMention, int] | None:
    """An unnamed group: "ungenannte Quellen", "officials familiar with the matter"."""
    head = next((i for i, t in enumerate(toks) if _is_anon_head(t)), None)
    if head is None:
        return None
    first = head
    while first > 0 and _group_modifier(text, toks[first - 1], toks[first]):
        first -= 1
    last = _group_end(toks, head)
    start, end = toks[first].start, toks[last].end
    name = text[start:end]
    name = name[:1].upper() + name[1:]
    return SourceMention(
        name=name, text=text[toks[0].start : end], kind="ANONYMOUS", start=toks[0].start, end=end
    ), first


_ARTICLES: Final = frozenset(
    {
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "eines",
        "the",
        "a",
        "an",
    }
)


def _group_end(toks: list[Token], head: int) -> int:
    """Last word of an unnamed group: its modifiers ("familiar with the matter", "in Kyiv"),
    not a recipient that follows without a preposition ("… dem Bayerischen Rundfunk")."""
    last = head
    for i in range(head + 1, len(toks)):
        if (
            toks[i].text.casefold() in _ARTICLES
            and toks[i - 1].text.casefold() not in _PREPOSITIONS
        ):
            break
        last = i
    return last


_PREPOSITIONS: Final = frozenset(
    {
        "in",
        "im",
        "aus",
        "von",
        "vom",
        "mit",
        "bei",
        "beim",
        "with",
        "of",
        "from",
        "at",
        "close",
        "to",
        "near",
        "within",
        "inside",
        "um",
        "an",
        "am",
        "auf",
        "nahe",
    }
)


def _group_modifier(text: str, tok: Token, nxt: Token) -> bool:
    """Words that belong to an unnamed group's name before its noun ("ungenannte", "U.S.",
    "Health"), not determiners, numbers or the words of another phrase."""
    low = tok.text.casefold()
    if (
        text[tok.end : nxt.start].strip(" .")
        or low in LEADING_DETERMINERS
        or tok.text[:1].isdigit()
    ):
        return False
    return tok.text[:1].isupper() or tok.stem in ANON_MARKERS or low.endswith(_ADJ_ENDINGS)


_ADJ_ENDINGS: Final = ("e", "en", "er", "es", "em")


def _is_anon_head(tok: Token) -> bool:
    if tok.stem in ANON_HEADS:
        return True
    return any(tok.stem.endswith(s) and len(tok.stem) > len(s) + 3 for s in ANON_SUFFIXES)


def country_government(tok: Token) -> SourceMention | None:
    """ "Germany announced", "Moskau erklärte": a country or capital speaks as its government."""
    country = _COUNTRY.get(tok.stem)
    if country is None or not tok.text[:1].isupper():
        return None
    name = _GOVERNMENT_NAMES.get(country, country)
    aliases = (country,) if name != country else ()
    return SourceMention(name=name, text=tok.text, kind="GOVERNMENT", aliases=aliases)
