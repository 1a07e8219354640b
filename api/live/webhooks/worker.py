"""The background task every serving process runs: match changes, send deliveries.

Woken by NOTIFY on the changes channel (a dedicated LISTEN connection) and, whatever
happens to that connection, every POLL_SECONDS: a lost notification delays a delivery
by a second at most, and retries come due without any notification.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg
import httpx
from sqlalchemy.engine import URL

from api.background import cancel_until_done
from api.db import create_engine
from api.live.changes import CHANNEL
from api.live.webhooks import delivery
from api.live.webhooks.dispatch import dispatch
from api.live.webhooks.master_key import key_check, master_key
from api.live.webhooks.network import NetworkGuard
from api.search import SearchProbe
from api.settings import Settings

logger = logging.getLogger(__name__)
POLL_SECONDS = 1.0
SENDS_AT_ONCE = 20
APPLICATION_NAME = "claimgraph-webhooks"
EXPECTED_FAILURES = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


class WebhookWorker:
    """Runs on an engine of its own (a small pool named claimgraph-webhooks), so that its
    polling never takes a connection a request is waiting for."""

    def __init__(self, url: URL, settings: Settings) -> None:
        self.engine = create_engine(
            settings,
            serving=True,
            url=url,
            application_name=APPLICATION_NAME,
            pool_size=2,
            max_overflow=SENDS_AT_ONCE,
        )
        self.settings = settings
        self.search = SearchProbe(self.engine)
        self.guard = NetworkGuard.of(settings)  # a bad CLAIMGRAPH_WEBHOOK_NETWORKS stops here
        self.master = b""
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._sending: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        self._client = delivery.new_client()
        self._tasks = [
            asyncio.create_task(self._run(), name="claimgraph-webhooks"),
            asyncio.create_task(self._listen(), name="claimgraph-webhooks-listen"),
        ]

    async def stop(self) -> None:
        """Stop at once: a send cut short is given back, for any process to send again."""
        for task in [*self._tasks, *self._sending]:
            await cancel_until_done(task)
        self._tasks = []
        self._sending.clear()
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        await self.engine.dispose()

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                await self.step()
            except EXPECTED_FAILURES as exc:
                logger.warning("webhook deliveries paused: %s", exc)
            except Exception:  # a bug must not end deliveries for the process's lifetime
                logger.exception("webhook deliveries failed")
            await _set_within(self._wake, POLL_SECONDS)
            self._wake.clear()

    async def step(self) -> None:
        """Match every committed change not matched yet, then send what is due."""
        support = await self.search.support()
        while await dispatch(self.engine, support):
            pass
        assert self._client is not None
        if len(self._sending) >= SENDS_AT_ONCE or not await delivery.any_due(self.engine):
            return
        if not self.master:  # read (or made) only once there is something to sign
            self.master = await asyncio.to_thread(master_key, self.settings)
        room = SENDS_AT_ONCE - len(self._sending)
        check = key_check(self.master)
        # Sent in tasks of their own: a receiver that takes its 10 s holds up no other.
        for due in await delivery.lease_due(self.engine, key_check=check, limit=room):
            task = asyncio.create_task(self._deliver(due), name="claimgraph-webhook-send")
            self._sending.add(task)
            task.add_done_callback(self._sent)

    def _sent(self, task: asyncio.Task[None]) -> None:
        self._sending.discard(task)
        self._wake.set()  # room for another

    async def _deliver(self, due: delivery.Due) -> None:
        assert self._client is not None
        try:
            async with asyncio.timeout(delivery.LEASE_SECONDS - 2):
                outcome = await delivery.send(
                    self._client, due, master=self.master, guard=self.guard
                )
        except TimeoutError:
            outcome = delivery.Outcome(False, error="no answer in time")
        except asyncio.CancelledError:  # shutting down: the delivery goes back at once
            with contextlib.suppress(*EXPECTED_FAILURES):
                await asyncio.shield(delivery.release(self.engine, due))
            raise
        try:
            await delivery.record(self.engine, due, outcome, self.settings)
        except EXPECTED_FAILURES as exc:  # the lease runs out; the delivery is sent again
            logger.warning(
                "webhook %s: delivery %s not recorded: %s", due.webhook_id, due.position, exc
            )
            return
        if not outcome.delivered:
            logger.info("webhook %s: delivery %s failed", due.webhook_id, due.position)

    async def _listen(self) -> None:
        """Wake on every NOTIFY; reconnect after a lost connection (polling covers the gap)."""
        while True:
            with contextlib.suppress(*EXPECTED_FAILURES):
                await self._listen_once()
            await asyncio.sleep(POLL_SECONDS)

    async def _listen_once(self) -> None:
        """Listen until the connection is closed."""
        lost = asyncio.Event()
        # Opened in a task of its own, never cancelled halfway: asyncpg cut short while it
        # connects leaves a future whose error nobody reads.
        opening = asyncio.ensure_future(self._open(lost))
        try:
            connection = await asyncio.shield(opening)
        except asyncio.CancelledError:
            opening.add_done_callback(_drop)
            raise
        try:
            # No pings: a connection that died silently only loses the early wake-up, the
            # poll still runs every second; and no statement is in flight when it is dropped.
            await lost.wait()
        finally:
            connection.terminate()

    async def _open(self, lost: asyncio.Event) -> asyncpg.Connection:
        dsn = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(
            dsn, timeout=5, server_settings={"application_name": APPLICATION_NAME}
        )
        connection.add_termination_listener(lambda _: lost.set())
        try:
            await connection.add_listener(CHANNEL, lambda *_: self._wake.set())
        except BaseException:
            connection.terminate()
            raise
        return connection


def _drop(opening: asyncio.Future[asyncpg.Connection]) -> None:
    """The connection a stopped listener was opening, closed once open."""
    if not opening.cancelled() and opening.exception() is None:
        opening.result().terminate()


async def _set_within(event: asyncio.Event, seconds: float) -> bool:
    """Whether `event` is set within `seconds`. asyncio.timeout, not wait_for: on 3.11
    wait_for can swallow a cancellation that arrives as the event is set, and stop()
    would then wait for a loop that never ends."""
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
    except TimeoutError:
        return False
    return True
