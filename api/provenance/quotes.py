"""Placing a quote in its document's text.

Offsets count Unicode code points with an exclusive end, as the W3C Web Annotation
TextPositionSelector does, which is exactly Python's `str` slicing.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.errors import ErrorCode, Problems

FIELD = ("input",)


@dataclass(frozen=True)
class Span:
    quote: str
    start: int
    end: int


def occurrences(text: str, quote: str, limit: int = 2) -> list[int]:
    """Start offsets of `quote` in `text` (overlapping ones too), at most `limit` of them."""
    found: list[int] = []
    start = text.find(quote)
    while start != -1 and len(found) < limit:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def place_quote(
    problems: Problems, text: str | None, quote: str | None, start: int | None, end: int | None
) -> Span | None:
    """Resolve quote and offsets against the text; records a problem when they disagree."""
    if quote is None and start is None and end is None:
        return None
    if text is None:
        problems.invalid("the document has no text to quote from", *FIELD, "quote")
        return None
    if quote is None:
        return _slice(problems, text, start, end)
    if not quote:
        problems.invalid("quote must not be empty", *FIELD, "quote")
        return None
    if start is None and end is None:
        return _locate(problems, text, quote)
    span = _slice(problems, text, start, end)
    if span is not None and span.quote != quote:
        problems.invalid(
            f"quote does not equal document.text[{start}:{end}] ({span.quote!r})", *FIELD, "quote"
        )
        return None
    return span


def _slice(problems: Problems, text: str, start: int | None, end: int | None) -> Span | None:
    if start is None or end is None:
        missing = "quoteStart" if start is None else "quoteEnd"
        problems.invalid("quoteStart and quoteEnd go together", *FIELD, missing)
        return None
    if not 0 <= start < end <= len(text):
        problems.invalid(
            f"offsets [{start}, {end}) must satisfy 0 <= quoteStart < quoteEnd <= {len(text)}"
            " (the text's length in code points)",
            *FIELD,
            "quoteStart",
        )
        return None
    return Span(text[start:end], start, end)


def _locate(problems: Problems, text: str, quote: str) -> Span | None:
    found = occurrences(text, quote)
    if not found:
        problems.invalid("quote does not occur in the document's text", *FIELD, "quote")
        return None
    if len(found) > 1:
        problems.add(
            ErrorCode.AMBIGUOUS,
            f"quote occurs more than once in the document's text (at {found[0]} and {found[1]});"
            " give quoteStart and quoteEnd",
            *FIELD,
            "quote",
        )
        return None
    return Span(quote, found[0], found[0] + len(quote))
