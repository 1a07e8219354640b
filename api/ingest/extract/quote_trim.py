"""Trimming a span to the words that carry a claim, without ever copying the text.

Why spans and not strings: the contract requires ``text[quote_start:quote_end] == quote``,
so every cut is an offset move. Outer punctuation and white space go; a pair of quotation
marks around the whole claim goes ("„Das war absehbar“" -> "Das war absehbar"), but marks
that belong to a quotation inside the claim stay ("nehme den Vorfall „sehr ernst“").
"""

from __future__ import annotations

import re
from typing import Final

OPENERS: Final = "„“\"»«‚‘'"
CLOSERS: Final = "“”\"«»‘’'"
_LEAD: Final = ",;:–—-·•*"
_TRAIL: Final = ",;:.!?…–—-"
_DATELINE_DASHES: Final = "–—-"


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without outer white space, punctuation and enclosing quotation marks."""
    for _ in range(8):
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in _LEAD):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _TRAIL):
            end -= 1
        if (
            end - start >= 2
            and text[start] in OPENERS
            and text[end - 1] in CLOSERS
            and not _has_quote(text, start + 1, end - 1)
        ):
            start, end = start + 1, end - 1
        elif end > start and text[start] in OPENERS and not _has(text, start + 1, end, CLOSERS):
            start += 1
        elif end > start and text[end - 1] in CLOSERS and not _has(text, start, end - 1, OPENERS):
            end -= 1
        if (start, end) == before:
            break
    return start, end


def _has_quote(text: str, start: int, end: int) -> bool:
    return _ANY_QUOTE.search(text, start, end) is not None


def _has(text: str, start: int, end: int, chars: str) -> bool:
    """Whether an opening (or closing) mark occurs in ``text[start:end]``; apostrophes inside
    words ("Iran's") are no quotation marks."""
    pattern = _ANY_OPENER if chars == OPENERS else _ANY_CLOSER
    return pattern.search(text, start, end) is not None


_APOSTROPHE = r"|(?<!\w)['’]|['’](?!\w)"
_ANY_QUOTE: Final = re.compile(r"[„“\"»«‚‘”]" + _APOSTROPHE)
_ANY_OPENER: Final = re.compile(r"[„“\"»«‚‘]" + _APOSTROPHE)
_ANY_CLOSER: Final = re.compile(r"[“”\"«»‘]" + _APOSTROPHE)
