"""How much the reports of a claim, together, support it: the consensus model.

See docs/confidence.md for the reasoning. In short, each report is evidence of
strength `weight(reliability of its source) x confidence`; reports are grouped by
independent origin; within a group the strongest report counts fully and each
repeat at a quarter (repeating KCNA adds little to KCNA); groups combine by
noisy-OR into affirming support A and denying support D; consensus = A x (1 - D).

PostgreSQL computes the numbers (api/provenance/claim_comparison.py binds these
constants into its SQL); this module holds the constants and words them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Admiralty reliability -> weight of a report. F ("cannot be judged") and unrated
# sources sit between C and D: unknown is not the same as unreliable.
RELIABILITY_WEIGHTS: Mapping[str, float] = {
    "A": 0.9,
    "B": 0.8,
    "C": 0.65,
    "F": 0.55,
    "D": 0.45,
    "E": 0.3,
}
UNRATED_WEIGHT = 0.55
# Even the most hedged report is some evidence that someone said so.
MIN_CONFIDENCE = 0.05
# A report repeating an origin already counted weighs this share of its strength.
REPEAT_WEIGHT = 0.25


def weight(reliability: str | None) -> float:
    return RELIABILITY_WEIGHTS.get(reliability or "", UNRATED_WEIGHT)


@dataclass(frozen=True)
class OriginGroup:
    """The counted reports of one claim from one independent origin, with one stance."""

    stance: str
    origin: str
    reports: int
    strongest_source: str
    strongest_reliability: str | None
    strongest_confidence: float
    strongest_strength: float
    support: float

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OriginGroup:
        return cls(
            stance=data["stance"],
            origin=data["origin"],
            reports=int(data["reports"]),
            strongest_source=data["source"],
            strongest_reliability=data["reliability"],
            strongest_confidence=float(data["confidence"]),
            strongest_strength=float(data["strength"]),
            support=float(data["support"]),
        )


@dataclass(frozen=True)
class Superseded:
    """A source whose earlier reports no longer count: its latest report says otherwise."""

    source: str
    reports: int
    stance: str


def _group_words(group: OriginGroup) -> str:
    rating = group.strongest_reliability or "unrated"
    words = (
        f"{group.origin}: {group.reports} report{'s' if group.reports != 1 else ''};"
        f" strongest by {group.strongest_source} (reliability {rating}, weight"
        f" {weight(group.strongest_reliability):.2f} x confidence"
        f" {max(group.strongest_confidence, MIN_CONFIDENCE):.2f} ="
        f" {group.strongest_strength:.2f})"
    )
    if group.reports > 1:
        words += f", {group.reports - 1} more repeating this origin at a quarter weight"
    return f"{words} -> {group.support:.2f}"


# (singular, plural) forms of the verb for each stance.
VERBS = {"AFFIRMS": ("affirms", "affirm"), "DENIES": ("denies", "deny")}


def _side(groups: Sequence[OriginGroup], stance: str) -> str:
    chosen = [g for g in groups if g.stance == stance]
    singular, plural = VERBS[stance]
    if not chosen:
        return f"No origin {singular}."
    if len(chosen) == 1:
        subject = f"1 origin {singular}"
    else:
        subject = f"{len(chosen)} independent origins {plural}"
    return f"{subject}: " + "; ".join(_group_words(g) for g in chosen) + "."


def explain(
    groups: Sequence[OriginGroup],
    superseded: Sequence[Superseded],
    affirm: float,
    deny: float,
    consensus: float,
) -> str:
    """The consensus in plain words: which origins counted, with which weight, and why not."""
    if not groups:
        return "No reports: consensus 0."
    parts = [
        _side(groups, "AFFIRMS"),
        _side(groups, "DENIES"),
        f"Affirming support {affirm:.2f} and denial {deny:.2f} (each combined over origins"
        f" as 1 - product of (1 - support)); consensus = {affirm:.2f} x (1 - {deny:.2f})"
        f" = {consensus:.2f}.",
    ]
    for item in superseded:
        earlier = "report" if item.reports == 1 else f"{item.reports} reports"
        parts.append(
            f"Not counted: {item.source}'s earlier {earlier}, since its latest report"
            f" {'affirms' if item.stance == 'AFFIRMS' else 'denies'} the claim."
        )
    return " ".join(parts)
