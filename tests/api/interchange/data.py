"""Real data for the interchange tests: the demo article, plus the cases it lacks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from api.db import create_session_factory
from api.demo.loader import load_demo
from api.generate.load import driver_of

# A claim merged into a later one, an affiliation stored after the source it
# affiliates (a later edit), and a retraction.
EXTRA = [
    "INSERT INTO claim (statement, language) VALUES ('Ein Duplikat', 'de')",
    "INSERT INTO claim (statement, language) VALUES ('Das Original', 'de')",
    "UPDATE claim SET merged_into_id = (SELECT id FROM claim WHERE statement = 'Das Original')"
    " WHERE statement = 'Ein Duplikat'",
    "INSERT INTO source (name, kind) VALUES ('Jane Analyst', 'PERSON')",
    "INSERT INTO source (name, kind, reliability) VALUES ('Institute of Later Things',"
    " 'THINK_TANK', 'B')",
    "UPDATE source SET affiliation_id = (SELECT id FROM source WHERE name ="
    " 'Institute of Later Things') WHERE name = 'Jane Analyst'",
    "UPDATE document SET url = 'https://www.zeit.de/news/2023-09/14/kim-putin' WHERE url IS NULL",
    "UPDATE attribution SET review_status = 'RETRACTED', retraction_reason = 'misquoted'"
    " WHERE id = (SELECT min(id) FROM attribution)",
]

COUNTS = """
SELECT (SELECT count(*) FROM source), (SELECT count(*) FROM document),
       (SELECT count(*) FROM claim), (SELECT count(*) FROM attribution),
       (SELECT count(*) FROM attribution_chain), (SELECT count(*) FROM revision),
       (SELECT count(*) FROM source_claim), (SELECT count(*) FROM claim_search),
       (SELECT sum(version) FROM attribution) + (SELECT sum(version) FROM source)
"""
EMPTY = "TRUNCATE attribution_chain, attribution, claim, document, source, revision"


async def load_story(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        await load_demo(session)
    async with db.begin() as connection:
        for statement in EXTRA:
            await connection.execute(text(statement))


async def counts(db: AsyncEngine) -> tuple[int, ...]:
    async with db.connect() as connection:
        return tuple((await connection.execute(text(COUNTS))).one())


async def empty(db: AsyncEngine) -> None:
    async with db.begin() as connection:
        await connection.execute(text(f"{EMPTY} RESTART IDENTITY CASCADE"))


async def raw(connection: AsyncConnection) -> Any:
    return await driver_of(connection)


@asynccontextmanager
async def other_session(database_url: str) -> AsyncIterator[Any]:
    """A second session on the test database, that waits at most 200 ms for a lock."""
    url = make_url(database_url)
    other = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, database=url.database
    )
    try:
        await other.execute("SET lock_timeout = '200ms'")
        yield other
    finally:
        await other.close()
