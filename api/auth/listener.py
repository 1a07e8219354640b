"""Each serving process LISTENs for key changes, so its key cache never outlives one.

A trigger on api_key (migration 0011) sends NOTIFY on `claimgraph_keys` with the key's
id when a key is revoked, deleted, renamed or changes role, whoever writes it (the CLI,
the revokeApiKey mutation, SQL by hand), and `*` when the table is truncated. PostgreSQL
delivers it at commit to every listening session, so every worker of every server
drops the key within milliseconds.

The listener holds one dedicated connection (`claimgraph-keys` in pg_stat_activity).
The cache is only used while that connection is listening: when it is lost (a database
restart, pg_terminate_backend, a ping unanswered for PING_TIMEOUT_SECONDS) the
authenticator drops every cached key and looks each one up until the listener has
reconnected, retrying with a growing backoff, so no change can go unheard.
"""

from __future__ import annotations

import asyncio
import logging
import random

import asyncpg
from sqlalchemy.engine import URL

from api.auth.authenticator import Authenticator
from api.background import cancel_until_done

logger = logging.getLogger(__name__)
CHANNEL = "claimgraph_keys"
APPLICATION_NAME = "claimgraph-keys"
CONNECT_TIMEOUT_SECONDS = 5.0
# A connection that died silently (a failover, a cut cable) is found by its ping:
# at worst PING_SECONDS + PING_TIMEOUT_SECONDS after it stopped delivering.
PING_SECONDS = 0.5
PING_TIMEOUT_SECONDS = 1.0
FIRST_BACKOFF_SECONDS = 0.1
MAX_BACKOFF_SECONDS = 5.0
EXPECTED_FAILURES = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


class KeyChangeListener:
    def __init__(
        self, url: URL, authenticator: Authenticator, *, ping_seconds: float = PING_SECONDS
    ) -> None:
        self.dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.authenticator = authenticator
        self.ping_seconds = ping_seconds
        self._task: asyncio.Task[None] | None = None
        self._first_attempt = asyncio.Event()
        self._failing = False
        self._listened = False

    async def start(self) -> None:
        """Listen before the first request if the database answers, else keep trying in
        the background (meanwhile every request looks its key up). Without a cache
        (CLAIMGRAPH_KEY_CACHE_SECONDS=0) there is nothing to keep fresh."""
        if self.authenticator.ttl <= 0 or self._task is not None:
            return
        self._task = asyncio.create_task(self._run(), name="claimgraph-key-listener")
        await self._first_attempt.wait()

    async def stop(self) -> None:
        if self._task is None:
            return
        await cancel_until_done(self._task)
        self._task = None

    async def _run(self) -> None:
        backoff = FIRST_BACKOFF_SECONDS
        while True:
            self._listened = False
            try:
                await self._listen()
            except EXPECTED_FAILURES as exc:
                self._report(exc)
            except Exception:  # a bug must not end the loop: the cache stays off meanwhile
                logger.exception("the key-change listener failed")
            finally:
                self.authenticator.stop_caching()
                self._first_attempt.set()
            if self._listened:  # a lost connection, not a failed attempt: retry soon
                backoff = FIRST_BACKOFF_SECONDS
            await asyncio.sleep(backoff * random.uniform(0.5, 1.0))
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    async def _listen(self) -> None:
        """Listen until the connection is lost; the cache is on only meanwhile."""
        connection = await asyncpg.connect(
            self.dsn,
            timeout=CONNECT_TIMEOUT_SECONDS,
            server_settings={"application_name": APPLICATION_NAME},
        )
        lost = asyncio.Event()

        def on_lost(_: object) -> None:
            self.authenticator.stop_caching()
            lost.set()

        connection.add_termination_listener(on_lost)
        try:
            await connection.add_listener(CHANNEL, self._heard)
            self.authenticator.start_caching()
            self._listened = True
            self._first_attempt.set()
            if self._failing:
                logger.info("the key-change listener is listening again; key cache on")
                self._failing = False
            while not await _set_within(lost, self.ping_seconds):
                await connection.fetchval("SELECT 1", timeout=PING_TIMEOUT_SECONDS)
            self._report(ConnectionError("the connection was closed"))
        finally:
            self.authenticator.stop_caching()
            connection.terminate()

    def _heard(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        # The trigger sends a key's id, or `*` for all; anything else forgets all too.
        key_id = int(payload) if payload.isascii() and payload.isdecimal() else None
        self.authenticator.forget(key_id)

    def _report(self, failure: BaseException) -> None:
        """One warning per outage, not one per retry; no traceback for a lost database."""
        level = logging.DEBUG if self._failing else logging.WARNING
        self._failing = True
        logger.log(
            level,
            "the key-change listener is not listening (%s); every key is looked up until it is",
            failure,
        )


async def _set_within(event: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(event.wait(), seconds)
    except TimeoutError:
        return False
    return True
