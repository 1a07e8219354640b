"""Bulk writes record changes too: the demo loader one per attribution, a restore and a
bulk import one ATTRIBUTION_ADDED per claim of each batch (docs/live.md)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.live.kinds import ChangeKind
from tests.api.interchange.data import load_story
from tests.api.interchange.test_jsonl_bulk import load, start_over
from tests.api.interchange.test_jsonl_roundtrip import dump

ADDED = """
SELECT count(*) FILTER (WHERE attribution_id IS NOT NULL) AS per_row,
       count(*) FILTER (WHERE attribution_id IS NULL) AS per_claim,
       count(DISTINCT claim_id) AS claims,
       count(*) FILTER (WHERE position IS NULL OR cardinality(source_ids) = 0) AS unnumbered
FROM change WHERE kind = :kind
"""


async def _added(db: AsyncEngine) -> tuple[int, int, int, int]:
    async with db.connect() as connection:
        row = (await connection.execute(text(ADDED), {"kind": ChangeKind.ATTRIBUTION_ADDED})).one()
    return (row.per_row, row.per_claim, row.claims, row.unnumbered)


async def _stored(db: AsyncEngine) -> tuple[int, int]:
    async with db.connect() as connection:
        row = (
            await connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM attribution),"
                    " (SELECT count(DISTINCT claim_id) FROM attribution)"
                )
            )
        ).one()
    return (row[0], row[1])


async def test_the_demo_loader_records_each_attribution(db: AsyncEngine) -> None:
    # when
    await load_story(db)
    # then
    attributions, _ = await _stored(db)
    assert attributions > 0
    per_row, per_claim, _, unnumbered = await _added(db)
    assert (per_row, per_claim, unnumbered) == (attributions, 0, 0)


async def test_a_restore_records_one_addition_per_claim(db: AsyncEngine) -> None:
    # given: a dump, and an empty database
    await load_story(db)
    data = await dump(db)
    await start_over(db)
    async with db.begin() as connection:
        await connection.execute(text("TRUNCATE change RESTART IDENTITY"))
    # when: it is restored (batches of 7 lines)
    report = await load(db, data, restore=True)
    # then: no change per attribution; every claim announced, numbered, with its sources
    assert report.error_count == 0 and report.restored
    _, claims = await _stored(db)
    per_row, per_claim, announced, unnumbered = await _added(db)
    assert (per_row, announced, unnumbered) == (0, claims, 0)
    assert per_claim >= claims


async def test_a_bulk_import_records_one_addition_per_claim(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    data = await dump(db)
    await start_over(db)
    async with db.begin() as connection:
        await connection.execute(text("TRUNCATE change RESTART IDENTITY"))
    # when
    report = await load(db, data, bulk=True, restore=False)
    # then
    assert report.error_count == 0 and not report.restored
    per_row, _, announced, unnumbered = await _added(db)
    assert (per_row, announced, unnumbered) == (0, (await _stored(db))[1], 0)
