"""Placing a quote in its document's text (api/provenance/quotes.py), as plain functions."""

from __future__ import annotations

from api.errors import ErrorCode, Problem, Problems
from api.provenance.quotes import Span, occurrences, place_quote

# The emoji is one code point: "aus" starts at 8, as Python slices and PostgreSQL counts.
TEXT = "Grüße 👋 aus Pjöngjang, aus Seoul"


def _place(
    quote: str | None, start: int | None = None, end: int | None = None, text: str | None = TEXT
) -> tuple[Span | None, list[Problem]]:
    problems = Problems()
    span = place_quote(problems, text, quote, start, end)
    return span, problems.items


def test_a_quote_that_occurs_once_is_placed_by_code_points() -> None:
    # when a quote is given without offsets
    span, problems = _place("Pjöngjang")
    # then its offsets are found, counted in code points
    assert problems == []
    assert span == Span("Pjöngjang", 12, 21)
    assert TEXT[span.start : span.end] == "Pjöngjang"


def test_a_quote_that_occurs_twice_needs_offsets() -> None:
    # when the quote "aus" (twice in the text) comes without offsets
    span, problems = _place("aus")
    # then it is refused as ambiguous, naming both places
    assert span is None
    assert [p.code for p in problems] == [ErrorCode.AMBIGUOUS]
    assert "at 8 and 23" in problems[0].message


def test_offsets_choose_one_of_two_occurrences() -> None:
    span, problems = _place("aus", 23, 26)
    assert problems == [] and span == Span("aus", 23, 26)


def test_offsets_alone_give_the_quote() -> None:
    span, problems = _place(None, 8, 11)
    assert problems == [] and span == Span("aus", 8, 11)


def test_offsets_that_disagree_with_the_quote_are_refused() -> None:
    # when the offsets point one code point off (as UTF-16 counting would)
    span, problems = _place("aus", 9, 12)
    # then the quote is refused, showing what the offsets hold
    assert span is None
    assert [p.field for p in problems] == [("input", "quote")]
    assert "'us '" in problems[0].message


def test_offsets_outside_the_text_are_refused() -> None:
    span, problems = _place(None, 8, len(TEXT) + 1)
    assert span is None
    assert [p.field for p in problems] == [("input", "quoteStart")]


def test_one_offset_without_the_other_is_refused() -> None:
    span, problems = _place("aus", 8, None)
    assert span is None
    assert [p.field for p in problems] == [("input", "quoteEnd")]


def test_an_empty_quote_and_an_absent_one_differ() -> None:
    # an absent quote is no quote; an empty one is a mistake
    assert _place(None) == (None, [])
    span, problems = _place("")
    assert span is None and [p.code for p in problems] == [ErrorCode.INVALID]


def test_a_quote_not_in_the_text_or_without_a_text_is_refused() -> None:
    assert "does not occur" in _place("Moskau")[1][0].message
    assert "no text to quote from" in _place("aus", text=None)[1][0].message


def test_occurrences_overlap_and_stop_at_the_limit() -> None:
    assert occurrences("aaaa", "aa") == [0, 1]
    assert occurrences("aaaa", "aa", limit=5) == [0, 1, 2]
    assert occurrences("aaaa", "b") == []
