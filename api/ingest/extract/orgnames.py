"""How an organisation named by its head noun is written as a name, and whom a person
speaks for.

German names lose their article and take the strong adjective ending ("Der Deutsche
Wetterdienst" -> "Deutscher Wetterdienst"), and a genitive ending goes ("des Hamburger Senats"
-> "Hamburger Senat"), so that one source keeps one name however the sentence inflects it.
"""

from __future__ import annotations

import re
from typing import Final

from api.ingest.extract.gazetteer import Token
from api.ingest.extract.model import SourceMention

AFFILIATION_PREPS: Final = frozenset(
    {
        "am",
        "an",
        "beim",
        "bei",
        "at",
        "of",
        "from",
        "with",
        "des",
        "der",
        "für",
        "for",
        "vom",
        "von",
    }
)
_ACRONYM: Final = re.compile(r"\s*\(([A-ZÄÖÜ][A-Za-zÄÖÜ\-]{1,9})\)")


def nominative(toks: list[Token], first: int, last: int, text: str) -> str:
    """The words as a name: genitive -s/-es dropped after "des"/"eines"."""
    words = text[toks[first].start : toks[last].end]
    article = toks[first - 1].text.casefold() if first > 0 else ""
    if article in {"des", "eines"} and words.endswith("s") and len(words) > 5:
        if words.endswith("es") and words[-3] not in "aeiouäöü":
            return words[:-2]
        return words[:-1]
    return words


def strong_adjectives(words: str, toks: list[Token], before: int, head: str) -> str:
    """ "Der Deutsche Wetterdienst" -> "Deutscher Wetterdienst", "des Statistischen
    Bundesamts" -> "Statistisches Bundesamt": without its article a German name takes the
    strong nominative ending, chosen by the head noun's gender."""
    article = toks[before - 1].text.casefold() if before > 0 else ""
    gender = _gender(head.casefold())
    out: list[str] = []
    for w in words.split(" "):
        if article in {"der", "das"} and w[:1].isupper() and w.endswith("e"):
            w += "r" if article == "der" else "s"
        elif article in _OBLIQUE and gender and w.endswith("en") and w[:-2].isalpha():
            w = w[:-2] + _STRONG[gender]
        out.append(w)
    return " ".join(out)


_OBLIQUE: Final = frozenset({"des", "dem", "den", "der", "einer", "eines", "einem"})
_STRONG: Final = {"m": "er", "f": "e", "n": "es"}
_GENDER_SUFFIXES: Final = (
    (
        "n",
        "amt institut ministerium zentrum büro kommando komitee haus gericht parlament "
        "blatt magazin portal unternehmen netzwerk bündnis hilfswerk amts instituts "
        "ministeriums zentrums",
    ),
    (
        "f",
        "ung heit keit schaft ion tät agentur behörde kommission bank partei zeitung gruppe "
        "stiftung organisation union polizei regierung botschaft armee marine luftwaffe "
        "universität hochschule klinik initiative reederei firma gewerkschaft bahn "
        "denkfabrik",
    ),
    (
        "m",
        "verband verbands rat rats dienst dienstes senat senats konzern verein bund sender "
        "hof stab rundfunk freistaat staat",
    ),
)


def _gender(head: str) -> str | None:
    """Grammatical gender of a German organisation noun, from its last part."""
    for gender, suffixes in _GENDER_SUFFIXES:
        if any(head.endswith(x) for x in suffixes.split()):
            return gender
    return None


def strong_plural(words: str) -> str:
    """ "westlichen Schätzungen" -> "westliche Schätzungen": a name without its article takes
    the strong (nominative) adjective ending."""
    parts = words.split()
    if (
        len(parts) >= 2
        and parts[0].islower()
        and parts[0].endswith("en")
        and parts[-1].endswith(("en", "e"))
    ):
        parts[0] = parts[0][:-1]
    return " ".join(parts)


def capitalise(words: str) -> str:
    return words[:1].upper() + words[1:]


def acronym(text: str, end: int) -> tuple[tuple[str, ...], int]:
    """ "(HHLA)" after a name: an alias, and part of the words that name the source."""
    found = _ACRONYM.match(text, end)
    return ((found.group(1),), found.end()) if found else ((), end)


def affiliation(
    text: str, toks: list[Token], person_first: int, orgs: list[tuple[SourceMention, int]]
) -> SourceMention | None:
    """The organisation a person speaks for, from the words around the name."""
    before = [(m, i) for m, i in orgs if i < person_first]
    if before:
        return max(before, key=lambda x: x[1])[0]
    for mention, i in sorted(orgs, key=lambda x: x[1]):
        window = toks[max(person_first + 1, i - 3) : i + 1]
        if any(t.text.casefold() in AFFILIATION_PREPS for t in window):
            return mention
    return None
