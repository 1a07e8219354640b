"""Text helpers for the pages: hedges marked inside a quote, dates, chains."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple


class Segment(NamedTuple):
    text: str
    hedge: bool


def marked(quote: str, hedges: Iterable[str]) -> list[Segment]:
    """The quote cut into plain and hedging stretches (each hedge wherever it occurs)."""
    words = sorted({h for h in hedges if h}, key=len, reverse=True)
    if not words:
        return [Segment(quote, False)]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    segments: list[Segment] = []
    at = 0
    for found in pattern.finditer(quote):
        if found.start() > at:
            segments.append(Segment(quote[at : found.start()], False))
        segments.append(Segment(found.group(), True))
        at = found.end()
    if at < len(quote):
        segments.append(Segment(quote[at:], False))
    return segments


def day(value: str | None) -> str:
    """An ISO date-time as its day (2024-06-18); the empty string when unknown."""
    return value[:10] if value else ""


def chain_text(chain: list[dict[str, Any]]) -> str:
    """publisher → source → via … → origin, as names."""
    return " → ".join(str(link["name"]) for link in chain)


def number(value: float | None) -> str:
    """A number as a person writes it: 40 rather than 40.0."""
    if value is None:
        return ""
    return f"{value:g}"
