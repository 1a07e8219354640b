"""A document's text cut at its quotes' edges: flat stretches, whatever the overlaps."""

from __future__ import annotations

from itertools import pairwise

from api.web.explorer.highlight import Segment, Span, segments


def cut(text: str, spans: list[Span]) -> list[tuple[str, int | None]]:
    found = segments(text, spans)
    # Whatever the quotes, the stretches give back the text, and neighbours differ.
    assert "".join(segment.text for segment in found) == text
    assert all(segment.text for segment in found)
    assert all(left.quote != right.quote for left, right in pairwise(found))
    return [(segment.text, segment.quote) for segment in found]


def test_no_quotes_is_the_text_plain() -> None:
    # given a text without quotes
    # when it is cut
    found = segments("Kim reist.", [])
    # then it is one plain stretch
    assert found == [Segment("Kim reist.", None)]


def test_quotes_at_both_edges_of_the_text() -> None:
    # given quotes that start the text and end it
    text = "Kim reist nach Moskau."
    # when it is cut
    found = cut(text, [(0, 3), (15, 22)])
    # then the first and last stretches are quoted
    assert found == [("Kim", 0), (" reist nach ", None), ("Moskau.", 1)]


def test_adjacent_quotes_stay_apart() -> None:
    # given one quote ending where the next begins
    # when the text is cut
    found = cut("abcdef", [(0, 3), (3, 6)])
    # then each keeps its own stretch
    assert found == [("abc", 0), ("def", 1)]


def test_a_quote_inside_another_splits_the_outer() -> None:
    # given an inner quote within an outer one, and two starting at the same place
    # when the text is cut
    inside = cut("0123456789", [(1, 9), (4, 6)])
    same_start = cut("0123456789", [(2, 9), (2, 5)])
    # then the innermost quote holds its stretch, the outer the rest
    assert inside == [("0", None), ("123", 0), ("45", 1), ("678", 0), ("9", None)]
    assert same_start == [("01", None), ("234", 1), ("5678", 0), ("9", None)]


def test_crossing_quotes_cut_where_the_later_begins() -> None:
    # given two quotes that overlap without nesting, listed out of text order
    # when the text is cut
    found = cut("0123456789", [(5, 10), (0, 7)])
    # then the later quote takes the overlap, and nothing straddles
    assert found == [("01234", 1), ("56789", 0)]


def test_missing_empty_and_outlying_spans_are_ignored_or_clamped() -> None:
    # given spans without offsets, empty, outside the text, or sticking out of it
    spans: list[Span] = [(None, 3), (2, 2), (20, 30), (-5, 2), (8, 99), (6, 4)]
    # when the text is cut
    found = cut("0123456789", spans)
    # then only the usable parts are quoted
    assert found == [("01", 3), ("234567", None), ("89", 4)]


def test_unicode_offsets_are_code_points() -> None:
    # given a German text with umlauts and an emoji before the quote
    text = "Schätzungen 🚀 zufolge: Größe"
    start = text.index("Größe")
    # when the text is cut at code point offsets
    found = cut(text, [(start, start + 5)])
    # then the quote is exactly the word
    assert found[-1] == ("Größe", 0)


def test_many_nested_quotes_take_linear_work() -> None:
    # given thousands of quotes, each inside the one before
    count = 5000
    text = "x" * (2 * count)
    spans: list[Span] = [(i, 2 * count - i) for i in range(count)]
    # when the text is cut
    found = segments(text, spans)
    # then each quote gives at most two stretches, the text is whole
    assert len(found) == 2 * count - 1
    assert "".join(segment.text for segment in found) == text
