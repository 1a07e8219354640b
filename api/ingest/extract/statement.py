"""The claim as a proposition: the quote without its frame, hedges and quotation marks.

Good-enough, rule-based normal form (the curated demo shows the target): prepositional
frames ("nach Angaben des Kremls") and adverbial hedges ("voraussichtlich", "likely") are cut,
quantity hedges ("bis zu", "up to") stay because they are part of what is claimed, the
complementiser goes ("dass", "wonach", "that"), German Konjunktiv I becomes indicative
("werde" -> "wird") and German word order is repaired where a cut leaves it broken: a
subordinate clause's final verb moves to second place ("…, dass die Täter das Netz
ausgespäht hatten" -> "Die Täter hatten das Netz ausgespäht"), and a verb left first by a
cut fronted phrase follows its subject ("hat Russland … eingesetzt" -> "Russland hat …").
Modal hedges ("könnte", "could", "soll") stay: removing them would need morphology.
"""

from __future__ import annotations

import re
from typing import Final

from api.ingest.extract.hedges import QUANTITY_HEDGES, HedgeHit
from api.ingest.extract.lexicon import DE_AUX

_KONJ_TO_IND: Final = {
    "werde": "wird",
    "sei": "ist",
    "seien": "sind",
    "habe": "hat",
    "könne": "kann",
    "müsse": "muss",
    "solle": "soll",
    "wolle": "will",
    "dürfe": "darf",
    "gebe": "gibt",
    "möge": "mag",
    "stehe": "steht",
    "gehe": "geht",
    "liege": "liegt",
    "komme": "kommt",
    "bleibe": "bleibt",
    "wisse": "weiß",
    "brauche": "braucht",
    "plane": "plant",
    "stecke": "steckt",
    "handle": "handelt",
    "arbeite": "arbeitet",
    "verfüge": "verfügt",
    "halte": "hält",
    "lasse": "lässt",
    "sehe": "sieht",
    "trage": "trägt",
    "nehme": "nimmt",
    "gelte": "gilt",
    "fehle": "fehlt",
    "drohe": "droht",
    "prüfe": "prüft",
}
# English hedges that are part of the verb phrase: rewritten below, not deleted.
_EN_VERBAL_HEDGE: Final = re.compile(r"expected|believed|thought|said to|suspected")
_MODAL_HEDGES: Final = frozenset(
    {"soll", "sollen", "könnte", "könnten", "could", "might", "dürfte", "dürften"}
)
_EN_REWRITES: Final = (
    (re.compile(r"\b(is|are|was|were) expected to\b"), "will"),
    (re.compile(r"\b(is|are) (?:believed|thought|said) to be\b"), r"\1"),
    (re.compile(r"\b(is|are) (?:believed|thought|said) to have\b"), "has"),
    (re.compile(r"\bit is (?:believed|suspected|thought) that\s+", re.IGNORECASE), ""),
)
_LEADING: Final = re.compile(
    r"^(?:dass|daß|wonach|that|während|while|whereas|wo|where|ob)\s+", re.IGNORECASE
)
_DASS_AFTER_HEDGE: Final = re.compile(r"^\s*,?\s*(?:dass|daß|that)\s+")
_QUOTES: Final = re.compile(r"[„“”\"»«‚‘]")
_SPACES: Final = re.compile(r"\s+")
_SPACE_PUNCT: Final = re.compile(r"\s+([,.;:!?)])")
_PREPOSITIONS: Final = frozenset(
    {
        "bis",
        "in",
        "im",
        "am",
        "an",
        "auf",
        "aus",
        "bei",
        "beim",
        "mit",
        "nach",
        "seit",
        "von",
        "vom",
        "vor",
        "zu",
        "zum",
        "zur",
        "für",
        "gegen",
        "hinter",
        "über",
        "unter",
        "während",
        "wegen",
        "trotz",
    }
)
_ADJ_ENDINGS: Final = ("e", "en", "er", "es", "em")
_COORDINATED: Final = frozenset({"und", "oder", "sowie"})
_PRONOUNS: Final = frozenset({"er", "sie", "es", "wir", "ich", "ihr", "man"})
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
        "einer",
        "einen",
        "einem",
        "eines",
        "kein",
        "keine",
    }
)


def clean(
    text: str,
    start: int,
    end: int,
    *,
    cut: list[tuple[int, int]],
    hedges: list[HedgeHit],
    language: str,
    reported: bool,
    verb_first: bool = False,
    subject: str = "",
) -> str:
    """The statement for the claim quoted by ``text[start:end]``."""
    drops = [(a, b) for a, b in cut if a < end and b > start]
    drops += [
        (h.start, h.end)
        for h in hedges
        if h.cue.cue not in QUANTITY_HEDGES
        and h.text.split()[0].casefold() not in _MODAL_HEDGES
        and not (language != "de" and _EN_VERBAL_HEDGE.search(h.text))
    ]
    body = _without(text, start, end, drops)
    verb_first = verb_first or any(a <= start < b for a, b in drops if (a, b) in cut)
    body = _QUOTES.sub("", body)
    subordinate = _LEADING.match(body) is not None
    if not subordinate and _DASS_AFTER_HEDGE.match(body):
        subordinate = True
        body = _DASS_AFTER_HEDGE.sub("", body)
    body = _LEADING.sub("", body)
    if language == "de":
        body = _german_order(body, subordinate, verb_first or _starts_with_aux(body), subject)
        if reported:
            body = _indicative(body)
    else:
        for pattern, repl in _EN_REWRITES:
            body = pattern.sub(repl, body)
    return _finish(body)


def _without(text: str, start: int, end: int, drops: list[tuple[int, int]]) -> str:
    pieces: list[str] = []
    pos = start
    for a, b in sorted(drops):
        a, b = max(a, start), min(b, end)
        if a < pos:
            a = pos
        if a >= b:
            continue
        pieces.append(text[pos:a])
        pos = b
    pieces.append(text[pos:end])
    return "".join(pieces)


def _starts_with_aux(body: str) -> bool:
    first = body.strip().split(" ", 1)[0].casefold() if body.strip() else ""
    return first in DE_AUX or first in _KONJ_TO_IND


def _german_order(body: str, subordinate: bool, verb_first: bool, subject: str) -> str:
    body = body.strip(" ,")
    head, sep, rest = body.partition(",")
    words = head.split()
    if len(words) < 3:
        return body
    if verb_first:
        words = _verb_after_subject(words[1:], words[0], subject)
    elif (
        subordinate
        and words[-1].islower()
        and words[-1] not in _PRONOUNS
        and not _verbs_coordinated(words)
    ):
        words = _verb_after_subject(words[:-1], words[-1], "")
    return " ".join(words) + sep + rest


def _verb_after_subject(words: list[str], verb: str, subject: str) -> list[str]:
    """Put ``verb`` in second place: after the subject noun phrase at the start of ``words``,
    else after the first constituent ("Dabei sind …", "Bis Ende der Woche sind …"); an
    elliptical second conjunct ("… und wird … abfeuern") takes the subject of the first."""
    n = _subject_length(words)
    if n == 0 and subject and words and words[0].islower():
        return [subject, verb, *words]
    if n == 0:
        n = _constituent_length(words)
    return [*words[:n], verb, *words[n:]]


def _constituent_length(words: list[str]) -> int:
    """A fronted prepositional phrase ("bis Ende der Woche") or a single adverb."""
    if not words:
        return 0
    if words[0].casefold() not in _PREPOSITIONS:
        return 1
    n = 1 + _noun_phrase(words[1:])
    if n < len(words) and words[n].casefold() in _ARTICLES:
        n += _noun_phrase(words[n:], nouns=1)
    return n


def _noun_phrase(words: list[str], nouns: int = 3) -> int:
    """Article, adjectives and up to ``nouns`` capitalised words."""
    i = 1 if words and words[0].casefold() in _ARTICLES else 0
    while i < len(words) and words[i].islower() and words[i].endswith(_ADJ_ENDINGS):
        i += 1
    stop = i + nouns
    while i < min(len(words), stop) and words[i][:1].isupper():
        i += 1
    return max(i, 1)


def _verbs_coordinated(words: list[str]) -> bool:
    """ "… Gespräche führten und zu Abend aßen": two verbs; moving one would garble both."""
    return any(w in _COORDINATED and i > 0 and words[i - 1].islower() for i, w in enumerate(words))


def subject_of(statement: str) -> str:
    """The subject noun phrase that opens a German statement, for an elliptical conjunct."""
    words = statement.rstrip(".").split()
    n = _subject_length(words)
    return " ".join(words[:n]) if n else ""


def _subject_length(words: list[str]) -> int:
    """Length of the noun phrase at the start: pronoun, or article, adjectives, nouns."""
    if not words:
        return 0
    first = words[0]
    if first.casefold() in _PRONOUNS:
        return 1
    i = 1 if first.casefold() in _ARTICLES else 0
    while i < len(words) and words[i].islower() and words[i].endswith(_ADJ_ENDINGS):
        i += 1
    start_nouns = i
    while i < len(words) and words[i][:1].isupper():
        i += 1
    return i if i > start_nouns else 0


def _indicative(body: str) -> str:
    return " ".join(_KONJ_TO_IND.get(w, w) for w in body.split(" "))


def _finish(body: str) -> str:
    body = _SPACES.sub(" ", body).strip(" ,;:–—-")
    body = _SPACE_PUNCT.sub(r"\1", body)
    body = body.rstrip(".!?…")
    if not body:
        return body
    return body[:1].upper() + body[1:] + "."
