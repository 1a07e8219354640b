"""A revoked key, or one whose role changed, is refused by every app within a second.

Each app here runs its lifespan, so each has its own key cache and its own listener,
as each worker process of a server does; two apps on one database stand for two
processes. Keys are cached (CLAIMGRAPH_KEY_CACHE_SECONDS=60), so only the listener's
NOTIFY can make an app refuse a key it has already accepted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from api.app import create_app
from api.auth.roles import Role
from tests.support.app import TEST_SETTINGS, new_key

CACHED = TEST_SETTINGS.model_copy(update={"key_cache_seconds": 60})
READ = "{ claims(first: 1) { totalCount } }"
CREATE_SOURCE = """mutation { createSource(input: {name: "KCNA", kind: NEWS_AGENCY}) {
  source { name } errors { code } } }"""
REVOKE_KEY = """mutation($name: String!) {
  revokeApiKey(input: {name: $name}) { apiKey { revokedAt } errors { code } } }"""
WITHIN_SECONDS = 1.0


@asynccontextmanager
async def _app(db: AsyncEngine) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient]]:
    app = create_app(CACHED, engine=db)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield app, client


async def _ask(client: httpx.AsyncClient, key: str, query: str = READ, **variables: Any) -> Any:
    headers = {"Authorization": f"Bearer {key}"}
    body = {"query": query, "variables": variables}
    return (await client.post("/graphql", json=body, headers=headers)).json()


def _reads(body: Any) -> bool:
    return "errors" not in body and body["data"]["claims"]["totalCount"] == 0


async def _seconds_until(condition: Callable[[], Awaitable[bool]], limit: float = 5.0) -> float:
    """How long until `condition` holds, polling every 10 ms; fails after `limit`."""
    started = time.monotonic()
    while not await condition():
        assert time.monotonic() - started < limit, f"not within {limit} s"
        await asyncio.sleep(0.01)
    return time.monotonic() - started


async def _revoke_by_hand(db: AsyncEngine, name: str) -> None:
    async with db.begin() as connection:
        await connection.execute(
            text("UPDATE api_key SET revoked_at = now() WHERE name = :name"), {"name": name}
        )


async def test_a_revocation_by_the_mutation_reaches_every_app_within_a_second(
    db: AsyncEngine,
) -> None:
    # given: two apps that have both accepted, and so cached, an editor's key
    admin = await new_key(db, Role.ADMIN, "admin")
    editor = await new_key(db, Role.EDITOR, "desk")
    async with _app(db) as (first, one), _app(db) as (second, other):
        assert _reads(await _ask(one, editor)) and _reads(await _ask(other, editor))
        assert first.state.authenticator.caching and second.state.authenticator.caching
        # when: an admin revokes it through the first app
        revoked = await _ask(one, admin, REVOKE_KEY, name="desk")
        assert revoked["data"]["revokeApiKey"]["errors"] == [], revoked

        # then: both refuse it within a second, for reads and writes
        async def refused() -> bool:
            bodies = [await _ask(one, editor), await _ask(other, editor)]
            return all(b["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED" for b in bodies)

        assert await _seconds_until(refused) < WITHIN_SECONDS
        written = await _ask(other, editor, CREATE_SOURCE)
    assert written["data"]["createSource"]["errors"] == [{"code": "UNAUTHENTICATED"}]


async def test_a_role_changed_by_hand_in_sql_reaches_the_app_within_a_second(
    db: AsyncEngine,
) -> None:
    # given: an app that has accepted, and cached, an editor's key
    editor = await new_key(db, Role.EDITOR, "desk")
    async with _app(db) as (_, client):
        assert _reads(await _ask(client, editor))
        # when: someone demotes it to reader by hand
        async with db.begin() as connection:
            await connection.execute(text("UPDATE api_key SET role = 'reader'"))

        # then: within a second it may still read, but no longer write (a write sent
        # before the notification arrives, a few milliseconds, may still pass)
        async def demoted() -> bool:
            body = await _ask(client, editor, CREATE_SOURCE)
            return bool(body["data"]["createSource"]["errors"] == [{"code": "FORBIDDEN"}])

        assert await _seconds_until(demoted) < WITHIN_SECONDS
        assert _reads(await _ask(client, editor))


async def test_noting_a_keys_use_sends_no_notification(db: AsyncEngine) -> None:
    # given: an app listening, with a key in its cache
    editor = await new_key(db, Role.EDITOR, "desk")
    async with _app(db) as (app, client):
        assert _reads(await _ask(client, editor))
        generation = app.state.authenticator._generation
        # when: last_used_at is written (identify does it at most once a minute)
        async with db.begin() as connection:
            await connection.execute(text("UPDATE api_key SET last_used_at = now()"))
        # and then a notification of our own, which arrives after any the write sent
        async with db.begin() as connection:
            await connection.execute(text("SELECT pg_notify('claimgraph_keys', '0')"))
        await _seconds_until(lambda: _changed(app, generation))
        # then: only ours was heard, and the key is still cached
        assert app.state.authenticator._generation == generation + 1
        assert app.state.authenticator._cache


async def _changed(app: Starlette, generation: int) -> bool:
    return bool(app.state.authenticator._generation != generation)


async def _listener_backends(db: AsyncEngine) -> list[int]:
    async with db.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'claimgraph-keys'"
                " AND datname = current_database()"
            )
        )
        return [row.pid for row in rows]


async def test_a_lost_listener_turns_the_cache_off_and_reconnects(db: AsyncEngine) -> None:
    # given: an app that has cached two keys
    editor = await new_key(db, Role.EDITOR, "desk")
    later = await new_key(db, Role.EDITOR, "later")
    async with _app(db) as (app, client):
        assert _reads(await _ask(client, editor)) and _reads(await _ask(client, later))
        listener, authenticator = app.state.key_changes, app.state.authenticator
        dsn = listener.dsn
        # when: its connection is killed, and the database refuses it a new one for now
        listener.dsn = "postgresql://postgres@127.0.0.1:1/nowhere"
        [backend] = await _listener_backends(db)
        async with db.connect() as connection:
            await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        # then: it stops trusting its cache at once
        assert await _seconds_until(lambda: _off(app)) < WITHIN_SECONDS
        # and a key revoked while nobody listens is refused on its very next request
        await _revoke_by_hand(db, "desk")
        assert (await _ask(client, editor))["errors"][0]["extensions"]["code"] == (
            "UNAUTHENTICATED"
        )
        assert _reads(await _ask(client, later)) and not authenticator.caching
        # when: the database lets it back in
        listener.dsn = dsn
        await _seconds_until(lambda: _on(app), limit=10)
        assert _reads(await _ask(client, later))
        await _revoke_by_hand(db, "later")

        # then: a revocation reaches it again through the new connection
        async def refused() -> bool:
            return "errors" in await _ask(client, later)

        assert await _seconds_until(refused) < WITHIN_SECONDS
        assert len(await _listener_backends(db)) == 1


async def _off(app: Starlette) -> bool:
    return not app.state.authenticator.caching


async def _on(app: Starlette) -> bool:
    return bool(app.state.authenticator.caching)
