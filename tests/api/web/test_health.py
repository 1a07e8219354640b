"""Health and readiness endpoints."""

from __future__ import annotations

import os

import httpx
from sqlalchemy.ext.asyncio import create_async_engine

from api.app import create_app
from api.settings import Settings


async def test_healthz_and_readyz_on_a_migrated_database(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok", "pid": os.getpid()}
    ready = await http.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


async def test_readyz_says_when_the_database_is_unreachable() -> None:
    # given: a server nobody listens on
    engine = create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    app = create_app(Settings(database_url="postgresql://unused/unused"), engine=engine)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            # when
            health = await client.get("/healthz")
            ready = await client.get("/readyz")
    await engine.dispose()
    # then
    assert health.status_code == 200
    assert (ready.status_code, ready.json()) == (503, {"status": "database unreachable"})


async def test_a_key_with_the_database_down_gets_a_clean_503() -> None:
    # given: a key is sent, but the key store (the database) cannot be reached
    engine = create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    app = create_app(Settings(database_url="postgresql://unused/unused"), engine=engine)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            # when
            response = await client.post(
                "/graphql",
                json={"query": "{ __typename }"},
                headers={"authorization": "Bearer cg_not_checkable_now"},
            )
    await engine.dispose()
    # then
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
