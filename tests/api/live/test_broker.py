"""The change broker (api/live/broker.py) in this process, on the test database: changes
are recorded by hand (INSERT INTO change; migration 0014 numbers and announces them at
commit), so each test says exactly which changes exist."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import create_session_factory
from api.live.broker import Broker, Subscriber, SubscriberTooSlow, TooManySubscriptions
from api.live.changes import Change
from api.live.kinds import ChangeKind
from api.live.matching import ChangeFilter, Search
from tests.support.sql import StatementCounter
from tests.support.stored import claim

WAIT_SECONDS = 5.0
ADDED, UPDATED = ChangeKind.ATTRIBUTION_ADDED, ChangeKind.CLAIM_UPDATED


@pytest.fixture
async def broker(db: AsyncEngine) -> AsyncIterator[Broker]:
    started = Broker(db.url, db, max_per_owner=3, queue_size=4, ping_seconds=0.2)
    await started.start()
    yield started
    await started.stop()


async def record(db: AsyncEngine, *changes: dict[str, Any]) -> None:
    """Commit these changes in one transaction, as a write records them."""
    async with db.begin() as connection:
        for change in changes:
            values = {"claim_id": None, "source_id": None, "source_ids": [], **change}
            await connection.execute(
                text(
                    "INSERT INTO change (kind, claim_id, source_id, source_ids)"
                    " VALUES (:kind, :claim_id, :source_id, :source_ids)"
                ),
                values,
            )


async def taken(subscriber: Subscriber, count: int) -> list[Change]:
    changes = subscriber.changes()
    return [await asyncio.wait_for(anext(changes), WAIT_SECONDS) for _ in range(count)]


async def test_each_subscriber_hears_what_its_filters_match_in_commit_order(
    db: AsyncEngine, broker: Broker
) -> None:
    # given
    by_claim = broker.subscribe(ChangeFilter(claim_id=1), "a")
    by_source = broker.subscribe(ChangeFilter(source_id=7), "b")
    by_kind = broker.subscribe(ChangeFilter(kinds=frozenset({UPDATED})), "c")
    # when
    await record(db, {"kind": ADDED, "claim_id": 2, "source_id": 5, "source_ids": [5, 7]})
    await record(db, {"kind": ADDED, "claim_id": 1, "source_id": 5, "source_ids": [5]})
    await record(db, {"kind": UPDATED, "claim_id": 1})
    # then
    assert [(c.kind, c.claim_id) for c in await taken(by_claim, 2)] == [(ADDED, 1), (UPDATED, 1)]
    assert [c.claim_id for c in await taken(by_source, 1)] == [2]
    assert [c.claim_id for c in await taken(by_kind, 1)] == [1]
    # when: a subscriber comes after those changes
    late = broker.subscribe(ChangeFilter(), "d")
    await record(db, {"kind": UPDATED, "claim_id": 9})
    # then: it hears what committed since, not before
    assert [c.claim_id for c in await taken(late, 1)] == [9]


async def test_one_read_of_a_change_serves_every_subscriber(
    db: AsyncEngine, broker: Broker
) -> None:
    # given
    broker.max_per_owner = 100
    subscribers = [broker.subscribe(ChangeFilter(), "many") for _ in range(50)]
    counter = StatementCounter()
    event.listen(db.sync_engine, "before_cursor_execute", counter)
    try:
        # when
        await record(db, {"kind": UPDATED, "claim_id": 3}, {"kind": UPDATED, "claim_id": 4})
        heard = [await taken(s, 2) for s in subscribers]
    finally:
        event.remove(db.sync_engine, "before_cursor_execute", counter)
    # then
    assert all([c.claim_id for c in h] == [3, 4] for h in heard)
    # One read, or two when the commit's second notification came in a later packet
    # (the second then finds nothing new); never one per subscriber.
    reads = [s for s in counter.statements if "FROM change" in s]
    assert 1 <= len(reads) <= 2, reads


async def test_a_search_is_evaluated_once_per_batch_and_distinct_search(
    db: AsyncEngine, broker: Broker
) -> None:
    # given
    async with create_session_factory(db).begin() as session:
        factory = await claim(session, "Kim besucht eine Fabrik in Wostotschny")
        other = await claim(session, "Putin nahm die Einladung an")
    broker.max_per_owner = 100
    fabrik = [broker.subscribe(ChangeFilter(search=Search("Fabrik")), "s") for _ in range(5)]
    putin = [broker.subscribe(ChangeFilter(search=Search("Putin")), "s") for _ in range(5)]
    counter = StatementCounter()
    event.listen(db.sync_engine, "before_cursor_execute", counter)
    try:
        # when
        await record(
            db, {"kind": UPDATED, "claim_id": factory}, {"kind": UPDATED, "claim_id": other}
        )
        heard_fabrik = [await taken(s, 1) for s in fabrik]
        heard_putin = [await taken(s, 1) for s in putin]
    finally:
        event.remove(db.sync_engine, "before_cursor_execute", counter)
    # then
    assert {c[0].claim_id for c in heard_fabrik} == {factory}
    assert {c[0].claim_id for c in heard_putin} == {other}
    searches = [s for s in counter.statements if "claim_search" in s]
    assert len(searches) == 2, searches


async def test_a_subscriber_that_falls_behind_is_ended(db: AsyncEngine, broker: Broker) -> None:
    # given: a queue of 4
    slow = broker.subscribe(ChangeFilter(), "slow")
    # when
    await record(db, *({"kind": UPDATED, "claim_id": n} for n in range(1, 7)))
    # then
    with pytest.raises(SubscriberTooSlow):
        await asyncio.wait_for(anext(slow.changes()), WAIT_SECONDS)
    assert broker.subscribers == 0


async def test_an_owner_holds_at_most_the_limit(broker: Broker) -> None:
    held = [broker.subscribe(ChangeFilter(), "key:1") for _ in range(3)]
    with pytest.raises(TooManySubscriptions):
        broker.subscribe(ChangeFilter(), "key:1")
    broker.subscribe(ChangeFilter(), "key:2")
    broker.unsubscribe(held[0])
    broker.subscribe(ChangeFilter(), "key:1")


async def test_after_its_connection_is_killed_the_broker_catches_up(
    db: AsyncEngine, broker: Broker
) -> None:
    # given
    subscriber = broker.subscribe(ChangeFilter(), "a")
    # when: its connection dies, and changes commit before it is back
    async with db.connect() as connection:
        killed = await connection.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = 'claimgraph-changes' AND datname = current_database()"
            )
        )
    await record(db, {"kind": UPDATED, "claim_id": 8})
    await record(db, {"kind": UPDATED, "claim_id": 9})
    # then
    assert killed >= 1
    assert [c.claim_id for c in await taken(subscriber, 2)] == [8, 9]
