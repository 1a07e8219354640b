"""The suite's fixtures: real PostgreSQL for every test, one throwaway database per run
(per worker under pytest-xdist), migrated to head. The helpers they are built from live
in tests/support/."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.auth.roles import Role
from api.db import create_engine
from api.settings import Settings
from tests.support.app import GraphQLClient, new_key, serving
from tests.support.database import TABLES, fresh_database
from tests.support.sql import StatementCounter

# Plugins: which tests share an xdist worker, and the fuzz summary (whose hooks must reach
# the xdist controller, which loads no conftest below this one).
pytest_plugins = ["tests.support.groups", "tests.support.fuzz_report"]


@pytest.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    """A fresh, migrated database for this test run (each xdist worker has its own)."""
    async with fresh_database("claimgraph_test") as url:
        yield url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(Settings(database_url=database_url))
    await migrate.upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncEngine:
    """The migrated engine, emptied: each test starts from no data."""
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    return engine


@pytest.fixture
def sql_counter(db: AsyncEngine) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    event.listen(db.sync_engine, "before_cursor_execute", counter)
    yield counter
    event.remove(db.sync_engine, "before_cursor_execute", counter)


@pytest.fixture
async def http(db: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """The app as an editor sees it: a real editor key in every request's Authorization.

    Anonymous writes stay off, so the suite drives the real access check. The first
    request looks the key up; later ones find it in the app's key cache, so SQL counts
    measure the query alone.
    """
    key = await new_key(db, Role.EDITOR, "test-editor")
    async with serving(db, key=key) as http:
        warm = await http.post("/graphql", json={"query": "{ __typename }"})
        assert warm.status_code == 200, warm.text
        yield http


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)
