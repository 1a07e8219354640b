"""The extractor's output types: plain frozen dataclasses, no database, no GraphQL.

They mirror the shape of an attribution in ``../shared/contract/ingest.graphql`` so that a
service can store them as they are, but they carry only what the text itself says.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceMention:
    """A source as the article names it.

    ``name`` is the canonical form to store and to match across documents (the gazetteer's
    canonical name when the source is known, else the name as written, cleaned of articles);
    ``text`` is the words exactly as written, and ``start``/``end`` locate them (code points).
    ``anaphoric`` is True when those words only refer back to a source named earlier ("she",
    "the airline", "so Hartwig", "ein Botschaftssprecher"): ``text`` is then no name, and
    should not be stored as an alias.
    """

    name: str
    text: str
    kind: str
    aliases: tuple[str, ...] = ()
    affiliation: SourceMention | None = None
    start: int | None = None
    end: int | None = None
    anaphoric: bool = False


@dataclass(frozen=True)
class Quantity:
    """A number the claim states, with the qualifier written beside it.

    ``bound`` is one of EXACT, APPROXIMATE, AT_MOST, AT_LEAST; ``text`` is the words the
    quantity was read from (bound word, number, scale and unit), for display and debugging.
    """

    value: float
    unit: str | None
    bound: str
    text: str = ""


@dataclass(frozen=True)
class Extracted:
    """One attribution of one claim in the text.

    ``quote`` is always ``text[quote_start:quote_end]``; ``source`` None is the article's own
    voice; ``via`` lists the sources the attributed source cites, outermost first; ``hedges``
    are the cues as written (each inside ``quote``) and ``confidence`` the lowest of their
    values; ``cue`` is the attribution cue as written ("berichtete", "according to"), None for
    the article's own voice.
    """

    statement: str
    quote: str
    quote_start: int
    quote_end: int
    source: SourceMention | None
    via: tuple[SourceMention, ...]
    hedges: tuple[str, ...]
    confidence: float
    quantity: Quantity | None
    stance: str = "AFFIRMS"
    kind: str = "STATEMENT"
    cue: str | None = None
