"""A document's text cut into plain and quoted stretches, for marking quotes in place.

Quotes may overlap (two claims carried by one sentence, one quote inside another). Marks
that overlap cannot nest in HTML, so the text is cut flat instead: each stretch belongs
to at most one quote, the innermost open one (the one that started last), and the page
wraps each quoted stretch in its own link. Neighbouring stretches always differ in quote:
a cut is made only where the innermost quote changes. A quote cut in two by an inner one shows as
two links to the same claim; no element ever straddles another.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class Segment(NamedTuple):
    text: str
    quote: int | None
    """The index of the quote (in the list given) this stretch belongs to; None: plain."""


Span = tuple[int | None, int | None]


def segments(text: str, spans: Sequence[Span]) -> list[Segment]:
    """`text` cut at the quotes' edges; each span is (start, end) in code points, end
    exclusive. Spans that are missing, empty or outside the text are ignored (clamped to
    the text when they only stick out). Linear in the text and the spans, as the spans
    come in text order (a document's attributions do): the sort then is one pass.
    """
    size = len(text)
    quotes = sorted(
        (
            (max(start, 0), min(end, size), index)
            for index, (start, end) in enumerate(spans)
            if start is not None and end is not None and max(start, 0) < min(end, size)
        ),
        # The outer of two quotes that start together is opened first, the inner on top.
        key=lambda quote: (quote[0], -quote[1]),
    )
    found: list[Segment] = []
    open_: list[tuple[int, int, int]] = []  # innermost on top; ended ones dropped lazily
    at = following = 0
    while at < size:
        while following < len(quotes) and quotes[following][0] <= at:
            open_.append(quotes[following])
            following += 1
        while open_ and open_[-1][1] <= at:
            open_.pop()
        upto = min(
            quotes[following][0] if following < len(quotes) else size,
            open_[-1][1] if open_ else size,
        )
        found.append(Segment(text[at:upto], open_[-1][2] if open_ else None))
        at = upto
    return found
