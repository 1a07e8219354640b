"""Reads from a real hot standby; the writer reads its own writes (DATABASE_READ_URL).

A primary and a standby are started on loopback for this module. Replay on the standby
is paused to make its lag visible: whatever a read returns then tells which server
answered it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.auth.roles import Role
from api.db import create_engine, create_session_factory
from api.demo.loader import load_demo
from api.replicas.lsn import format_lsn, parse_lsn
from api.settings import Settings
from tests.scaling.standby import PrimaryAndStandby, available, create_database
from tests.support.app import new_key, serving

pytestmark = pytest.mark.skipif(not available(), reason="needs PostgreSQL server binaries")

DATABASE = "claimgraph_replicas"
CREATE_SOURCE = """
mutation($name: String!) {
  createSource(input: {name: $name, kind: NEWS_OUTLET}) { source { name } errors { code } }
}
"""
SOURCE_NAMES = "{ sources(first: 100) { edges { node { name } } } }"


@pytest.fixture(scope="module")
async def pair() -> AsyncIterator[PrimaryAndStandby]:
    servers = PrimaryAndStandby()
    try:
        servers.start()
        await create_database(servers, DATABASE)
        engine = create_engine(Settings(database_url=servers.url(servers.primary_port, DATABASE)))
        await migrate.upgrade(engine)
        await engine.dispose()
        yield servers
    finally:
        servers.close()


@pytest.fixture
async def settings(pair: PrimaryAndStandby) -> AsyncIterator[Settings]:
    primary = pair.url(pair.primary_port, DATABASE)
    yield Settings(
        database_url=primary,
        database_read_url=pair.url(pair.standby_port, DATABASE),
        rate_limit_per_minute=1_000_000,
    )
    await _standby(pair, "SELECT pg_wal_replay_resume()")


async def _standby(pair: PrimaryAndStandby, sql: str) -> Any:
    connection = await asyncpg.connect(pair.url(pair.standby_port, DATABASE))
    try:
        return await connection.fetchval(sql)
    finally:
        await connection.close()


async def _caught_up(pair: PrimaryAndStandby) -> None:
    primary = await asyncpg.connect(pair.url(pair.primary_port, DATABASE))
    try:
        target = await primary.fetchval("SELECT pg_current_wal_lsn()::text")
    finally:
        await primary.close()
    deadline = time.monotonic() + 30
    while await _standby(pair, f"SELECT pg_last_wal_replay_lsn() < '{target}'::pg_lsn"):
        assert time.monotonic() < deadline, "the standby did not catch up in 30 s"
        await asyncio.sleep(0.05)


async def _editors_then_pause(
    pair: PrimaryAndStandby, engine: AsyncEngine, *names: str
) -> list[str]:
    """Editor keys by these names, replicated; then the standby stops replaying."""
    keys = [await new_key(engine, Role.EDITOR, name) for name in names]
    await _caught_up(pair)
    await _standby(pair, "SELECT pg_wal_replay_pause()")
    return keys


async def _names(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> set[str]:
    response = await client.post("/graphql", json={"query": SOURCE_NAMES}, headers=headers)
    assert response.status_code == 200, response.text
    edges = response.json()["data"]["sources"]["edges"]
    return {edge["node"]["name"] for edge in edges}


async def test_the_writer_reads_its_write_while_another_key_reads_the_paused_standby(
    pair: PrimaryAndStandby, settings: Settings
) -> None:
    # given: two editors, and a standby that has stopped replaying
    engine = create_engine(settings)
    writer_key, other_key = await _editors_then_pause(pair, engine, "writer", "other")
    async with (
        serving(engine, settings, key=writer_key) as writer,
        serving(engine, settings, key=other_key) as other,
        serving(engine, settings, key=other_key) as another_process,
    ):
        assert "Paused Replay" not in await _names(other)
        # when: the writer writes, then reads at once; the other key reads
        created = await writer.post(
            "/graphql", json={"query": CREATE_SOURCE, "variables": {"name": "Paused Replay"}}
        )
        writer_sees = await _names(writer)
        other_sees = await _names(other)
        # ...and, in another process, with the writer's position passed on
        position = created.headers["Claimgraph-Write-LSN"]
        passed_on = await _names(another_process, {"Claimgraph-Min-LSN": position})
        # then: the mutation's own payload read the primary; so did the writer after it
        assert created.json()["data"]["createSource"] == {
            "source": {"name": "Paused Replay"},
            "errors": [],
        }
        assert "Paused Replay" in writer_sees
        # the other key was served by the standby, which has not replayed the write
        assert "Paused Replay" not in other_sees
        assert "Paused Replay" in passed_on
        # when: replay resumes and reaches the write
        await _standby(pair, "SELECT pg_wal_replay_resume()")
        await _caught_up(pair)
        # then: the standby answers the other key with it too
        assert "Paused Replay" in await _names(other)
    await engine.dispose()


FIRST_CLAIM = "{ claims(first: 1) { edges { node { id version statement } } } }"
UPDATE_CLAIM = """
mutation($id: ID!, $version: Int!, $statement: String!) {
  updateClaim(input: {id: $id, version: $version, statement: $statement}) {
    claim { statement } errors { code }
  }
}
"""
CLAIM_REVIEW = "query($id: ID!) { node(id: $id) { ... on Claim { claimReview } } }"


async def _reviewed(client: httpx.AsyncClient, claim_id: str) -> str:
    response = await client.post(
        "/graphql", json={"query": CLAIM_REVIEW, "variables": {"id": claim_id}}
    )
    assert response.status_code == 200, response.text
    review: dict[str, Any] = response.json()["data"]["node"]["claimReview"]
    reviewed: str = review["claimReviewed"]
    return reviewed


async def test_claim_review_reads_where_the_requests_reads_go(
    pair: PrimaryAndStandby, settings: Settings
) -> None:
    # given: the demo article on both servers; then the standby stops replaying
    engine = create_engine(settings)
    async with create_session_factory(engine).begin() as session:
        await load_demo(session)
    writer_key, other_key = await _editors_then_pause(
        pair, engine, "review-writer", "review-reader"
    )
    async with (
        serving(engine, settings, key=writer_key) as writer,
        serving(engine, settings, key=other_key) as other,
    ):
        listed = await writer.post("/graphql", json={"query": FIRST_CLAIM})
        claim = listed.json()["data"]["claims"]["edges"][0]["node"]
        before = await _reviewed(other, claim["id"])
        # when: the writer rewords the claim, and both read its ClaimReview
        variables = {"id": claim["id"], "version": claim["version"], "statement": "Reworded."}
        updated = await writer.post(
            "/graphql", json={"query": UPDATE_CLAIM, "variables": variables}
        )
        writer_sees = await _reviewed(writer, claim["id"])
        other_sees = await _reviewed(other, claim["id"])
        route = f"/claims/{claim['id']}/claimreview.jsonld"
        writer_gets = (await writer.get(route)).json()["claimReviewed"]
        other_gets = (await other.get(route)).json()["claimReviewed"]
    await engine.dispose()
    # then: the writer's reads went to the primary, the other key's to the paused standby
    assert updated.json()["data"]["updateClaim"]["errors"] == []
    assert before == claim["statement"]
    assert writer_sees == writer_gets == "Reworded."
    assert other_sees == other_gets == claim["statement"]


async def test_a_write_under_an_idempotency_key_is_read_back_by_its_writer(
    pair: PrimaryAndStandby, settings: Settings
) -> None:
    # given: the standby has stopped replaying
    engine = create_engine(settings)
    key = await new_key(engine, Role.EDITOR, "retrying-writer")
    await _caught_up(pair)
    await _standby(pair, "SELECT pg_wal_replay_pause()")
    async with serving(engine, settings, key=key) as writer:
        # when: the write commits in the Idempotency-Key gate's transaction
        created = await writer.post(
            "/graphql",
            json={"query": CREATE_SOURCE, "variables": {"name": "Idempotent Write"}},
            headers={"Idempotency-Key": "replica-test-1"},
        )
        sees = await _names(writer)
    await engine.dispose()
    # then: the position was read after that commit, and the writer's read honours it
    assert parse_lsn(created.headers["Claimgraph-Write-LSN"]) is not None
    assert "Idempotent Write" in sees


async def test_reads_leave_the_read_engine_connected_to_the_standby(
    pair: PrimaryAndStandby, settings: Settings
) -> None:
    # given
    engine = create_engine(settings)
    key = await new_key(engine, Role.READER, "standby-reader")
    async with serving(engine, settings, key=key) as client:
        # when: the client reads
        count = "{ sources(first: 1) { totalCount } }"
        await client.post("/graphql", json={"query": count})
        sessions = await _standby(
            pair,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'claimgraph-read'",
        )
        ready = await client.get("/readyz")
    await engine.dispose()
    # then: the read engine's pooled connection is on the standby, and readyz says so
    assert sessions >= 1
    replica = ready.json()["replica"]
    assert (ready.status_code, replica["reachable"], replica["inRecovery"]) == (200, True, True)
    assert parse_lsn(replica["replayLsn"]) is not None


async def test_reads_fall_back_to_the_primary_when_the_standby_is_down(
    pair: PrimaryAndStandby, settings: Settings
) -> None:
    # given: a client that has been reading from the standby
    engine = create_engine(settings)
    key = await new_key(engine, Role.EDITOR, "survivor")
    async with serving(engine, settings, key=key) as client:
        await client.post(
            "/graphql", json={"query": CREATE_SOURCE, "variables": {"name": "Before Outage"}}
        )
        await _caught_up(pair)
        await _names(client)
        # when: the standby stops
        pair.stop_standby()
        try:
            during = await _names(client)
            ready = await client.get("/readyz")
        finally:
            pair.start_standby()
    await engine.dispose()
    # then: reads still work, from the primary, and /readyz reports the replica down
    assert "Before Outage" in during
    assert ready.status_code == 200
    assert ready.json()["replica"] == {"configured": True, "reachable": False}


async def test_a_malformed_min_lsn_is_refused(settings: Settings) -> None:
    # given
    engine = create_engine(settings)
    async with serving(engine, settings) as client:
        # when
        response = await client.post(
            "/graphql", json={"query": SOURCE_NAMES}, headers={"Claimgraph-Min-LSN": "yesterday"}
        )
    await engine.dispose()
    # then
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID"


def test_wal_positions_read_and_print_as_postgresql_does() -> None:
    assert parse_lsn("16/B374D848") == (0x16 << 32) | 0xB374D848
    assert format_lsn(parse_lsn("0/16B3748") or 0) == "0/16B3748"
    assert parse_lsn("0/") is None
    assert parse_lsn("1/2/3") is None
