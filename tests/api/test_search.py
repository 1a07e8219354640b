"""Search normalisation and folding (api/search.py and the database's cg_fold)."""

from __future__ import annotations

import pytest
from sqlalchemy import ClauseElement, Text, column, func, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import create_session_factory
from api.search import SearchSupport, claim_tiers, like_pattern, match, near_words, normalised
from tests.support.stored import claim

POSTGRES = postgresql.dialect()  # type: ignore[no-untyped-call]
TRIGRAMS, NO_TRIGRAMS = SearchSupport(trigram=True), SearchSupport(trigram=False)


def _sql(clause: ClauseElement) -> str:
    return str(clause.compile(dialect=POSTGRES))


def _params(clause: ClauseElement) -> set[object]:
    compiled = clause.compile(dialect=POSTGRES)
    return set(compiled.params.values())


@pytest.mark.parametrize(
    ("term", "pattern"),
    [
        ("Kim", "%Kim%"),
        ("100%", "%100\\%%"),
        ("su_27", "%su\\_27%"),
        ("a\\b", "%a\\\\b%"),
    ],
)
def test_a_term_becomes_a_like_pattern_that_matches_it_literally(term: str, pattern: str) -> None:
    assert like_pattern(term) == pattern


@pytest.mark.parametrize(
    ("raw", "term"), [(None, None), ("", None), ("  \n\t", None), ("  Kim Jong Un ", "Kim Jong Un")]
)
def test_a_blank_search_filters_nothing_and_a_term_is_trimmed(
    raw: str | None, term: str | None
) -> None:
    assert normalised(raw) == term


def test_a_term_postgres_cannot_store_matches_nothing() -> None:
    # given a term with a NUL, which PostgreSQL text cannot hold
    vector, folded = column("vector", TSVECTOR), column("folded", Text)
    # when it is turned into conditions
    found = match("Kim\x00", vector, folded, TRIGRAMS)
    tiers = claim_tiers("Kim\x00", vector, folded, vector, folded, ())
    # then every route is false, without sending the term to the database
    assert (_sql(found.where), _sql(tiers.statement), _sql(tiers.anywhere)) == (
        "false",
        "false",
        "false",
    )


def test_trigram_similarity_is_a_route_only_where_the_database_has_it() -> None:
    vector, folded = column("vector", TSVECTOR), column("folded", Text)
    assert "<%" in _sql(match("Kim", vector, folded, TRIGRAMS).where)
    assert "<%" not in _sql(match("Kim", vector, folded, NO_TRIGRAMS).where)


def test_misspellings_reach_only_the_second_tier_of_claims() -> None:
    # given a corrected corpus word for a misspelt term
    vector, folded = column("vector", TSVECTOR), column("folded", Text)
    tiers = claim_tiers("Vostochy", vector, folded, vector, folded, ("vostochny",))
    # then it widens what matches anywhere, not what ranks as a statement match
    assert "%vostochny%" in _params(tiers.anywhere)
    assert "%vostochny%" not in _params(tiers.statement)
    assert "%Vostochy%" in _params(tiers.statement)


@pytest.mark.parametrize(
    ("spellings"),
    [
        ("Wostotschny", "Vostochny"),
        ("Pjöngjang", "Pyongyang"),
        ("Lawrow", "Lavrov"),
        ("SCHOIGU", "Shoigu"),
        ("Straße", "Strase"),
        ("Česká", "ceska"),
    ],
)
async def test_the_database_folds_spellings_of_one_name_together(
    db: AsyncEngine, spellings: tuple[str, str]
) -> None:
    async with db.connect() as connection:
        folded = [await connection.scalar(select(func.cg_fold(s))) for s in spellings]
    assert folded[0] == folded[1]


async def test_different_names_stay_apart_when_folded(db: AsyncEngine) -> None:
    async with db.connect() as connection:
        folded = await connection.scalar(text("SELECT cg_fold('Kim') <> cg_fold('Kiev')"))
    assert folded is True


async def test_a_misspelt_word_is_corrected_to_the_corpus_words_near_it(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given a claim naming the Vostochny cosmodrome
        await claim(session, "Kim besucht das Kosmodrom Vostochny")
    async with db.connect() as connection:
        # when a journalist types it without the n, or the database lacks pg_trgm
        corrected = await near_words(connection, "Vostochy", TRIGRAMS)
        without = await near_words(connection, "Vostochy", NO_TRIGRAMS)
        short = await near_words(connection, "Kmi", TRIGRAMS)
    # then the corpus word is offered; without trigrams, or for short words, nothing is
    assert corrected == ("vostochny",)
    assert (without, short) == ((), ())
