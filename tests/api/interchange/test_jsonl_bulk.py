"""`import --bulk` leaves the database as the row triggers would, and holds their rules."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.interchange.jsonl_import import ImportAborted, ImportReport, import_jsonl
from tests.api.cli.test_interchange_commands import claimgraph
from tests.api.interchange.data import counts, empty, load_story, other_session, raw
from tests.api.interchange.test_jsonl_import import ATTRIBUTION, CLAIM, DOCUMENT, SOURCE, lines
from tests.api.interchange.test_jsonl_roundtrip import dump

# What the triggers derive, in an order that does not depend on how rows went in.
DERIVED = {
    "source_claim": "SELECT source_id, claim_id, stance, confirmed_stance,"
    " latest_attribution_id, claim_created_at FROM source_claim ORDER BY 1, 2",
    "claim_search": "SELECT claim_id, vector::text, folded, statement_vector::text,"
    " statement_folded, created_at FROM claim_search ORDER BY 1",
    "search_word": "SELECT word FROM search_word ORDER BY 1",
    "revision": "SELECT node_type, node_id, operation, actor, before, after FROM revision"
    " ORDER BY node_type, node_id, id",
    "version": "SELECT 'a', id, version FROM attribution UNION ALL SELECT 'c', id, version"
    " FROM claim UNION ALL SELECT 's', id, version FROM source"
    " UNION ALL SELECT 'd', id, version FROM document ORDER BY 1, 2",
}
SUMMARIES = ("source_claim", "claim_search", "search_word")
TRIGGERS_OFF = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'"


async def load(db: AsyncEngine, data: bytes, **options: Any) -> ImportReport:
    async with db.connect() as connection:
        report = await import_jsonl(
            await raw(connection), io.BytesIO(data), batch_size=7, **options
        )
        await connection.commit()
    return report


async def derived(db: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    async with db.connect() as connection:
        return {
            name: [tuple(row) for row in (await connection.execute(text(sql))).all()]
            for name, sql in DERIVED.items()
        }


async def start_over(db: AsyncEngine) -> None:
    await empty(db)
    async with db.begin() as connection:
        await connection.execute(text("TRUNCATE search_word"))


async def imported_both_ways(db: AsyncEngine, data: bytes) -> tuple[dict[str, Any], ...]:
    """The derived rows after importing `data` row by row, then after a bulk import."""
    results = []
    for bulk in (False, True):
        await start_over(db)
        report = await load(db, data, bulk=bulk)
        assert report.error_count == 0, report.errors
        results.append(await derived(db))
    return tuple(results)


async def test_a_bulk_import_derives_what_the_row_triggers_derive(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    data = await dump(db)
    # when
    by_row, by_bulk = await imported_both_ways(db, data)
    # then
    assert by_row["source_claim"] and by_row["claim_search"] and by_row["search_word"]
    for name in DERIVED:
        assert by_bulk[name] == by_row[name], name
    assert await dump(db) == data
    async with db.connect() as connection:
        assert (await connection.execute(text(TRIGGERS_OFF))).all() == []


async def test_a_bulk_import_over_stored_rows_updates_them_through_the_triggers(
    db: AsyncEngine,
) -> None:
    # given: the story stored, and a dump of it where one attribution changed its stance
    await load_story(db)
    data = await dump(db)
    records = [orjson.loads(line) for line in data.splitlines()]
    changed = next(r for r in records if r["type"] == "Attribution" and r["stance"] == "AFFIRMS")
    changed["stance"] = "DENIES"
    edited = b"".join(orjson.dumps(r) + b"\n" for r in records)
    results = []
    for bulk in (False, True):
        await start_over(db)
        await load(db, data)
        # when
        report = await load(db, edited, bulk=bulk)
        results.append((report.changed, await derived(db)))
    # then
    (row_changed, by_row), (bulk_changed, by_bulk) = results
    assert +bulk_changed == +row_changed == {"Attribution": 1}
    assert [r for r in by_bulk["revision"] if r[2] == "UPDATE"] != []
    for name in DERIVED:
        assert by_bulk[name] == by_row[name], name


async def test_importing_twice_in_bulk_changes_nothing(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    data = await dump(db)
    await start_over(db)
    await load(db, data, bulk=True)
    before = (await counts(db), await derived(db))
    # when
    report = await load(db, data, bulk=True)
    # then
    assert sum(report.changed.values()) == 0
    assert (await counts(db), await derived(db)) == before


BAD_QUOTE = lines(
    SOURCE,
    DOCUMENT,
    CLAIM,
    {**ATTRIBUTION, "id": "QXR0cmlidXRpb246Mg==", "quoteStart": 12, "quoteEnd": 35},
    ATTRIBUTION,
)


async def test_a_bulk_import_refuses_a_quote_off_its_offsets_by_line(db: AsyncEngine) -> None:
    # when
    report = await load(db, BAD_QUOTE, bulk=True)
    # then
    assert [(e.line, e.message) for e in report.errors] == [
        (4, "quote is not the document's text at its offsets")
    ]
    assert (await counts(db))[:5] == (1, 1, 1, 1, 1)
    assert len((await derived(db))["source_claim"]) == 1


async def test_a_strict_bulk_import_writes_nothing_and_leaves_the_triggers_on(
    db: AsyncEngine,
) -> None:
    # given
    before = await counts(db)
    # when
    with pytest.raises(ImportAborted) as aborted:
        await load(db, BAD_QUOTE, bulk=True, strict=True)
    # then
    assert aborted.value.error.line == 4
    assert await counts(db) == before
    async with db.connect() as connection:
        assert (await connection.execute(text(TRIGGERS_OFF))).all() == []


async def test_readers_go_on_during_a_bulk_import_and_writers_wait(
    db: AsyncEngine, database_url: str
) -> None:
    # given: a bulk import done but not committed
    await load_story(db)
    data = await dump(db)
    await start_over(db)
    async with other_session(database_url) as other, db.connect() as connection:
        importer = await raw(connection)
        async with importer.transaction():
            await import_jsonl(importer, io.BytesIO(data), bulk=True)
            # when
            seen = await other.fetchval("SELECT count(*) FROM attribution")
            searched = await other.fetchval("SELECT count(*) FROM claim_search")
            with pytest.raises(asyncpg.LockNotAvailableError):
                await other.execute("INSERT INTO claim (statement, language) VALUES ('Neu', 'de')")
        await connection.commit()
    # then: the reader saw the database as it was before the import
    assert (seen, searched) == (0, 0)
    assert (await counts(db))[3] > 0


def _migration_0010() -> Any:
    path = Path(migrate.MIGRATIONS_DIR, "versions", "0010_faster_summaries.py")
    spec = importlib.util.spec_from_file_location("faster_summaries", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def refreshed(driver: Any, functions_of_0009: bool) -> list[list[Any]]:
    """The summaries rebuilt from scratch, in a transaction rolled back afterwards."""
    transaction = driver.transaction()
    await transaction.start()
    try:
        for function, clauses in _migration_0010().REWRITES if functions_of_0009 else []:
            definition = await driver.fetchval(
                f"SELECT pg_get_functiondef('{function}'::regprocedure)"
            )
            for old, new in clauses:
                assert new in definition
                definition = definition.replace(new, old)
            await driver.execute(definition)
        await driver.execute("TRUNCATE search_word")
        await driver.execute("SELECT cg_refresh_claims(array(SELECT id FROM claim))")
        return [await driver.fetch(DERIVED[name]) for name in SUMMARIES]
    finally:
        await transaction.rollback()


async def test_the_refresh_of_0010_writes_what_the_refresh_of_0009_wrote(
    db: AsyncEngine,
) -> None:
    # given: the story, with quotes of ASCII only and accented ones
    await load_story(db)
    async with db.connect() as connection:
        driver = await raw(connection)
        ascii_only = await driver.fetch(
            "SELECT DISTINCT octet_length(quote) = char_length(quote) FROM attribution"
            " WHERE quote IS NOT NULL"
        )
        assert len(ascii_only) == 2
        # when
        before = await refreshed(driver, functions_of_0009=True)
        after = await refreshed(driver, functions_of_0009=False)
    # then
    assert all(before)  # rows in every summary
    assert after == before


async def test_an_import_gives_back_the_session_settings_it_changed(db: AsyncEngine) -> None:
    # given: a connection of the service's engine, with its statement timeout
    settings = "SELECT current_setting('statement_timeout'), current_setting('plan_cache_mode')"
    async with db.connect() as connection:
        driver = await raw(connection)
        before = tuple(await driver.fetchrow(settings))
        # when: the import lifts the timeout and sets its own plan mode meanwhile
        await import_jsonl(driver, io.BytesIO(BAD_QUOTE), bulk=True)
        # then
        assert before[0] != "0"
        assert tuple(await driver.fetchrow(settings)) == before
        await connection.rollback()


async def test_the_command_line_imports_in_bulk(
    db: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    # given
    await load_story(db)
    data = await dump(db)
    before = await counts(db)
    path = tmp_path / "dump.jsonl"
    path.write_bytes(data)
    await start_over(db)
    # when
    imported = claimgraph(database_url, "import", "--bulk", str(path))
    # then
    assert imported.returncode == 0, imported.stderr
    assert b"0 skipped" in imported.stdout
    after = await counts(db)
    assert after[:5] == before[:5]
    assert after[6:8] == before[6:8]  # the summary tables
    assert await dump(db) == data
