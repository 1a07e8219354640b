"""Search across languages and spellings.

A term matches by any of three routes, so that a journalist finds a claim however
it is spelled and in whatever language it was written:

1. full-text search: the term as a web-search query, stemmed as German, English
   and not at all ('simple'), against vectors built with each text's own language
   (a German statement stemmed as German);
2. folded substring: the term and the text folded by `cg_fold` (case, accents, the
   German/English transliterations of names: Wostotschny = Vostochny), then LIKE;
3. trigram word similarity (pg_trgm) on the folded text, for misspellings.

Results rank by full-text rank plus trigram similarity. Where pg_trgm is missing
(the embedded PostgreSQL may lack it), route 3 is skipped and logged once; search
still works.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, cast, false, func, literal, or_, text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.validation import storable

logger = logging.getLogger(__name__)

# Stemmings a query is tried in; the stored vectors use each text's own language.
QUERY_CONFIGS = ("simple", "german", "english")


def like_pattern(term: str) -> str:
    """`term` as a LIKE pattern that matches it literally anywhere."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def normalised(term: str | None) -> str | None:
    """None for an absent or blank search: it filters nothing."""
    if term is None or not term.strip():
        return None
    return term.strip()


@dataclass(frozen=True)
class SearchSupport:
    """What this database offers search."""

    trigram: bool


class SearchProbe:
    """Finds out once, on the first search, what the database offers.

    Lazily, so that the service starts (and answers /healthz) while the database
    is still unreachable.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.found: SearchSupport | None = None

    async def support(self, needed: bool = True) -> SearchSupport:
        """The database's search support; a list that is not searched need not ask."""
        if not needed:
            return self.found or SearchSupport(trigram=False)
        if self.found is None:
            async with self.engine.connect() as connection:
                installed = await connection.scalar(
                    text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")
                )
            if not installed:
                logger.warning(
                    "pg_trgm is not installed in this database: search matches words and"
                    " folded substrings, but not misspellings"
                )
            self.found = SearchSupport(trigram=bool(installed))
        return self.found


@dataclass(frozen=True)
class Match:
    """How one term filters and ranks rows of a table with search columns."""

    where: ColumnElement[bool]
    rank: ColumnElement[Any]


def match(
    term: str, vector: ColumnElement[Any], folded: ColumnElement[Any], support: SearchSupport
) -> Match:
    """Rows whose `vector` or `folded` text matches `term`, with a relevance rank."""
    if not storable(term):
        return Match(false(), literal(0.0, Float))
    query: ColumnElement[Any] = func.websearch_to_tsquery(QUERY_CONFIGS[0], term)
    for config in QUERY_CONFIGS[1:]:
        query = query.op("||")(func.websearch_to_tsquery(config, term))
    folded_term = func.cg_fold(term)
    routes = [
        vector.op("@@")(query),
        folded.like(func.cg_fold(like_pattern(term)), escape="\\"),
    ]
    rank: ColumnElement[Any] = cast(func.ts_rank(vector, query), Float)
    if support.trigram:
        routes.append(folded_term.op("<%")(folded))
        rank = rank + cast(func.word_similarity(folded_term, folded), Float)
    return Match(or_(*routes), rank)
