"""Where a request's reads go: the replica, unless the caller could miss its own write.

One ReplicaRouter per process holds the two engines, each caller's last write position
and the replica's replay position (asked for at most every LAG_CACHE_SECONDS). A
RequestReads is the per-request view the loaders connect through: it picks the engine at
the first read and moves to the primary for good once the request writes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from api.replicas.lsn import format_lsn, parse_lsn

logger = logging.getLogger(__name__)

# How long a replay position is trusted. A stale one only sends a reader to the
# primary a little longer than needed: replay positions never go backwards.
LAG_CACHE_SECONDS = 0.05
# After the replica failed to answer, reads stay on the primary this long.
RETRY_SECONDS = 5.0
# Callers whose write the replica has not replayed yet; the oldest are forgotten past this.
MAX_PENDING_WRITERS = 100_000
# What the replica failing to connect looks like: refused, timed out, or a server error.
UNREACHABLE = (OSError, DBAPIError, TimeoutError)

REPLAY_LSN = text(
    "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
    " ELSE pg_current_wal_lsn() END::text"
)
CURRENT_LSN = text("SELECT pg_current_wal_lsn()::text")
REPLICA_STATE = text(
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
    " extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8"
)


class ReplicaRouter:
    def __init__(
        self,
        primary: AsyncEngine,
        replica: AsyncEngine | None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.primary = primary
        self.replica = replica
        self._clock = clock
        self._writes: OrderedDict[str, int] = OrderedDict()
        self._replayed: int | None = None
        self._replayed_at = float("-inf")
        self._down_until = float("-inf")
        self._probe = asyncio.Lock()

    @property
    def replica_down(self) -> bool:
        return self._clock() < self._down_until

    async def engine_for(self, caller: str | None, min_lsn: int | None) -> AsyncEngine:
        """The replica, if it has replayed the caller's last write and `min_lsn`."""
        if self.replica is None or self.replica_down:
            return self.primary
        own = self._writes.get(caller) if caller is not None else None
        needed = max((lsn for lsn in (own, min_lsn) if lsn is not None), default=None)
        if needed is None:
            return self.replica
        replayed = await self.replayed()
        if replayed is None or replayed < needed:
            return self.primary
        if own is not None and own <= replayed:
            self._writes.pop(caller, None)  # type: ignore[arg-type]
        return self.replica

    async def replayed(self) -> int | None:
        """How far the replica has replayed the primary's WAL; None when it is unreachable."""
        if self.replica is None:
            return None
        if self._clock() - self._replayed_at < LAG_CACHE_SECONDS:
            return self._replayed
        async with self._probe:  # one probe for every request waiting on it
            if self._clock() - self._replayed_at < LAG_CACHE_SECONDS:
                return self._replayed
            try:
                async with self.replica.connect() as connection:
                    value = (await connection.execute(REPLAY_LSN)).scalar_one()
            except UNREACHABLE as exc:
                self.mark_down(exc)
                return None
            self._replayed = parse_lsn(value) if value is not None else None
            self._replayed_at = self._clock()
            return self._replayed

    def mark_down(self, exc: BaseException) -> None:
        """Send reads to the primary for RETRY_SECONDS: the replica did not answer."""
        if not self.replica_down:
            logger.warning("replica unreachable, reading from the primary: %s", exc)
        self._down_until = self._clock() + RETRY_SECONDS
        self._replayed_at = float("-inf")

    async def record_write(self, caller: str) -> int:
        """The primary's WAL position now, after the caller's commit; remembered for it."""
        async with self.primary.connect() as connection:
            value = (await connection.execute(CURRENT_LSN)).scalar_one()
        lsn = parse_lsn(value)
        assert lsn is not None, value
        self.remember(caller, lsn)
        return lsn

    def remember(self, caller: str, lsn: int) -> None:
        self._writes[caller] = max(lsn, self._writes.get(caller, 0))
        self._writes.move_to_end(caller)
        while len(self._writes) > MAX_PENDING_WRITERS:
            self._writes.popitem(last=False)

    async def state(self) -> dict[str, Any]:
        """What /readyz says about the replica: reachable, how far replayed, how far behind."""
        if self.replica is None:
            return {"configured": False}
        try:
            async with self.replica.connect() as connection:
                recovering, replayed, seconds = (await connection.execute(REPLICA_STATE)).one()
            async with self.primary.connect() as connection:
                current = (await connection.execute(CURRENT_LSN)).scalar_one()
        except UNREACHABLE as exc:
            self.mark_down(exc)
            return {"configured": True, "reachable": False}
        replay_lsn = parse_lsn(replayed) if replayed is not None else None
        primary_lsn = parse_lsn(current) or 0
        lag = None if replay_lsn is None else max(primary_lsn - replay_lsn, 0)
        return {
            "configured": True,
            "reachable": True,
            "inRecovery": recovering,
            "replayLsn": format_lsn(replay_lsn) if replay_lsn is not None else None,
            "lagBytes": lag,
            "lastReplaySecondsAgo": seconds,
        }


class RequestReads:
    """One request's reads: a Connector (schema/loaders.py) that routes by the router."""

    def __init__(self, router: ReplicaRouter, caller: str | None, min_lsn: int | None) -> None:
        self.router = router
        self.caller = caller
        self.min_lsn = min_lsn
        self.wrote = False
        self._engine: AsyncEngine | None = None

    def use_primary(self) -> None:
        """From now on read from the primary: this request is writing."""
        self._engine = self.router.primary

    def committed(self) -> None:
        """The request committed a write: its caller's next reads must see it."""
        self.wrote = True
        self.use_primary()

    @property
    def on_replica(self) -> bool:
        return self._engine is not None and self._engine is not self.router.primary

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        connection = await self._open()
        try:
            yield connection
        finally:
            await connection.close()

    async def _open(self) -> AsyncConnection:
        if self._engine is None:
            self._engine = await self.router.engine_for(self.caller, self.min_lsn)
        if self._engine is self.router.primary:
            return await self._engine.connect().start()
        try:
            return await self._engine.connect().start()
        except UNREACHABLE as exc:
            self.router.mark_down(exc)
            self._engine = self.router.primary
            return await self._engine.connect().start()
