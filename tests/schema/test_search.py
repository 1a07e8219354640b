"""Search finds claims in their own language, across spellings and source aliases."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.auth.roles import Role
from api.db import create_engine
from api.settings import Settings
from tests import factories
from tests.support.app import GraphQLClient, new_key, serving
from tests.support.database import fresh_database

SEARCH = """
query($s: String!, $first: Int, $after: String) {
  claims(search: $s, first: $first, after: $after) {
    totalCount
    edges { cursor node { statement } }
    pageInfo { hasNextPage endCursor }
  }
}"""

GERMAN = "Putin empfing Kim auf dem Weltraumbahnhof Vostochny Cosmodrome."
ENGLISH = "Russia fired up to 11 million shells in Ukraine last year."
INVITATION = "Putin hat die Einladungen Kims angenommen."


async def _story(gql: GraphQLClient) -> None:
    kcna = await factories.source(
        gql,
        "KCNA",
        aliases=["Korean Central News Agency", "Koreanische Zentrale Nachrichtenagentur"],
    )
    document = await factories.document(gql, text="Kim reiste im Sonderzug. Lawrow reist.")
    for statement, language in [(GERMAN, "de"), (ENGLISH, "en"), (INVITATION, "de")]:
        claim = await factories.claim(gql, statement, language)
        if statement == INVITATION:
            await factories.attribution(
                gql,
                claimId=claim,
                documentId=document,
                sourceId=kcna,
                quote="Kim reiste im Sonderzug",
            )


async def _found(gql: GraphQLClient, term: str) -> list[str]:
    edges = (await gql(SEARCH, {"s": term}))["claims"]["edges"]
    return [edge["node"]["statement"] for edge in edges]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Wostotschny", [GERMAN]),  # the German spelling finds the English one
        ("Pjöngjang", []),
        ("Einladung", [INVITATION]),  # German stemming: Einladungen
        ("shell", [ENGLISH]),  # English stemming: shells
        ("Korean Central News Agency", [INVITATION]),  # an alias of the reporting source
        ("Sonderzug", [INVITATION]),  # a word of the quote
        ("Vostochy", [GERMAN]),  # a misspelling, by trigram similarity
    ],
)
async def test_search_routes(gql: GraphQLClient, term: str, expected: list[str]) -> None:
    # given
    await _story(gql)
    # when / then
    assert await _found(gql, term) == expected


async def test_statement_matches_come_first_then_newest(gql: GraphQLClient) -> None:
    # given: the term is in an older statement, a newer statement, and only in the quote
    # (and so the searchable text) of the newest claim
    kcna = await factories.source(gql, "KCNA")
    document = await factories.document(gql, text="Es ging um Granaten aus Nordkorea.")
    older = await factories.claim(gql, "Granaten, Granaten und noch mehr Granaten.")
    newer = await factories.claim(gql, "Es geht um Granaten.")
    quoted = await factories.claim(gql, "Nordkorea liefert Munition.")
    await factories.attribution(
        gql, claimId=quoted, documentId=document, sourceId=kcna, quote="Granaten aus Nordkorea"
    )
    await factories.claim(gql, "Nichts davon.")
    assert older and newer
    # when
    found = await _found(gql, "Granaten")
    # then
    assert found == [
        "Es geht um Granaten.",
        "Granaten, Granaten und noch mehr Granaten.",
        "Nordkorea liefert Munition.",
    ]


async def test_searched_pages_walk_every_match_once(gql: GraphQLClient) -> None:
    # given
    for index in range(7):
        await factories.claim(gql, f"Nordkorea liefert Granaten, Lieferung {index}.")
    # when
    seen: list[str] = []
    after = None
    while True:
        page = (await gql(SEARCH, {"s": "Granaten", "first": 3, "after": after}))["claims"]
        seen += [edge["node"]["statement"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # then
    assert sorted(seen) == sorted(f"Nordkorea liefert Granaten, Lieferung {i}." for i in range(7))
    assert page["totalCount"] == 7


async def test_a_plain_cursor_is_refused_for_a_search(gql: GraphQLClient) -> None:
    await factories.claim(gql, "Eins.")
    await factories.claim(gql, "Zwei.")
    plain = (await gql("{ claims(first: 1) { pageInfo { endCursor } } }"))["claims"]["pageInfo"]
    body = await gql.raw(SEARCH, {"s": "Zwei", "after": plain["endCursor"]})
    assert "not a cursor of this list" in body["errors"][0]["message"]


@pytest.fixture
async def engine_without_trigrams() -> AsyncIterator[AsyncEngine]:
    async with fresh_database("claimgraph_notrgm") as url:
        engine = create_engine(Settings(database_url=url))
        await migrate.upgrade(engine)
        async with engine.begin() as connection:
            await connection.execute(text("DROP EXTENSION IF EXISTS pg_trgm CASCADE"))
        try:
            yield engine
        finally:
            await engine.dispose()


async def test_search_degrades_without_pg_trgm(
    engine_without_trigrams: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    # given: a database without pg_trgm, as the embedded PostgreSQL may be
    key = await new_key(engine_without_trigrams, Role.EDITOR)
    async with serving(engine_without_trigrams, key=key) as client:
        gql = GraphQLClient(client)
        await _story(gql)
        # when
        with caplog.at_level(logging.WARNING, logger="api.search"):
            words = await _found(gql, "Wostotschny")
            misspelt = await _found(gql, "Vostochy")
    # then: words and folded spellings still match; misspellings no longer do
    assert words == [GERMAN]
    assert misspelt == []
    assert "pg_trgm is not installed" in caplog.text
