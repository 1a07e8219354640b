"""Bulk writes record changes too: the demo loader one per attribution, a restore and a
bulk import one ATTRIBUTION_ADDED per claim of each batch (docs/live.md)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from api.generate.options import GenerateOptions
from api.generate.run import generate
from api.ids import decode_id
from api.live.kinds import ChangeKind
from tests.api.interchange.data import load_story
from tests.api.interchange.test_jsonl_bulk import load, start_over
from tests.api.interchange.test_jsonl_roundtrip import dump
from tests.support.app import new_key, serving

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


CONTESTED_CLAIMS = """{ claims(first: 100) { edges { node { id comparison { contested } } } }
  documents(first: 1) { edges { node { id } } } sources(first: 1) { edges { node { id } } } }"""
ADD = """mutation($input: AddAttributionInput!) {
  addAttribution(input: $input) { attribution { id } errors { code message } } }"""


async def test_a_claim_a_bulk_load_made_contested_is_not_announced_at_its_next_write(
    db: AsyncEngine,
) -> None:
    # given: generated claims (a bulk load: it decides no CLAIM_CONTESTED), one contested
    await generate(db, GenerateOptions(claims=60, seed=7))
    key = await new_key(db, Role.EDITOR)
    async with serving(db, key=key) as client:
        data = (await client.post("/graphql", json={"query": CONTESTED_CLAIMS})).json()["data"]
        contested = [
            e["node"]["id"] for e in data["claims"]["edges"] if e["node"]["comparison"]["contested"]
        ]
        assert contested, "the generated data holds no contested claim"
        document = data["documents"]["edges"][0]["node"]["id"]
        source = data["sources"]["edges"][0]["node"]["id"]
        # when: a write through the app adds to it
        variables = {"input": {"claimId": contested[0], "documentId": document, "sourceId": source}}
        answer = (await client.post("/graphql", json={"query": ADD, "variables": variables})).json()
    assert answer["data"]["addAttribution"]["errors"] == []
    # then: it was contested before this write: no announcement, and its state is known now
    async with db.connect() as connection:
        announced = await connection.scalar(
            text("SELECT count(*) FROM change WHERE kind = 'CLAIM_CONTESTED'")
        )
        remembered = await connection.scalar(
            text(
                "SELECT contested FROM claim_contested m JOIN change c USING (claim_id)"
                " WHERE c.attribution_id = CAST(:id AS bigint)"
            ),
            {"id": decode_id(answer["data"]["addAttribution"]["attribution"]["id"])[1]},
        )
    assert announced == 0
    assert remembered is True
