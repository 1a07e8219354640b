"""A fact-checker's rating as a stance and a confidence (docs/interchange.md has the table).

A rating says how true the checker finds the claim: p from 0 (false) to 1 (true).
p >= 0.5 becomes AFFIRMS with confidence p, p < 0.5 DENIES with confidence 1 - p:
"False" is DENIES 1.0, "Mostly false" DENIES 0.75, "Half true" AFFIRMS 0.5,
"Mostly true" AFFIRMS 0.75, "True" AFFIRMS 1.0. The textual rating decides when it
is known (numeric scales differ between checkers and are often inverted); else a
numeric rating with its bestRating and worstRating. Ratings that judge no truth
("Unproven", "Satire", "Outdated") give no stance and the review is reported, not
guessed at.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from api.enums import Stance

# How true each common textual rating (English, German, French, Spanish) finds a claim.
TRUTH: dict[str, float] = {
    **dict.fromkeys(
        ["true", "correct", "accurate", "verified", "wahr", "richtig", "stimmt", "vrai",
         "verdadero", "cierto"], 1.0),
    **dict.fromkeys(
        ["mostly true", "largely true", "mostly correct", "weitgehend richtig",
         "überwiegend richtig", "plutot vrai", "mayormente verdadero"], 0.75),
    **dict.fromkeys(
        ["half true", "mixture", "mixed", "partly true", "partly false", "half right",
         "teilweise richtig", "teilweise falsch", "halb wahr", "en partie vrai",
         "medio verdadero", "verdad a medias"], 0.5),
    **dict.fromkeys(
        ["mostly false", "largely false", "misleading", "missing context", "needs context",
         "exaggerated", "irreführend", "überwiegend falsch", "fehlender kontext",
         "plutot faux", "trompeur", "engañoso", "mayormente falso"], 0.25),
    **dict.fromkeys(
        ["false", "incorrect", "wrong", "fake", "hoax", "fabricated", "pants on fire",
         "four pinocchios", "altered", "altered photo", "altered image", "altered video",
         "manipulated", "doctored", "falsch", "frei erfunden", "manipuliert", "faux",
         "infox", "falso", "bulo"], 0.0),
}  # fmt: skip
NO_STANCE = frozenset(
    ["unproven", "unverified", "unsupported", "satire", "outdated", "no evidence",
     "research in progress", "unbelegt", "nicht belegt", "satire", "invérifiable",
     "sin evidencia"]
)  # fmt: skip


@dataclass(frozen=True)
class Rating:
    text: str | None = None
    value: float | None = None
    best: float | None = None
    worst: float | None = None


class UnratedReview(ValueError):
    """The rating says nothing about whether the claim is true."""


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.replace("plutôt", "plutot")
    return re.sub(r"[\s\-_!.]+", " ", folded).strip()


def truth(rating: Rating) -> float:
    """p in [0, 1]; raises UnratedReview when the rating does not say."""
    if rating.text:
        key = _key(rating.text)
        if key in TRUTH:
            return TRUTH[key]
        if key in NO_STANCE:
            raise UnratedReview(f"the rating {rating.text!r} judges no truth")
    numeric = rating.value is not None and rating.best is not None and rating.worst is not None
    if numeric and rating.best != rating.worst:
        assert rating.value is not None and rating.best is not None and rating.worst is not None
        share = (rating.value - rating.worst) / (rating.best - rating.worst)
        if 0.0 <= share <= 1.0:
            return share
    raise UnratedReview(
        f"the rating {rating.text or rating.value!r} is not one this importer knows"
        " (and has no usable ratingValue with bestRating and worstRating)"
    )


def stance_of(rating: Rating) -> tuple[Stance, float]:
    """(stance, confidence) of a rating; see the module docstring."""
    p = truth(rating)
    if p >= 0.5:
        return Stance.AFFIRMS, round(p, 4)
    return Stance.DENIES, round(1.0 - p, 4)
