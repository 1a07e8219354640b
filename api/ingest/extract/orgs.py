"""Organisations the gazetteer does not know, found by their head noun.

"die Reederei Hapag-Lloyd", "des Verbands Deutscher Reeder", "Das Bundesamt für Sicherheit
in der Informationstechnik (BSI)", "die russische Botschaft in Berlin", "the Ukrainian Air
Force", "die Zeitung „Die Welt“": a head noun says what kind of body it is; the words around
it say which. Why the naming rules: for agencies, outlets and companies the proper name
after the head is the name ("Kyodo", not "Nachrichtenagentur Kyodo"); for offices and
associations the head belongs to the name ("Verband Deutscher Reeder"); a genitive ending
is dropped so that "des Hamburger Senats" and "der Hamburger Senat" are one source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from api.ingest.extract.gazetteer import Token
from api.ingest.extract.gazetteer_data import country_of
from api.ingest.extract.lexicon import ARTICLES as _ARTICLES
from api.ingest.extract.lexicon import FUNCTION_WORDS
from api.ingest.extract.model import SourceMention
from api.ingest.extract.named_sources import Context, relocate
from api.ingest.extract.nouns import (
    ANAPHORIC_HEADS,
    CONNECTORS,
    DOCUMENT_HEADS,
    NAME_FOLLOWS,
    ORG_HEADS,
    STOP_CAPS,
    TEMPORAL_ADJECTIVES,
    TITLES_RAW,
)
from api.ingest.extract.orgnames import (
    acronym,
    capitalise,
    nominative,
    strong_adjectives,
    strong_plural,
)

_SUFFIX_HEADS: Final = frozenset(h for h in ORG_HEADS if len(h) >= 5 and " " not in h)
_SUFFIX_LENGTHS: Final = sorted({len(h) for h in _SUFFIX_HEADS}, reverse=True)
_QUOTED: Final = re.compile(r"\s*[„\"“»«‚']([^\"“”»«‘’]{1,60}?)[“\"”«»‘’']")
_DOC_KINDS: Final = frozenset(
    {
        "schätzung",
        "einschätzung",
        "studi",
        "study",
        "estimat",
        "assessment",
        "analys",
        "umfrag",
        "poll",
        "zählung",
    }
)
_LEGAL_FORMS: Final = frozenset({"ag", "gmbh", "inc", "corp", "ltd", "plc", "llc", "se", "kg"})
_DEFINITE: Final = frozenset({"der", "die", "das", "den", "dem", "des", "the"})
_GENITIVE_OPENERS: Final = frozenset({"für", "for", "of", "on", "zur", "zum", "der", "des"})


@dataclass(frozen=True)
class OrgCandidate:
    """An organisation found by its head. ``is_document`` marks weak candidates, which rank
    below named bodies: documents ("Schätzungen"), back-references and bare heads
    ("die Polizei", "the union")."""

    mention: SourceMention
    first: int
    is_document: bool


def head_kind(toks: list[Token], i: int) -> tuple[str, int] | None:
    """The kind of organisation named by the head at ``i`` and the head's last index."""
    if i + 1 < len(toks):
        two = f"{toks[i].stem} {toks[i + 1].stem}"
        if two in ORG_HEADS:
            return ORG_HEADS[two], i + 1
    word = toks[i].stem
    if word in ORG_HEADS and (
        len(word) >= 4 or toks[i].text.isupper() or toks[i].text[:1].isupper()
    ):
        return ORG_HEADS[word], i
    if not toks[i].text[:1].isupper():
        return None
    for n in _SUFFIX_LENGTHS:
        if len(word) > n and word[-n:] in _SUFFIX_HEADS:
            return ORG_HEADS[word[-n:]], i
    if word.endswith("amt") and len(word) > 5:  # Landratsamt, Gesundheitsamt
        return "GOVERNMENT", i
    return None


def head_candidates(
    text: str, toks: list[Token], covered: set[int], ctx: Context
) -> list[OrgCandidate]:
    """Every organisation named by a head noun in the region."""
    out: list[OrgCandidate] = []
    i = 0
    while i < len(toks):
        found = head_kind(toks, i) if i not in covered else None
        if found is None:
            i += 1
            continue
        kind, last = found
        cand = _build(text, toks, i, last, kind, covered, ctx)
        if cand is not None:
            out.append(cand)
        i = last + 1
    return out


def _build(
    text: str, toks: list[Token], first: int, last: int, kind: str, covered: set[int], ctx: Context
) -> OrgCandidate | None:
    head_stem = toks[last].stem
    if last + 1 in covered or first - 1 in covered:
        return None  # "Nachrichtenagentur Kyodo": the gazetteer names it
    is_doc = head_stem in DOCUMENT_HEADS or any(head_stem.endswith(d) for d in _DOC_KINDS)
    if head_stem in DOCUMENT_HEADS and last == len(toks) - 1 and first <= 1:
        return None  # "Berichten zufolge": a hedge, not a source
    quoted = _QUOTED.match(text, toks[last].end)
    if quoted and kind in NAME_FOLLOWS:
        name = quoted.group(1).strip()
        span_end = quoted.end()
    else:
        name, span_end = _name_around(text, toks, first, last, kind, covered)
    np_first = extend_left(toks, min(first, _modifiers_before(toks, first)))
    if name is None:
        found = ctx.by_head(head_stem, kind)
        if found is None:  # nothing to refer back to: the body by its kind ("Botschaft")
            head = nominative(toks, first, last, text)
            mention = SourceMention(
                capitalise(head),
                text[toks[np_first].start : toks[last].end],
                kind,
                start=toks[np_first].start,
                end=toks[last].end,
            )
            return OrgCandidate(mention, np_first, True)
        return OrgCandidate(
            relocate(found, text, toks[np_first].start, toks[last].end), np_first, True
        )
    aliases, span_end = acronym(text, span_end)
    mention = SourceMention(
        name=name,
        text=text[toks[np_first].start : span_end],
        kind=kind,
        aliases=aliases,
        start=toks[np_first].start,
        end=span_end,
    )
    bare = (
        " " not in name and name.casefold() == text[toks[first].start : toks[last].end].casefold()
    )
    if bare and head_stem in ANAPHORIC_HEADS:
        earlier = ctx.by_head(head_stem)  # "a senior ministry official": the ministry above
        if earlier is not None:
            mention = relocate(earlier, text, mention.start or 0, mention.end or 0)
    return OrgCandidate(mention, _name_first(toks, first, np_first), is_doc or bare)


def _name_first(toks: list[Token], first: int, np_first: int) -> int:
    return np_first if np_first < first else first


def _name_around(
    text: str, toks: list[Token], first: int, last: int, kind: str, covered: set[int]
) -> tuple[str | None, int]:
    """The organisation's name from the words after or before its head."""
    run_end = _run_after(text, toks, last, covered)
    head_text = nominative(toks, first, last, text)
    legal_form = toks[last].stem in _LEGAL_FORMS
    if run_end > last and not legal_form:
        run_text = text[toks[last + 1].start : toks[run_end].end]
        adjective_start = toks[last + 1].text.casefold().endswith(("er", "en", "es"))
        if (
            kind in NAME_FOLLOWS
            and not (adjective_start and run_end > last + 1)
            and toks[last + 1].text.casefold() not in CONNECTORS
        ):
            return run_text, toks[run_end].end
        return f"{head_text} {run_text}", toks[run_end].end
    before = _modifiers_before(toks, first)
    if before == first and _definite_only(toks, first) and toks[last].stem in ANAPHORIC_HEADS:
        return None, toks[last].end
    head_text = nominative(toks, before, last, text)[toks[first].start - toks[before].start :]
    words = strong_adjectives(
        text[toks[before].start : toks[first].start], toks, before, toks[last].text
    )
    words, country = _possessive_country(words)
    words += head_text
    if toks[last].text.islower():  # English generic heads: "health ministry" -> a name
        words = " ".join(w if w in FUNCTION_WORDS else capitalise(w) for w in words.split())
    end = toks[last].end
    place = _place_after(toks, last)
    if place is not None:
        words += text[toks[last].end : toks[place].end]
        end = toks[place].end
    name = capitalise(strong_plural(words))
    return (f"{name} ({country})" if country else name), end


def _possessive_country(words: str) -> tuple[str, str | None]:
    """ "Romania's health " -> ("health ", "Romania"): whose office it is."""
    first, _, rest = words.partition(" ")
    if first.endswith(("'s", "’s")):
        country = country_of(first[:-2])
        if country is not None:
            return rest, country
    return words, None


def _run_after(text: str, toks: list[Token], last: int, covered: set[int]) -> int:
    """Index of the last capitalised word of a proper name right after the head."""
    j = last
    while (
        j + 1 < len(toks)
        and j + 1 not in covered
        and not text[toks[j].end : toks[j + 1].start].strip()
    ):
        nxt = toks[j + 1]
        if nxt.text[:1].isupper() and nxt.text.casefold() not in STOP_CAPS:
            j += 1
            continue
        k = j + 1
        while k < len(toks) and k - j <= 2 and toks[k].text.casefold() in CONNECTORS:
            k += 1
        opens = j > last or nxt.text.casefold() in _GENITIVE_OPENERS
        if (
            k > j + 1
            and k < len(toks)
            and k not in covered
            and opens
            and toks[k].text[:1].isupper()
        ):
            j = k
            continue
        break
    return j


def _modifiers_before(toks: list[Token], first: int) -> int:
    """Adjectives and capitalised words before the head that belong to the name."""
    i = first
    while i > 0:
        prev = toks[i - 1]
        low = prev.text.casefold()
        if low in _ARTICLES or low in TEMPORAL_ADJECTIVES or prev.text[:1].isdigit():
            break
        if low in TITLES_RAW:
            break
        if (
            prev.text[:1].isupper()
            or low.endswith(("e", "en", "er", "es", "em"))
            or (prev.text.islower() and low.isalpha() and low not in FUNCTION_WORDS)
            or (low in {"und", "and", "&"} and i - 1 > 0 and toks[i - 2].text[:1].isupper())
        ):
            i -= 1
            continue
        break
    return i


def _definite_only(toks: list[Token], first: int) -> bool:
    """ "das Unternehmen", "the company": a reference back, not a name."""
    return first > 0 and toks[first - 1].text.casefold() in _DEFINITE


def _place_after(toks: list[Token], last: int) -> int | None:
    if (
        last + 2 < len(toks)
        and toks[last + 1].text in {"in", "at"}
        and toks[last + 2].text[:1].isupper()
    ):
        return last + 2
    return None


def extend_left(toks: list[Token], first: int) -> int:
    """Start of the noun phrase around a name: article, adjectives, heads before it."""
    i = first
    while i > 0:
        prev = toks[i - 1]
        low = prev.text.casefold()
        if low in _ARTICLES:
            return i - 1
        if (
            (low.endswith(("e", "en", "er", "es", "em")) and prev.text.islower())
            or head_kind(toks, i - 1) is not None
            or low in TEMPORAL_ADJECTIVES
        ):
            i -= 1
            continue
        break
    return i
