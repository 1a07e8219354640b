"""SIGTERM drains: `claimgraph serve` stops accepting, finishes what runs, exits 0.

The slow request is an updateClaim blocked on a lock the test holds on the claim table
from its own connection; the test lets go only after the server got SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.load_mix import CREATE_CLAIM, UPDATE_CLAIM, Server, prepare_database, running_server

UPDATE = {"statement": "Edited while the server was shutting down.", "language": "en"}


@asynccontextmanager
async def claim_table_locked(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """Holds a lock that makes every write to `claim` wait; released on leaving."""
    connection = await asyncpg.connect(database_url)
    try:
        transaction = connection.transaction()
        await transaction.start()
        await connection.execute("LOCK TABLE claim IN SHARE MODE")
        try:
            yield connection
        finally:
            await transaction.rollback()
    finally:
        await connection.close()


async def _create_claim(http: httpx.AsyncClient) -> dict[str, Any]:
    variables = {"input": {"statement": "Before the shutdown.", "language": "en"}}
    response = await http.post("/graphql", json={"query": CREATE_CLAIM, "variables": variables})
    claim: dict[str, Any] = response.json()["data"]["createClaim"]["claim"]
    return claim


async def _wait_until_blocked(lock: asyncpg.Connection) -> None:
    """Until a claimgraph backend waits for our lock."""
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'claimgraph'"
        " AND wait_event_type = 'Lock'"
    )
    for _ in range(200):
        if await lock.fetchval(query):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the update never reached the lock")


async def _refused(server: Server, seconds: float = 5) -> bool:
    """Whether new connections are refused within `seconds`."""
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=server.base_url, timeout=1) as fresh:
        while time.monotonic() < deadline:
            try:
                await fresh.get("/healthz")
            except httpx.ConnectError:
                return True
            await asyncio.sleep(0.05)
    return False


async def _exit_code(server: Server, seconds: float) -> int | None:
    try:
        return await asyncio.to_thread(server.process.wait, seconds)
    except subprocess.TimeoutExpired:
        return None


async def test_sigterm_lets_the_request_in_flight_finish_and_exits_0(
    db: AsyncEngine, database_url: str
) -> None:
    # given a server with a claim, and an edit of it blocked on a lock the test holds
    key = await prepare_database(database_url)
    extra = {"CLAIMGRAPH_SHUTDOWN_GRACE_SECONDS": "20"}
    with running_server(database_url, extra) as server:
        headers = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=30) as http:
            claim = await _create_claim(http)
            async with claim_table_locked(database_url) as lock:
                variables = {"input": {"id": claim["id"], "version": claim["version"], **UPDATE}}
                body = {"query": UPDATE_CLAIM, "variables": variables}
                slow = asyncio.create_task(http.post("/graphql", json=body))
                await _wait_until_blocked(lock)

                # when the server gets SIGTERM, and only then the lock goes
                server.process.send_signal(signal.SIGTERM)
                refused = await _refused(server)
                still_running = server.process.poll() is None
            response = await slow
            code = await _exit_code(server, 20)

    # then new connections were refused while the edit was waiting
    assert refused
    assert still_running
    # and the edit finished with its real answer
    assert response.status_code == 200, response.text
    payload = response.json()["data"]["updateClaim"]
    assert payload["errors"] == []
    assert payload["claim"] == {"id": claim["id"], "version": claim["version"] + 1}
    # and the server exited cleanly, the edit stored
    assert code == 0, server.log()
    connection = await asyncpg.connect(database_url)
    try:
        stored = await connection.fetchval("SELECT statement FROM claim")
    finally:
        await connection.close()
    assert stored == UPDATE["statement"]


async def test_sigterm_cancels_a_request_still_running_after_the_grace_period(
    db: AsyncEngine, database_url: str
) -> None:
    # given a server with a one-second grace period and an edit blocked on a lock
    key = await prepare_database(database_url)
    with running_server(database_url, {"CLAIMGRAPH_SHUTDOWN_GRACE_SECONDS": "1"}) as server:
        headers = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=30) as http:
            claim = await _create_claim(http)
            async with claim_table_locked(database_url) as lock:
                variables = {"input": {"id": claim["id"], "version": claim["version"], **UPDATE}}
                body = {"query": UPDATE_CLAIM, "variables": variables}
                slow = asyncio.create_task(http.post("/graphql", json=body))
                await _wait_until_blocked(lock)

                # when the server gets SIGTERM and the lock outlasts the grace period
                started = time.monotonic()
                server.process.send_signal(signal.SIGTERM)
                code = await _exit_code(server, 15)
                waited = time.monotonic() - started
            response = await slow

    # then the server gave up on the edit with a 503, exited cleanly, and wrote nothing
    assert code == 0, server.log()
    assert waited < 10
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    assert response.json()["errors"][0]["extensions"] == {"code": "UNAVAILABLE"}
    connection = await asyncpg.connect(database_url)
    try:
        stored = await connection.fetchval("SELECT version FROM claim")
    finally:
        await connection.close()
    assert stored == claim["version"]
