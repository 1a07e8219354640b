"""Search across languages and spellings.

A term matches by any of three routes, so that a journalist finds a claim however
it is spelled and in whatever language it was written:

1. full-text search: the term as a web-search query, stemmed as German, English
   and not at all ('simple'), against vectors built with each text's own language
   (a German statement stemmed as German);
2. folded substring: the term and the text folded by `cg_fold` (case, accents, the
   German/English transliterations of names: Wostotschny = Vostochny), then LIKE;
3. misspellings (pg_trgm): for names and titles, trigram word similarity on the
   folded text; for claims, whose text is long, the term's words are first
   corrected to the nearest words of the corpus (`search_word`), which are then
   matched as substrings.

Results rank by full-text rank plus a bonus for an exact substring (or trigram
similarity, for names and titles). Where pg_trgm is missing
(the embedded PostgreSQL may lack it), route 3 is skipped and logged once; search
still works.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, Table, cast, false, func, literal, or_, text, true
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from api.pagination import Keyset, Page, PageRequest, RankedKeyset
from api.repository import Executor, count_rows, fetch_page, fetch_ranked_page
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


def _fts(term: str, vector: ColumnElement[Any]) -> tuple[ColumnElement[bool], ColumnElement[Any]]:
    query: ColumnElement[Any] = func.websearch_to_tsquery(QUERY_CONFIGS[0], term)
    for config in QUERY_CONFIGS[1:]:
        query = query.op("||")(func.websearch_to_tsquery(config, term))
    return vector.op("@@")(query), cast(func.ts_rank(vector, query), Float)


def _contains(folded: ColumnElement[Any], term: str) -> ColumnElement[bool]:
    return folded.like(func.cg_fold(like_pattern(term)), escape="\\")


def match(
    term: str, vector: ColumnElement[Any], folded: ColumnElement[Any], support: SearchSupport
) -> Match:
    """Rows whose `vector` or short `folded` text matches `term`, with a relevance rank.

    For short folded texts (names, titles): trigram word similarity runs on them directly.
    """
    if not storable(term):
        return Match(false(), literal(0.0, Float))
    words, rank = _fts(term, vector)
    routes = [words, _contains(folded, term)]
    if support.trigram:
        folded_term = func.cg_fold(term)
        routes.append(folded_term.op("<%")(folded))
        rank = rank + cast(func.word_similarity(folded_term, folded), Float)
    return Match(or_(*routes), rank)


@dataclass(frozen=True)
class Tiers:
    """Claim search results in two tiers: the statement matches, or only the rest does."""

    statement: ColumnElement[bool]
    anywhere: ColumnElement[bool]


def claim_tiers(
    term: str,
    statement_vector: ColumnElement[Any],
    statement_folded: ColumnElement[Any],
    vector: ColumnElement[Any],
    folded: ColumnElement[Any],
    near: Sequence[str],
) -> Tiers:
    """The two tiers' conditions; misspellings (`near` words) only reach the second."""
    if not storable(term):
        return Tiers(false(), false())
    in_statement, _ = _fts(term, statement_vector)
    anywhere, _ = _fts(term, vector)
    routes = [anywhere, _contains(folded, term)]
    routes += [folded.like(like_pattern(word), escape="\\") for word in near]
    return Tiers(or_(in_statement, _contains(statement_folded, term)), or_(*routes))


NEAR_WORDS = text("""
    SELECT DISTINCT near.word
    FROM unnest(regexp_split_to_array(cg_fold(:term), '[^[:alnum:]]+')) AS typed (word)
    CROSS JOIN LATERAL (
        SELECT w.word FROM search_word w
        WHERE char_length(typed.word) >= 4 AND w.word % typed.word
          AND similarity(w.word, typed.word) >= :threshold
        ORDER BY similarity(w.word, typed.word) DESC, w.word
        LIMIT 3
    ) AS near
""")
NEAR_THRESHOLD = 0.45


async def near_words(db: AsyncConnection, term: str, support: SearchSupport) -> tuple[str, ...]:
    """Corpus words spelled like the term's words (Vostochy -> vostochny); none without pg_trgm."""
    if not support.trigram or not storable(term):
        return ()
    found = await db.execute(NEAR_WORDS, {"term": term, "threshold": NEAR_THRESHOLD})
    return tuple(sorted(row[0] for row in found))


async def searchable_page(
    db: Executor,
    table: Table,
    keysets: tuple[Keyset, RankedKeyset],
    request: PageRequest,
    search: str | None,
    support: SearchSupport,
) -> Page:
    """A table with search columns, newest first; when searched, most relevant first."""
    plain, ranked = keysets
    if search is None:
        return await fetch_page(db, table, plain, true(), request)
    found = match(search, table.c.search_vector, table.c.search_folded, support)
    return await fetch_ranked_page(db, table, ranked, found.where, found.rank, request)


async def searchable_count(
    db: Executor, table: Table, search: str | None, support: SearchSupport
) -> int:
    if search is None:
        return await count_rows(db, table, true())
    found = match(search, table.c.search_vector, table.c.search_folded, support)
    return await count_rows(db, table, found.where)
