"""Hedge cues and the confidence they leave a report: the table of ``docs/confidence.md``.

The table is data (:data:`HEDGE_TABLE`) so that the docs, the curated demo and the extractor
can cite one source of truth. Bands follow ICD 203 / the PHIA yardstick: *probably/likely*
is 55-80 %, *expected* its upper half, *suspected/believed* near even chance. Cues the
confidence doc does not list (hearsay markers such as *reportedly*, *soll … haben*,
*allegedly*, and possibility markers such as *possibly*, *könnte*) are placed in the same
bands by the same reading, and the doc may cite them from here. When several cues apply the
lowest value wins. German Konjunktiv I marks reported speech, not doubt: it is no hedge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class HedgeCue:
    """One hedge: its canonical cue, the pattern that finds it, and its confidence."""

    cue: str
    language: str
    confidence: float
    meaning: str
    pattern: str


_NUM_AFTER = (
    r"(?=\s+(?:\S+\s+)?(?:[$€£]?\s?\d|[a-zäöüß]*(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|"
)
_NUM_AFTER += r"neun|zehn|elf|zwölf|zig|ßig|hundert|tausend|one|two|three|four|five|six|seven|"
_NUM_AFTER += r"eight|nine|ten|eleven|twelve|teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
_NUM_AFTER += r"ninety|hundred|thousand|dozen)\b))"

HEDGE_TABLE: Final[tuple[HedgeCue, ...]] = (
    HedgeCue("bis zu", "de", 0.9, "upper bound on a quantity", r"\bbis zu" + _NUM_AFTER),
    HedgeCue("up to", "en", 0.9, "upper bound on a quantity", r"\bup to" + _NUM_AFTER),
    HedgeCue("offenbar", "de", 0.8, "apparently", r"\b(?:offenbar|anscheinend)\b"),
    HedgeCue("apparently", "en", 0.8, "apparently", r"\b(?:apparently|evidently)\b"),
    HedgeCue("höchstwahrscheinlich", "de", 0.85, "very likely", r"\bhöchstwahrscheinlich\b"),
    HedgeCue(
        "very likely",
        "en",
        0.85,
        "very likely",
        r"\b(?:very|highly|most) likely\b|\balmost certainly\b",
    ),
    HedgeCue(
        "voraussichtlich", "de", 0.75, "expected", r"\bvoraussichtlich\b|\b(?:es )?wird erwartet\b"
    ),
    HedgeCue(
        "expected to",
        "en",
        0.75,
        "expected",
        r"\bexpected to\b|\b(?:is|are|was|were) expected\b(?! to)",
    ),
    HedgeCue("wahrscheinlich", "de", 0.7, "probable", r"\bwahrscheinlich\b|\bdürften?\b"),
    HedgeCue("probably", "en", 0.7, "probable", r"\b(?:probably|likely|probable)\b"),
    HedgeCue(
        "soll",
        "de",
        0.6,
        "hearsay: reportedly",
        r"\bsoll(?:en|te|ten)?\b(?=[^,.;:]{1,120}?\b(?:haben|sein|worden)\b)"
        r"|\b(?:Medien)?[Bb]erichten zufolge\b",
    ),
    HedgeCue(
        "reportedly",
        "en",
        0.6,
        "hearsay: reportedly",
        r"\breportedly\b|\bis said to\b|\bare said to\b|\baccording to (?:media )?reports\b",
    ),
    HedgeCue(
        "es wird vermutet",
        "de",
        0.55,
        "suspected, near even chance",
        r"\b[Ee]s wird (?:vermutet|angenommen)\b|\b(?:vermutlich|mutmaßlich)\b",
    ),
    HedgeCue(
        "it is suspected",
        "en",
        0.55,
        "suspected, near even chance",
        r"\b[Ii]t is (?:suspected|believed|thought)\b|\b(?:believed|thought) to\b"
        r"|\b(?:suspected|presumably)\b",
    ),
    HedgeCue("angeblich", "de", 0.5, "alleged", r"\bangeblich(?:e[nmrs]?)?\b"),
    HedgeCue("allegedly", "en", 0.5, "alleged", r"\b(?:allegedly|purportedly|alleged)\b"),
    HedgeCue(
        "möglicherweise",
        "de",
        0.5,
        "possible",
        r"\b(?:möglicherweise|womöglich|vielleicht|eventuell|könnten?)\b",
    ),
    HedgeCue("possibly", "en", 0.5, "possible", r"\b(?:possibly|perhaps|maybe|could|might)\b"),
    HedgeCue("unwahrscheinlich", "de", 0.3, "unlikely", r"\bunwahrscheinlich\b"),
    HedgeCue("unlikely", "en", 0.3, "unlikely", r"\bunlikely\b"),
)

# Cues that qualify a quantity rather than the proposition: they stay in the statement.
QUANTITY_HEDGES: Final = frozenset({"bis zu", "up to"})


def _compile(language: str) -> list[tuple[re.Pattern[str], HedgeCue]]:
    return [
        (re.compile(h.pattern, re.IGNORECASE if h.cue not in {"soll"} else 0), h)
        for h in HEDGE_TABLE
        if h.language == language
    ]


_COMPILED: Final = {lang: _compile(lang) for lang in ("de", "en")}


@dataclass(frozen=True)
class HedgeHit:
    """A hedge found in the text: the words as written, their span, and the table entry."""

    text: str
    start: int
    end: int
    cue: HedgeCue


def find_hedges(text: str, start: int, end: int, language: str) -> list[HedgeHit]:
    """All hedge cues in ``text[start:end]``, in text order, overlaps removed (longest wins)."""
    hits: list[HedgeHit] = []
    for pattern, cue in _COMPILED.get(language, _COMPILED["en"]):
        for m in pattern.finditer(text, start, end):
            hits.append(HedgeHit(m.group(), m.start(), m.end(), cue))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[HedgeHit] = []
    for h in hits:
        if out and h.start < out[-1].end:
            continue
        out.append(h)
    return out


def confidence_of(hits: list[HedgeHit]) -> float:
    """The lowest confidence of the cues, 1.0 when there are none (stated as fact)."""
    return min((h.cue.confidence for h in hits), default=1.0)


def confidence_table() -> dict[str, float]:
    """``{cue: confidence}`` for every cue, for docs and for callers that store the rule."""
    return {h.cue: h.confidence for h in HEDGE_TABLE}
