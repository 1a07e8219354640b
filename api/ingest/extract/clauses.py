"""Where one sentence holds several claims, and which headline parts are claims at all.

Why split: one attribution carries one proposition, one set of hedges and one quantity.
"Russland hat … bis zu elf Millionen Granaten eingesetzt und wird … voraussichtlich weitere
7 Millionen abfeuern" states two claims with different hedges and numbers. The splits are
deliberately few and syntactic:

* "und"/"and" before an auxiliary or modal ("und wird", "and will"): a second predicate.
* ", während"/", while"/", whereas": a contrasted second clause.
* ", wo"/", where": a non-restrictive clause that adds an event.
* a colon in the article's own voice ("Der eine braucht Waffen …: Putin und Kim …").
* in headlines also " – " and " | " ("Treffen mit Kim: Putin braucht … – Nordkorea …").

Headline kickers ("Kim Jong Un in Russland:") and teasers ("Um diese Waffen geht es") are no
claims, nor are questions.
"""

from __future__ import annotations

import re
from typing import Final

from api.ingest.extract.lexicon import DE_AUX, EN_AUX, FUNCTION_WORDS, HEADLINE_TEASERS

_AUX_ALT = "|".join(sorted(DE_AUX | EN_AUX, key=len, reverse=True))
_SPLIT: Final = re.compile(
    rf"\s(?:und|and)\s+(?=(?:{_AUX_ALT}|dass|that)\b)"
    r"|,\s+(?=(?:während|while|whereas|wohingegen|wo|where)\s)"
)
_COLON: Final = re.compile(r":\s+(?=[A-ZÄÖÜ„\"“»«])")
_HEADLINE_SPLIT: Final = re.compile(r":\s+|\s[–—|]\s|\s-\s")
_WORD: Final = re.compile(r"[^\W\d_][\w'’-]*")
_NUMBER: Final = re.compile(
    r"\d|\b(?:zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|hundert|"
    r"tausend|dutzend|hunderte|tausende|million\w*|milliarde\w*|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|twenty|hundred|hundreds|thousand|thousands|dozen|"
    r"dozens|billion\w*)\b",
    re.IGNORECASE,
)
_EN_VERBISH: Final = re.compile(r"(?:ed|[^su]s|ing)$")
_EN_AUX_WORDS: Final = frozenset(EN_AUX | {"to", "be", "been", "says", "said"})


def split_claims(
    text: str, start: int, end: int, *, own_voice: bool, language: str = "de"
) -> list[tuple[int, int]]:
    """Spans of the separate claims in ``text[start:end]``."""
    cuts = [(m.start(), m.end()) for m in _SPLIT.finditer(text, start, end)]
    if own_voice:
        cuts += [
            (m.start(), m.end())
            for m in _COLON.finditer(text, start, end)
            if not _in_quote(text, start, m.start())
        ]
    spans = _cut(start, end, sorted(cuts))
    spans = [s for s in spans if _words(text, s) >= 2] or [(start, end)]
    if own_voice and len(spans) > 1 and _is_label(text, *spans[0], language):
        spans = spans[1:]
    return spans


def _cut(start: int, end: int, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans between the cuts; each cut's own characters (", und ") belong to neither."""
    spans: list[tuple[int, int]] = []
    prev = start
    for lo, hi in cuts:
        if lo <= prev or hi >= end:
            continue
        spans.append((prev, lo))
        prev = hi
    spans.append((prev, end))
    return spans


def _in_quote(text: str, start: int, at: int) -> bool:
    segment = text[start:at]
    opened = segment.count("„") + segment.count("»") + segment.count("«")
    closed = segment.count("“") + segment.count("«") + segment.count("»")
    return opened > closed or segment.count('"') % 2 == 1


def _words(text: str, span: tuple[int, int]) -> int:
    return len(_WORD.findall(text, span[0], span[1]))


def headline_claims(text: str, start: int, end: int, language: str) -> list[tuple[int, int]]:
    """The parts of a headline that are claims: no kicker, no teaser, no question."""
    parts = _cut(
        start, end, [(m.start(), m.end()) for m in _HEADLINE_SPLIT.finditer(text, start, end)]
    )
    parts = [_skip_separator(text, p) for p in parts]
    out: list[tuple[int, int]] = []
    for i, (a, b) in enumerate(parts):
        words = _WORD.findall(text, a, b)
        if len(words) < 2 or text[a:b].rstrip().endswith("?"):
            continue
        lowered = " ".join(w.casefold() for w in words)
        if any(lowered.endswith(t) or lowered == t for t in HEADLINE_TEASERS):
            continue
        kicker = i == 0 and len(parts) > 1 and text[b : b + 1] == ":"
        if (kicker or len(parts) == 1) and _is_label(text, a, b, language):
            continue
        out.append((a, b))
    return out


def _skip_separator(text: str, span: tuple[int, int]) -> tuple[int, int]:
    a, b = span
    while a < b and (text[a].isspace() or text[a] in ":–—|-"):
        a += 1
    return a, b


def _is_label(text: str, start: int, end: int, language: str) -> bool:
    """A noun phrase with no verb and no number: "Kim Jong Un in Russland", "Ammunition
    shortage" (but "Zwei Tote in Deggendorf" counts something, so it claims something)."""
    if _NUMBER.search(text, start, end):
        return False
    words = _WORD.findall(text, start, end)
    if language == "de":
        return not any(w.islower() and w not in FUNCTION_WORDS for w in words)
    return not any(
        w.casefold() in _EN_AUX_WORDS or (i > 0 and w.islower() and _EN_VERBISH.search(w))
        for i, w in enumerate(words)
    )
