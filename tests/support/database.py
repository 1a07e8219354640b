"""The PostgreSQL server the tests run against, and throwaway databases on it.

TEST_DATABASE_URL names the server (default: the local one at 127.0.0.1:5432). Every
database made here has a random name, so parallel workers (pytest-xdist) and parallel
runs never share one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy.engine import make_url

SERVER_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TABLES = (
    "attribution_chain, attribution, claim, document, source, api_key, revision, idempotency_key,"
    " change, claim_contested"
)


async def admin(sql: str) -> None:
    """Runs one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    url = make_url(SERVER_URL)
    connection = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, password=url.password,
        database=url.database or "postgres",
    )
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@asynccontextmanager
async def fresh_database(prefix: str) -> AsyncIterator[str]:
    """An empty database named `<prefix>_<random>`, dropped (even if in use) afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    await admin(f'CREATE DATABASE "{name}"')
    url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
