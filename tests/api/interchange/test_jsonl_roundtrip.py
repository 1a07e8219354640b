"""A dump goes out and comes back: identical, idempotent, sequences moved on."""

from __future__ import annotations

import io

import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.interchange import ids, jsonl_import
from api.interchange.jsonl_export import export_jsonl
from api.interchange.jsonl_import import ImportReport, import_jsonl
from schema import ids as schema_ids
from tests.api.interchange.data import counts, empty, load_story, raw


async def dump(db: AsyncEngine) -> bytes:
    out = io.BytesIO()
    async with db.connect() as connection:
        await export_jsonl(await raw(connection), out.write)
    return out.getvalue()


async def load(db: AsyncEngine, data: bytes, **options: object) -> ImportReport:
    async with db.connect() as connection:
        report = await import_jsonl(
            await raw(connection),
            io.BytesIO(data),
            batch_size=7,
            **options,  # type: ignore[arg-type]
        )
        await connection.commit()
    return report


async def test_export_import_export_gives_the_same_bytes(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    first = await dump(db)
    before = await counts(db)
    await empty(db)
    # when
    report = await load(db, first)
    second = await dump(db)
    # then
    assert report.error_count == 0, report.errors
    assert second == first
    after = await counts(db)
    assert after[:5] == before[:5]
    assert after[6:8] == before[6:8]  # the summary tables the triggers keep


async def test_the_dump_carries_chains_quotes_hedges_quantities_and_retractions(
    db: AsyncEngine,
) -> None:
    # given
    await load_story(db)
    # when
    records = [orjson.loads(line) for line in (await dump(db)).splitlines()]
    # then
    assert records[0] == {"type": "Header", "format": "claimgraph-jsonl", "version": 1}
    types = [r["type"] for r in records[1:]]
    assert types == sorted(types, key=["Source", "Document", "Claim", "Attribution"].index)
    attributions = [r for r in records if r["type"] == "Attribution"]
    assert any(len(a["chain"]) > 2 for a in attributions)
    assert any(a["hedges"] for a in attributions)
    assert any(a["quantity"] for a in attributions)
    assert any(a["reviewStatus"] == "RETRACTED" for a in attributions)
    assert all(a["quoteEnd"] - a["quoteStart"] == len(a["quote"]) for a in attributions)
    sources = [r for r in records if r["type"] == "Source"]
    position = {s["id"]: i for i, s in enumerate(sources)}
    assert all(position[s["affiliation"]] < position[s["id"]] for s in sources if s["affiliation"])


async def test_importing_twice_changes_nothing(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    data = await dump(db)
    before = await counts(db)
    # when
    report = await load(db, data)
    # then
    assert sum(report.changed.values()) == 0
    assert await counts(db) == before  # no row, revision or version more


async def test_an_import_moves_the_sequences_past_its_ids(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    data = await dump(db)
    await empty(db)
    await load(db, data)
    # when
    async with db.begin() as connection:
        new_id = (
            await connection.execute(
                text("INSERT INTO claim (statement, language) VALUES ('Neu', 'de') RETURNING id")
            )
        ).scalar_one()
        largest = (
            await connection.execute(
                text("SELECT max(id) FROM claim WHERE id <> :id"), {"id": new_id}
            )
        ).scalar_one()
    # then
    assert new_id > largest


async def test_imported_rows_are_recorded_as_the_importing_actor(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    data = await dump(db)
    await empty(db)
    # when
    await load(db, data, actor="import-test")
    # then
    async with db.connect() as connection:
        actors = (await connection.execute(text("SELECT DISTINCT actor FROM revision"))).all()
    assert actors == [("import-test",)]


def test_dump_ids_are_the_global_ids_of_the_api() -> None:
    for type_name in ("Source", "Document", "Claim", "Attribution"):
        assert ids.encode_id(type_name, 42) == schema_ids.encode_id(type_name, 42)
        assert ids.decode_typed(schema_ids.encode_id(type_name, 7), type_name) == 7
    assert ids.decode_typed(schema_ids.encode_id("Claim", 7), "Source") is None


async def test_since_exports_only_what_was_created_or_changed_after(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    async with db.begin() as connection:
        cut = (await connection.execute(text("SELECT clock_timestamp()"))).scalar_one()
    async with db.begin() as connection:
        await connection.execute(text("UPDATE source SET reliability = 'A' WHERE name = 'KCNA'"))
    # when
    out = io.BytesIO()
    async with db.connect() as connection:
        found = await export_jsonl(await raw(connection), out.write, since=cut)
    # then
    assert found == {"Source": 1}
    assert orjson.loads(out.getvalue().splitlines()[1])["name"] == "KCNA"


async def test_batches_also_end_at_a_byte_bound(
    db: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: batches of a few records, however large their count limit
    monkeypatch.setattr(jsonl_import, "MAX_BATCH_BYTES", 600)
    await load_story(db)
    first = await dump(db)
    await empty(db)
    # when
    async with db.connect() as connection:
        report = await import_jsonl(await raw(connection), io.BytesIO(first), batch_size=10_000)
        await connection.commit()
    # then
    assert report.error_count == 0
    assert await dump(db) == first
