"""One per process: hears of committed changes by LISTEN and fans them out to subscribers.

The broker holds one dedicated connection (`claimgraph-changes` in pg_stat_activity)
LISTENing on `claimgraph_changes`. A notification only says "something new": on each
one (and on every reconnect, to catch up) the broker reads the changes after the last
position it delivered, once, in batches, and puts each into the queue of every
subscriber whose filter matches (api/live/matching.py). N subscribers cost one read of
a change, plus one SQL statement per batch for each distinct search among them.

A subscriber hears the changes committed after it subscribed, in commit order. Its
queue is bounded: a subscriber that falls QUEUE_SIZE changes behind is ended with
`SubscriberTooSlow` rather than let memory grow. When the connection is lost (a
database restart, pg_terminate_backend, a ping unanswered for PING_TIMEOUT_SECONDS)
the broker reconnects with a growing backoff and catches up from the table, so a
subscriber that stays connected misses nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable

import asyncpg
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from api.background import ChannelListener
from api.live.changes import CHANNEL, Change, changes_after, last_position
from api.live.matching import ChangeFilter, Search, searched

logger = logging.getLogger(__name__)
APPLICATION_NAME = "claimgraph-changes"
PING_SECONDS = 1.0
PING_TIMEOUT_SECONDS = 2.0
BATCH = 500
# Changes a subscriber may have waiting; a socket that stops reading fills it.
QUEUE_SIZE = 1000


class LiveUnavailable(Exception):
    """The broker has not yet learnt where the change table stands (no database)."""


class TooManySubscriptions(Exception):
    """The owner (a key, or a client address) holds as many subscriptions as allowed."""


class SubscriberTooSlow(Exception):
    """The subscriber fell QUEUE_SIZE changes behind and was ended."""


class Subscriber:
    """One subscription: its filter and the queue of matching changes not yet taken."""

    def __init__(self, broker: Broker, change_filter: ChangeFilter, owner: str) -> None:
        self.broker = broker
        self.filter = change_filter
        self.owner = owner
        # None, once queued, ends the subscription: it fell behind.
        self._queue: asyncio.Queue[Change | None] = asyncio.Queue(broker.queue_size)
        self.overflowed = False

    def offer(self, change: Change) -> None:
        if self.overflowed:
            return
        try:
            self._queue.put_nowait(change)
        except asyncio.QueueFull:
            self.overflowed = True
            while not self._queue.empty():  # what it has not read is lost to it anyway
                self._queue.get_nowait()
            self._queue.put_nowait(None)

    async def changes(self) -> AsyncIterator[Change]:
        """The matching changes in commit order; leaving the loop unsubscribes."""
        try:
            while True:
                change = await self._queue.get()
                if change is None:
                    raise SubscriberTooSlow(
                        f"this subscription fell {self.broker.queue_size} changes behind"
                        " and was ended; subscribe again to hear changes from now on"
                    )
                yield change
        finally:
            self.broker.unsubscribe(self)


class Broker(ChannelListener):
    what = "the change broker"
    meanwhile = "it will catch up"

    def __init__(
        self,
        url: URL,
        reads: AsyncEngine,
        *,
        max_per_owner: int = 200,
        queue_size: int = QUEUE_SIZE,
        ping_seconds: float = PING_SECONDS,
    ) -> None:
        super().__init__(
            url,
            CHANNEL,
            APPLICATION_NAME,
            ping_seconds=ping_seconds,
            ping_timeout=PING_TIMEOUT_SECONDS,
        )
        self.reads = reads
        self.max_per_owner = max_per_owner
        self.queue_size = queue_size
        self.position: int | None = None
        self._by_claim: dict[int, set[Subscriber]] = defaultdict(set)
        self._unfiltered: set[Subscriber] = set()
        self._owned: dict[str, int] = defaultdict(int)

    # Subscribers

    def subscribe(self, change_filter: ChangeFilter, owner: str) -> Subscriber:
        """A subscriber to the changes committed from now on that match the filter."""
        if self.position is None:
            raise LiveUnavailable("live updates are unavailable: the database cannot be reached")
        if self._owned[owner] >= self.max_per_owner:
            raise TooManySubscriptions(
                f"too many subscriptions: at most {self.max_per_owner} per key"
                " (per client address without one)"
            )
        subscriber = Subscriber(self, change_filter, owner)
        self._owned[owner] += 1
        self._bucket(subscriber).add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        bucket = self._bucket(subscriber)
        if subscriber not in bucket:
            return
        bucket.discard(subscriber)
        if subscriber.filter.claim_id is not None and not bucket:
            del self._by_claim[subscriber.filter.claim_id]
        self._owned[subscriber.owner] -= 1
        if not self._owned[subscriber.owner]:
            del self._owned[subscriber.owner]

    @property
    def subscribers(self) -> int:
        return len(self._unfiltered) + sum(len(s) for s in self._by_claim.values())

    def _bucket(self, subscriber: Subscriber) -> set[Subscriber]:
        claim_id = subscriber.filter.claim_id
        return self._unfiltered if claim_id is None else self._by_claim[claim_id]

    def _all(self) -> Iterable[Subscriber]:
        yield from self._unfiltered
        for bucket in self._by_claim.values():
            yield from bucket

    # Delivery

    async def _deliver(self) -> None:
        """Every change after `position`, each read once, to its matching subscribers."""
        while True:
            assert self.position is not None
            async with self.reads.connect() as connection:
                batch = await changes_after(connection, self.position, BATCH)
                searches = {s.filter.search for s in self._all() if s.filter.search}
                found = await searched(connection, searches, batch) if searches and batch else {}
            for change in batch:
                self._fan_out(change, found)
            if batch:
                self.position = batch[-1].position
            if len(batch) < BATCH:
                return

    def _fan_out(self, change: Change, found: dict[Search, frozenset[int]]) -> None:
        interested = self._by_claim.get(change.claim_id) if change.claim_id is not None else None
        for group in (self._unfiltered, interested or ()):
            for subscriber in list(group):
                if subscriber.filter.matches(change, found):
                    subscriber.offer(change)

    # The connection

    async def start(self, name: str = "claimgraph-change-broker") -> None:
        """Listen before the first request if the database answers, else keep trying in
        the background (meanwhile subscribing fails with LiveUnavailable)."""
        await super().start(name)

    async def listening(self, connection: asyncpg.Connection) -> None:
        # Listening first, then reading: a change committed in between is both heard and
        # read, never neither. The wake that follows catches up from `position`.
        if self.position is None:
            async with self.reads.connect() as reads:
                self.position = await last_position(reads)

    async def woken(self) -> None:
        # A notification's payload is a position, but only "something new" is trusted:
        # the table says what.
        await self._deliver()
