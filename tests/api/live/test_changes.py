"""The outbox (migration 0014, api/live/recording.py, api/live/changes.py): every write
records its changes in its own transaction, numbered at commit in commit order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from api.claims.merge import merge_claims
from api.claims.service import update_claim
from api.db import create_session_factory
from api.enums import ReviewStatus, SourceReliability, Stance
from api.live.changes import CHANNEL, Change, changes_after, last_position
from api.live.kinds import ChangeKind
from api.provenance.edit import AttributionEdit, update_attribution
from api.provenance.review import (
    hard_retract_attribution,
    retract_attribution,
    review_attribution,
)
from api.sources.service import SourceEdit, update_source
from tests.support.app import GraphQLClient, new_key, serving
from tests.support.stored import claim, report, source

ADD = ChangeKind.ATTRIBUTION_ADDED
CONTESTED = ChangeKind.CLAIM_CONTESTED
INGEST = """
mutation { ingestDocument(input: {text: "Kim kommt nach Wostotschny, berichtete KCNA.",
  language: "de"}) { document { id } errors { code } } }"""


async def _changes(db: AsyncEngine, after: int = 0) -> list[Change]:
    async with db.connect() as connection:
        return await changes_after(connection, after)


def _kinds(changes: list[Change]) -> list[tuple[ChangeKind, int | None]]:
    return [(change.kind, change.claim_id) for change in changes]


@pytest.fixture
async def raw(db: AsyncEngine) -> AsyncIterator[list[asyncpg.Connection]]:
    """Two plain connections to the test database, for interleaved transactions."""
    url = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
    connections = [await asyncpg.connect(url) for _ in range(2)]
    yield connections
    for connection in connections:
        await connection.close()


async def test_an_attribution_records_its_addition_with_its_chain(db: AsyncEngine) -> None:
    # given
    async with create_session_factory(db).begin() as session:
        kcna = await source(session, "KCNA")
        tass = await source(session, "TASS")
        claim_id = await claim(session)
    # when
    async with create_session_factory(db).begin() as session:
        pk = await report(session, claim_id, tass, via=[kcna])
    # then
    [added] = await _changes(db)
    assert (added.kind, added.claim_id, added.attribution_id, added.source_id) == (
        ADD,
        claim_id,
        pk,
        tass,
    )
    assert set(added.source_ids) == {kcna, tass}
    assert added.position >= 1 and added.at is not None
    async with db.connect() as connection:
        assert await last_position(connection) == added.position


async def test_reviews_retractions_and_edits_record_their_kinds(db: AsyncEngine) -> None:
    # given
    async with create_session_factory(db).begin() as session:
        kcna = await source(session, "KCNA")
        claim_id = await claim(session)
        suggested = await report(session, claim_id, kcna, suggested=True)
        edited = await report(session, claim_id, kcna)
        retracted = await report(session, claim_id, kcna)
        removed = await report(session, claim_id, kcna)
    start = await _last(db)
    # when
    async with create_session_factory(db).begin() as session:
        await review_attribution(session, attribution_id=suggested, status=ReviewStatus.CONFIRMED)
        await update_attribution(
            session, attribution_id=edited, version=1, edit=AttributionEdit(confidence=0.5)
        )
        await retract_attribution(session, attribution_id=retracted, version=1, reason="misread")
        await hard_retract_attribution(session, attribution_id=removed, version=1, reason="libel")
    # then: one change each; the hard retraction is announced once
    found = [(c.kind, c.attribution_id) for c in await _changes(db, start)]
    assert found == [
        (ChangeKind.ATTRIBUTION_REVIEWED, suggested),
        (ChangeKind.ATTRIBUTION_UPDATED, edited),
        (ChangeKind.ATTRIBUTION_RETRACTED, retracted),
        (ChangeKind.ATTRIBUTION_RETRACTED, removed),
    ]


async def test_claim_and_source_edits_and_merges_record_their_kinds(db: AsyncEngine) -> None:
    # given
    async with create_session_factory(db).begin() as session:
        kcna = await source(session, "KCNA")
        kept = await claim(session, "Kim besucht eine Fabrik")
        merged = await claim(session, "Kim besucht die Fabrik")
        moved = await report(session, merged, kcna)
    start = await _last(db)
    # when
    async with create_session_factory(db).begin() as session:
        await update_claim(session, claim_id=kept, version=1, statement="Kim besucht Fabriken")
        await update_source(
            session, source_id=kcna, version=1, edit=SourceEdit(reliability=SourceReliability.E)
        )
    async with create_session_factory(db).begin() as session:
        await merge_claims(session, keep_id=kept, keep_version=2, merge_id=merged, merge_version=1)
    # then: the moved attribution is an update on the kept claim
    found = [(c.kind, c.claim_id, c.attribution_id, c.source_id) for c in await _changes(db, start)]
    assert found == [
        (ChangeKind.CLAIM_UPDATED, kept, None, None),
        (ChangeKind.SOURCE_UPDATED, None, None, kcna),
        (ChangeKind.ATTRIBUTION_UPDATED, kept, moved, kcna),
        (ChangeKind.CLAIM_MERGED, merged, None, None),
    ]


async def test_a_rolled_back_write_leaves_no_change(db: AsyncEngine) -> None:
    # given
    async with create_session_factory(db).begin() as session:
        kcna = await source(session, "KCNA")
        claim_id = await claim(session)
    # when
    async with create_session_factory(db)() as session:
        await report(session, claim_id, kcna)
        await session.rollback()
    # then
    assert await _changes(db) == []
    async with db.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM change")) == 0


async def test_positions_follow_commit_order(
    db: AsyncEngine, raw: list[asyncpg.Connection]
) -> None:
    # given: two claims and a source
    async with create_session_factory(db).begin() as session:
        kcna = await source(session, "KCNA")
        first, second = await claim(session, "Eins"), await claim(session, "Zwei")
    early, late = raw
    rename = "UPDATE claim SET statement = statement || '!' WHERE id = $1"
    # when: the transaction that wrote first commits last
    await early.execute("BEGIN")
    await early.execute(rename, first)
    await late.execute("BEGIN")
    await late.execute(rename, second)
    await late.execute("COMMIT")
    await early.execute("COMMIT")
    # then
    assert _kinds(await _changes(db)) == [
        (ChangeKind.CLAIM_UPDATED, second),
        (ChangeKind.CLAIM_UPDATED, first),
    ]
    assert kcna


async def test_a_contradiction_is_added_and_contested_in_one_commit_once(db: AsyncEngine) -> None:
    # given: KCNA affirms
    async with create_session_factory(db).begin() as session:
        kcna, tass, ria = [await source(session, n) for n in ("KCNA", "TASS", "RIA")]
        claim_id = await claim(session)
        await report(session, claim_id, kcna)
    start = await _last(db)
    # when: TASS denies
    async with create_session_factory(db).begin() as session:
        denial = await report(session, claim_id, tass, stance=Stance.DENIES)
    # then: added and contested, in one commit, the contest naming the denial
    added, contested = await _changes(db, start)
    assert (added.kind, contested.kind) == (ADD, CONTESTED)
    assert (contested.claim_id, contested.attribution_id, contested.source_id) == (
        claim_id,
        denial,
        tass,
    )
    assert contested.at == added.at and contested.position == added.position + 1
    # when: RIA denies too
    async with create_session_factory(db).begin() as session:
        await report(session, claim_id, ria, stance=Stance.DENIES)
    # then: it was contested already
    assert [c.kind for c in await _changes(db, contested.position)] == [ADD]


async def test_two_writers_contradicting_at_once_commit_and_announce_once(
    db: AsyncEngine,
) -> None:
    # given: KCNA affirms
    async with create_session_factory(db).begin() as session:
        kcna, tass, ria = [await source(session, n) for n in ("KCNA", "TASS", "RIA")]
        claim_id = await claim(session)
        await report(session, claim_id, kcna)
    start = await _last(db)
    factory = create_session_factory(db)

    async def deny(source_id: int) -> None:
        async with factory.begin() as session:
            await report(session, claim_id, source_id, stance=Stance.DENIES)

    # when: two writers deny at the same time
    await asyncio.wait_for(asyncio.gather(deny(tass), deny(ria)), timeout=10)
    # then: both committed (no deadlock) and the claim became contested once
    kinds = [c.kind for c in await _changes(db, start)]
    assert sorted(kinds) == [ADD, ADD, CONTESTED]


async def test_notify_at_commit_carries_the_position(
    db: AsyncEngine, raw: list[asyncpg.Connection]
) -> None:
    # given: a listener
    listener, writer = raw
    heard: asyncio.Queue[str] = asyncio.Queue()
    await listener.add_listener(CHANNEL, lambda *args: heard.put_nowait(args[3]))
    async with create_session_factory(db).begin() as session:
        claim_id = await claim(session)
    # when: a write is made, and held uncommitted
    await writer.execute("BEGIN")
    await writer.execute("UPDATE claim SET statement = 'Neu' WHERE id = $1", claim_id)
    await asyncio.sleep(0.2)
    # then: nothing is heard before the commit, its position after it
    assert heard.empty()
    await writer.execute("COMMIT")
    payload = await asyncio.wait_for(heard.get(), timeout=5)
    [change] = await _changes(db)
    assert payload == str(change.position)


async def test_ingest_records_its_changes(db: AsyncEngine) -> None:
    # given
    key = await new_key(db, Role.EDITOR)
    async with serving(db, key=key) as http:
        # when
        answer = await GraphQLClient(http)(INGEST)
    # then
    assert answer["ingestDocument"]["errors"] == []
    found = await _changes(db)
    assert found and {c.kind for c in found} == {ADD}
    assert all(c.attribution_id is not None and c.source_ids for c in found)


async def _last(db: AsyncEngine) -> int:
    async with db.connect() as connection:
        return await last_position(connection)
