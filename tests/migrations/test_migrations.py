"""Migrations build the whole schema from nothing, tear it down, and build it again;
a database left at any older revision upgrades to the same schema; the files sort in
revision order."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.auth.keys import new_key
from api.db import create_engine
from api.models import Base
from api.settings import Settings
from tests.support.database import fresh_database

SCRIPTS = ScriptDirectory.from_config(migrate.alembic_config())
# Oldest first: the order a database takes them in.
CHAIN = [script.revision for script in reversed(list(SCRIPTS.walk_revisions()))]

# Every object of the schema as one sorted line each, in PostgreSQL's own words.
SCHEMA = """
SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension
UNION ALL
SELECT 'relation ' || relname || ' ' || relkind::text FROM pg_class
WHERE relnamespace = 'public'::regnamespace AND relkind <> 'i'
UNION ALL
SELECT format('column %s.%s #%s %s%s%s%s', c.relname, a.attname,
              row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
              format_type(a.atttypid, a.atttypmod),
              CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
              ' generated ' || nullif(a.attgenerated::text, ''),
              ' default ' || pg_get_expr(d.adbin, d.adrelid))
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
  AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL
SELECT 'trigger ' || pg_get_triggerdef(t.oid) || ' ' || t.tgenabled::text FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
UNION ALL
SELECT 'function ' || pg_get_functiondef(oid) FROM pg_proc
WHERE pronamespace = 'public'::regnamespace AND prokind IN ('f', 'p')
UNION ALL
SELECT 'view ' || relname || ' ' || pg_get_viewdef(oid) FROM pg_class
WHERE relnamespace = 'public'::regnamespace AND relkind IN ('v', 'm')
UNION ALL
SELECT format('type %s %s', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder))
FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname
UNION ALL
SELECT format('sequence %s %s %s %s %s', sequencename, data_type, increment_by, min_value,
              max_value) FROM pg_sequences WHERE schemaname = 'public'
UNION ALL
SELECT 'version ' || version_num FROM alembic_version
ORDER BY 1
"""


@asynccontextmanager
async def fresh_engine() -> AsyncIterator[AsyncEngine]:
    async with fresh_database("claimgraph_migrations") as url:
        engine = create_engine(Settings(database_url=url))
        try:
            yield engine
        finally:
            await engine.dispose()


@pytest.fixture
async def empty_engine() -> AsyncIterator[AsyncEngine]:
    async with fresh_engine() as engine:
        yield engine


async def schema_of(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list((await connection.scalars(text(SCHEMA))).all())


@pytest.fixture(scope="module")
async def schema_at_head() -> list[str]:
    """The schema of a database migrated straight from nothing to head."""
    async with fresh_engine() as engine:
        await migrate.upgrade(engine)
        return await schema_of(engine)


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


def test_migration_files_sort_in_revision_order() -> None:
    # given: the chain walked from base, and the files as ls shows them
    named = [Path(SCRIPTS.get_revision(revision).path).name for revision in CHAIN]
    on_disk = sorted(path.name for path in Path(SCRIPTS.versions).glob("*.py"))
    # then: one line of revisions, each file named NNNN_slug after its own revision id
    assert len(SCRIPTS.get_heads()) == 1
    assert named == on_disk
    assert all(name.startswith(f"{revision}_") for revision, name in zip(CHAIN, named, strict=True))


@pytest.mark.parametrize("old_head", CHAIN[:-1])
async def test_a_database_at_an_older_revision_upgrades_to_the_schema_of_head(
    old_head: str, empty_engine: AsyncEngine, schema_at_head: list[str]
) -> None:
    # given: a database last migrated when `old_head` was the newest revision
    await migrate.upgrade(empty_engine, old_head)
    async with empty_engine.connect() as connection:
        current = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )
    assert current == old_head
    assert not await migrate.is_at_head(empty_engine)
    # when
    await migrate.upgrade(empty_engine)
    # then
    assert await migrate.is_at_head(empty_engine)
    assert await schema_of(empty_engine) == schema_at_head


def _stored(body: str, content_type: str = "application/graphql-response+json") -> str:
    """An idempotency_key.response as the Idempotency-Key gate stored it (before 0012)."""
    return json.dumps({"content_type": content_type, "body": body, "headers": []})


def _answer(field: str, payload: Mapping[str, object]) -> str:
    return json.dumps({"data": {field: payload}})


async def test_0012_purges_stored_answers_that_hold_a_new_key(empty_engine: AsyncEngine) -> None:
    # given: answers stored under Idempotency-Keys before createApiKey was refused there
    api_key = {"id": "QXBpS2V5OjE=", "name": "ci", "role": "EDITOR"}
    failed = {"apiKey": None, "key": None, "errors": [{"code": "TAKEN"}]}
    claim = {"claim": {"id": "Q2xhaW06MQ==", "statement": "cg_ is a prefix"}, "errors": []}
    rows = {
        "secret": _stored(_answer("createApiKey", {"apiKey": api_key, "key": new_key()})),
        # aliases rename both the mutation and the field; the key is known by its form
        "aliased secret": _stored(_answer("made", {"shownOnce": new_key()})),
        "in a batch": _stored(f"[{_answer('createApiKey', {'key': new_key()})}]"),
        "failed createApiKey": _stored(_answer("createApiKey", failed)),
        "createClaim": _stored(_answer("createClaim", claim)),
        "not JSON": _stored("Unable to parse request body as JSON", "text/plain"),
        "clientMutationId:1": json.dumps({"id": 7}),
    }
    await migrate.upgrade(empty_engine, "0011")
    async with empty_engine.begin() as connection:
        for key, response in rows.items():
            await connection.execute(
                text(
                    "INSERT INTO idempotency_key (owner, key, request_hash, status_code, response)"
                    " VALUES ('key:1', :key, :hash, 200, CAST(:response AS jsonb))"
                ),
                {"key": key, "hash": bytes(32), "response": response},
            )
    # when
    await migrate.upgrade(empty_engine, "0012")
    # then
    async with empty_engine.connect() as connection:
        kept = set((await connection.scalars(text("SELECT key FROM idempotency_key"))).all())
    assert kept == {"failed createApiKey", "createClaim", "not JSON", "clientMutationId:1"}
