"""A restore into an empty database leaves what the row triggers leave, and holds their rules."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.interchange import readahead
from api.interchange.ids import encode_id
from api.interchange.jsonl_import import ImportAborted, import_jsonl, parse_line
from api.interchange.restore import RestoreRefused
from tests.api.cli.test_interchange_commands import claimgraph
from tests.api.interchange.data import counts, load_story, other_session, raw
from tests.api.interchange.test_jsonl_bulk import (
    BAD_QUOTE,
    TRIGGERS_OFF,
    derived,
    load,
    start_over,
)
from tests.api.interchange.test_jsonl_import import ATTRIBUTION, BAD, CLAIM, DOCUMENT, SOURCE, lines
from tests.api.interchange.test_jsonl_roundtrip import dump

# Every index and constraint of the schema, as the catalog defines them.
CATALOG = """
SELECT t.relname, i.relname, pg_get_indexdef(i.oid) FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relnamespace = 'public'::regnamespace
UNION ALL
SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) || ' ' || convalidated
FROM pg_constraint WHERE connamespace = 'public'::regnamespace
ORDER BY 1, 2, 3
"""
NOTHING: tuple[Any, ...] = (0, 0, 0, 0, 0, 0, 0, 0, None)  # counts() of an empty database
# The base tables whole, in an order that does not depend on how rows went in.
TABLES = {
    "attribution_chain": "SELECT * FROM attribution_chain ORDER BY attribution_id, position",
    "attribution": "SELECT * FROM attribution ORDER BY id",
    "claim": "SELECT * FROM claim ORDER BY id",
    "document": "SELECT * FROM document ORDER BY id",
    "source": "SELECT * FROM source ORDER BY id",
}


async def catalog(db: AsyncEngine) -> list[tuple[Any, ...]]:
    async with db.connect() as connection:
        rows = (await connection.execute(text(CATALOG))).all()
        assert (await connection.execute(text(TRIGGERS_OFF))).all() == []
    return [tuple(row) for row in rows]


async def stored(db: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    async with db.connect() as connection:
        return {
            name: [tuple(row) for row in (await connection.execute(text(sql))).all()]
            for name, sql in TABLES.items()
        }


async def imported(db: AsyncEngine, data: bytes, **options: Any) -> tuple[Any, ...]:
    """What an import of `data` into an emptied database reports and leaves."""
    await start_over(db)
    report = await load(db, data, **options)
    errors = [(e.line, e.message) for e in report.errors]
    return errors, +report.changed, await derived(db), await stored(db), await dump(db)


async def test_a_restore_leaves_what_the_row_triggers_leave(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    data = await dump(db)
    schema = await catalog(db)
    by_row = await imported(db, data, restore=False)
    # when
    by_restore = await imported(db, data, restore=True)
    # then: every derived table, every stored row, the export's bytes, the same
    _, _, row_derived, row_stored, _ = by_row
    assert all(row_derived[name] for name in ("source_claim", "claim_search", "search_word"))
    assert all(row_stored.values())
    assert by_restore == by_row
    assert by_restore[4] == data
    assert await catalog(db) == schema  # indexes and constraints as the migrations made them


async def test_a_restore_of_bad_lines_skips_what_the_bulk_path_skips(db: AsyncEngine) -> None:
    # given: bad JSON, a bad value, an unknown claim, a quote off its text, in file order
    data = BAD + lines({**ATTRIBUTION, "id": encode_id("Attribution", 9), "quoteStart": 12,
                        "quoteEnd": 35})  # fmt: skip
    by_bulk = await imported(db, data, bulk=True, restore=False)
    # when
    by_restore = await imported(db, data, restore=True)
    # then
    assert [line for line, _ in by_restore[0]] == [2, 3, 4, 5, 8, 10]
    assert by_restore == by_bulk


async def test_a_restore_derives_the_same_with_one_batch_or_many(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    data = await dump(db)
    await start_over(db)
    async with db.connect() as connection:
        await import_jsonl(await raw(connection), io.BytesIO(data), restore=True)
        await connection.commit()
    one_batch = (await derived(db), await stored(db))
    # when: batches of 7 lines (load() of test_jsonl_bulk)
    _, _, in_batches, rows, _ = await imported(db, data, restore=True)
    # then
    assert (in_batches, rows) == one_batch


async def test_a_restore_refuses_a_database_with_records_and_writes_nothing(
    db: AsyncEngine,
) -> None:
    # given
    await load_story(db)
    data = await dump(db)
    before = (await counts(db), await derived(db), await catalog(db))
    # when
    with pytest.raises(RestoreRefused, match="holds records"):
        await load(db, data, restore=True)
    # then
    assert (await counts(db), await derived(db), await catalog(db)) == before


async def test_a_strict_restore_with_a_bad_line_writes_nothing(db: AsyncEngine) -> None:
    # given
    schema = await catalog(db)
    # when
    with pytest.raises(ImportAborted) as aborted:
        await load(db, BAD_QUOTE, restore=True, strict=True)
    # then
    assert aborted.value.error.line == 4
    assert await counts(db) == NOTHING
    assert await catalog(db) == schema


def _failing(data: bytes, after: int) -> Iterator[bytes]:
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        if number > after:
            raise OSError("the disk went away")
        yield line


async def test_a_restore_that_fails_midway_leaves_the_database_as_it_was(
    db: AsyncEngine,
) -> None:
    # given: a dump whose reading fails after its attributions began
    await load_story(db)
    data = await dump(db)
    first_attribution = next(
        n for n, line in enumerate(data.splitlines(), start=1) if b'"Attribution"' in line
    )
    await start_over(db)
    schema = await catalog(db)
    # when
    async with db.connect() as connection:
        with pytest.raises(OSError, match="the disk went away"):
            await import_jsonl(
                await raw(connection), _failing(data, first_attribution + 3), batch_size=2,
                restore=True,
            )  # fmt: skip
        await connection.commit()
    # then: no row, and every index, key and trigger back
    assert await counts(db) == NOTHING
    assert await catalog(db) == schema


async def test_an_import_into_an_empty_database_restores_unless_told(db: AsyncEngine) -> None:
    # given
    data = lines(SOURCE, DOCUMENT, CLAIM, ATTRIBUTION)
    # when
    first = await load(db, data, restore=None)
    again = await load(db, data, restore=None)
    await start_over(db)
    merged = await load(db, data, restore=False)
    # then
    assert (first.restored, again.restored, merged.restored) == (True, False, False)
    assert sum(first.changed.values()) == 4 and sum(again.changed.values()) == 0


async def test_readers_wait_for_a_restore(db: AsyncEngine, database_url: str) -> None:
    # given: a restore done but not committed
    async with other_session(database_url) as other, db.connect() as connection:
        importer = await raw(connection)
        async with importer.transaction():
            await import_jsonl(importer, io.BytesIO(BAD_QUOTE), restore=True)
            # when / then: the whole restore holds ACCESS EXCLUSIVE locks
            with pytest.raises(asyncpg.LockNotAvailableError):
                await other.fetchval("SELECT count(*) FROM claim")
        await connection.commit()
    assert (await counts(db))[:5] == (1, 1, 1, 1, 1)


def test_lines_are_read_at_most_one_chunk_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    # given: a long dump, read in small chunks, whose reading is watched
    monkeypatch.setattr(readahead, "CHUNK_LINES", 10)
    record = lines(SOURCE).rstrip(b"\n")
    read = 0

    def source() -> Iterator[bytes]:
        nonlocal read
        for _ in range(1000):
            read += 1
            yield record

    async def consume() -> list[int]:
        ahead = []
        async with readahead.parsed_ahead(source(), parse_line) as chunks:
            async for chunk in chunks:
                ahead.append(read - chunk[-1][0])
        return ahead

    # when
    ahead = asyncio.run(consume())
    # then: never more than the next chunk (and its first line) read past the current one
    assert len(ahead) == 100
    assert max(ahead) <= 11


async def test_the_command_line_restores_and_refuses_a_full_database(
    db: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    # given
    await load_story(db)
    data = await dump(db)
    path = tmp_path / "dump.jsonl"
    path.write_bytes(data)
    await start_over(db)
    # when
    restored = claimgraph(database_url, "import", "--restore", str(path))
    refused = claimgraph(database_url, "import", "--restore", str(path))
    # then
    assert restored.returncode == 0, restored.stderr
    assert b"0 skipped" in restored.stdout and b"restored" in restored.stdout
    assert await dump(db) == data
    assert refused.returncode == 1
    assert b"holds records" in refused.stderr and b"nothing was imported" in refused.stderr


def test_a_chain_record_reads_the_same_through_the_fast_path() -> None:
    # given: links the fast path reads, and ones it leaves to the full checks
    good = orjson.dumps(ATTRIBUTION)
    bad_role = orjson.dumps({**ATTRIBUTION, "chain": [{"role": "BOSS", "source": "x"}]})
    bad_link = orjson.dumps({**ATTRIBUTION, "chain": ["SOURCE"]})
    # when / then
    parsed = parse_line(good)
    assert isinstance(parsed, tuple) and parsed[1][-2:] == (["SOURCE"], [1])
    assert parse_line(bad_role) == "role must be one of PUBLISHER, SOURCE, VIA, got 'BOSS'"
    assert parse_line(bad_link) == "each chain link must be an object with role and source"
