"""The app in-process: served to an httpx client, driven with GraphQL documents."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from api.auth.roles import Role
from api.auth.service import create_key
from api.db import create_session_factory
from api.settings import Settings

# Tests fire requests far faster than any client should: the limiter runs, but high.
TEST_SETTINGS = Settings(
    database_url="postgresql://unused/unused", rate_limit_per_minute=1_000_000
)


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
