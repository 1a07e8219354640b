"""`claimgraph keys`: a key printed once on the last line, stored as a hash, revocable."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.app import serving

CREATE_SOURCE = """mutation { createSource(input: {name: "KCNA", kind: NEWS_AGENCY}) {
  source { name } errors { code } } }"""


def _keys(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "CLAIMGRAPH_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "keys", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_create_prints_the_key_alone_on_the_last_line_and_it_writes(
    db: AsyncEngine, database_url: str
) -> None:
    # when
    created = _keys(database_url, "create", "--role", "editor", "--name", "desk")
    # then
    assert created.returncode == 0, created.stderr
    key = created.stdout.splitlines()[-1]
    assert key.startswith("cg_") and " " not in key and len(key) >= 40
    async with serving(db, key=key) as client:
        response = await client.post("/graphql", json={"query": CREATE_SOURCE})
    assert response.json()["data"]["createSource"] == {"source": {"name": "KCNA"}, "errors": []}


async def test_only_the_hash_and_a_short_prefix_are_stored(
    db: AsyncEngine, database_url: str
) -> None:
    # given
    key = _keys(database_url, "create", "--role", "reader", "--name", "r").stdout.splitlines()[-1]
    # when
    async with db.connect() as connection:
        row = (await connection.execute(text("SELECT * FROM api_key"))).mappings().one()
    # then
    assert bytes(row["key_hash"]) == hashlib.sha256(key.encode()).digest()
    assert row["prefix"] == key[:11] and len(row["prefix"]) < len(key) // 3
    stored = " ".join(str(v) for v in row.values())
    assert key not in stored and key[3:] not in stored


async def test_list_shows_keys_and_revoke_refuses_the_key_afterwards(
    db: AsyncEngine, database_url: str
) -> None:
    # given
    key = _keys(database_url, "create", "--role", "editor", "--name", "bot").stdout.split()[-1]
    # when
    revoked = _keys(database_url, "revoke", key[:11])
    again = _keys(database_url, "revoke", "bot")
    listing = _keys(database_url, "list")
    duplicate = _keys(database_url, "create", "--role", "admin", "--name", "bot")
    async with serving(db, key=key) as client:
        response = await client.post("/graphql", json={"query": CREATE_SOURCE})
    # then
    assert revoked.returncode == 0 and "revoked key 'bot'" in revoked.stdout
    assert again.returncode == 1 and "no unrevoked key" in again.stderr
    header, row = listing.stdout.splitlines()
    assert header.split()[:3] == ["name", "role", "prefix"] and "last used" in header
    assert row.split()[:3] == ["bot", "editor", key[:11]]
    assert duplicate.returncode == 1 and "exists" in duplicate.stderr
    assert response.json()["data"]["createSource"]["errors"] == [{"code": "UNAUTHENTICATED"}]
    async with db.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM source")) == 0
