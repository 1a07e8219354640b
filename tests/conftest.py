"""Real PostgreSQL for every test: one throwaway database per run, migrated to head.

TEST_DATABASE_URL names the server to use (default: the local one at 127.0.0.1:5432);
the run creates its own database there and drops it at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.app import create_app
from api.auth.roles import Role
from api.auth.service import create_key
from api.db import create_engine, create_session_factory
from api.settings import Settings

SERVER_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TABLES = (
    "attribution_chain, attribution, claim, document, source, api_key, revision, idempotency_key"
)


async def _admin(sql: str) -> None:
    url = make_url(SERVER_URL)
    connection = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, password=url.password,
        database=url.database or "postgres",
    )
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    """A fresh, migrated database for this test run, dropped afterwards."""
    name = f"claimgraph_test_{uuid.uuid4().hex[:12]}"
    await _admin(f'CREATE DATABASE "{name}"')
    url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


class StatementCounter:
    """Counts the SQL statements an engine sends, to pin down N+1 regressions."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def sql_counter(db: AsyncEngine) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    event.listen(db.sync_engine, "before_cursor_execute", counter)
    yield counter
    event.remove(db.sync_engine, "before_cursor_execute", counter)


class GraphQLClient:
    """Sends GraphQL documents to the app, as a frontend would."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def raw(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        body: dict[str, Any] = response.json()
        return body

    async def __call__(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of a response that must have no errors."""
        body = await self.raw(query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data


# Tests fire requests far faster than any client should: the limiter runs, but high.
TEST_SETTINGS = Settings(
    database_url="postgresql://unused/unused", rate_limit_per_minute=1_000_000
)


async def new_key(engine: AsyncEngine, role: Role, name: str | None = None) -> str:
    """A key made as `claimgraph keys create` makes it; the secret is returned."""
    async with create_session_factory(engine).begin() as session:
        created = await create_key(session, name=name or f"test-{role}", role=role)
    return created.key


@asynccontextmanager
async def serving(
    engine: AsyncEngine, settings: Settings = TEST_SETTINGS, key: str | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a fresh app; with `key`, every request carries it as a Bearer token."""
    app = create_app(settings, engine=engine)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", headers=headers
        ) as client:
            yield client


@pytest.fixture
async def http(db: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """The app as an editor sees it: a real editor key in every request's Authorization.

    Anonymous writes stay off, so the suite drives the real access check. The first
    request looks the key up; later ones find it in the app's key cache, so SQL counts
    measure the query alone.
    """
    key = await new_key(db, Role.EDITOR, "test-editor")
    async with serving(db, key=key) as client:
        warm = await client.post("/graphql", json={"query": "{ __typename }"})
        assert warm.status_code == 200, warm.text
        yield client


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)
