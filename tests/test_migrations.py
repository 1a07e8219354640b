"""Migrations build the whole schema from nothing, tear it down, and build it again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.db import create_engine
from api.models import Base
from api.settings import Settings
from tests.conftest import SERVER_URL, _admin


@pytest.fixture
async def empty_engine() -> AsyncIterator[AsyncEngine]:
    name = f"claimgraph_migrations_{uuid.uuid4().hex[:12]}"
    await _admin(f'CREATE DATABASE "{name}"')
    url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(Settings(database_url=url))
    try:
        yield engine
    finally:
        await engine.dispose()
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _modelled(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    # Trigram indexes exist only where pg_trgm does, so the models leave them out.
    return not (type_ == "index" and name is not None and name.endswith("_trgm"))


def _drift(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"include_object": _modelled})
    return list(compare_metadata(context, Base.metadata))


async def test_upgrade_downgrade_upgrade_on_an_empty_database(empty_engine: AsyncEngine) -> None:
    # when
    await migrate.upgrade(empty_engine)
    # then
    assert await migrate.is_at_head(empty_engine)
    async with empty_engine.connect() as connection:
        assert {"source", "document", "claim", "attribution", "attribution_chain"} <= (
            await connection.run_sync(_tables)
        )
        # the models and the migrations describe the same schema
        assert await connection.run_sync(_drift) == []

    # when
    await migrate.downgrade(empty_engine)
    # then
    assert not await migrate.is_at_head(empty_engine)
    async with empty_engine.connect() as connection:
        assert await connection.run_sync(_tables) <= {"alembic_version"}
        functions = await connection.scalar(
            text("SELECT count(*) FROM pg_proc WHERE proname IN"
                " ('attribution_quote_matches_text', 'document_text_keeps_quotes')")
        )
        assert functions == 0

    # when
    await migrate.upgrade(empty_engine)
    # then
    assert await migrate.is_at_head(empty_engine)
