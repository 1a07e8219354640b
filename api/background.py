"""A process's background tasks: stopping them, and the LISTEN connection that the key
listener (api/auth/listener.py) and the change broker (api/live/broker.py) hold."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random

import asyncpg
from sqlalchemy.engine import URL

logger = logging.getLogger(__name__)
CONNECT_TIMEOUT_SECONDS = 5.0
FIRST_BACKOFF_SECONDS = 0.1
MAX_BACKOFF_SECONDS = 5.0
EXPECTED_FAILURES = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


async def cancel_until_done(task: asyncio.Task[None]) -> None:
    """Cancel the task, again until it is done, then wait for it.

    One cancellation is not enough: asyncpg's connect (asyncio.wait_for inside, on
    Python 3.11) can swallow a cancellation that arrives as the connection is made, and
    a reconnecting loop then runs on, so that a shutdown waits for ever.
    """
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=0.5)
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _set_within(event: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(event.wait(), seconds)
    except TimeoutError:
        return False
    return True


class ChannelListener:
    """One dedicated connection LISTENing on a channel, for as long as the process runs.

    The connection is named by its application_name in pg_stat_activity. When it is lost
    (a database restart, pg_terminate_backend, a ping unanswered for `ping_timeout`
    seconds) it is made again with a growing backoff, and a failure is logged once per
    outage. Subclasses say what listening means through the hooks: `listening` once the
    LISTEN is in place, `heard` for each notification (in the connection's callback),
    `woken` after notifications (one call for a burst), `lost` whenever the connection
    is not listening.
    """

    what = "the listener"  # for the log: "<what> is not listening (…); <meanwhile>"
    meanwhile = "it will listen again"

    def __init__(
        self,
        url: URL,
        channel: str,
        application_name: str,
        *,
        ping_seconds: float,
        ping_timeout: float,
    ) -> None:
        self.dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.channel = channel
        self.application_name = application_name
        self.ping_seconds = ping_seconds
        self.ping_timeout = ping_timeout
        self._task: asyncio.Task[None] | None = None
        self._first_attempt = asyncio.Event()
        self._wake = asyncio.Event()
        self._failing = False
        self._listened = False

    async def listening(self, connection: asyncpg.Connection) -> None:
        """The LISTEN is in place (after every reconnect)."""

    def heard(self, payload: str) -> None:
        """One notification, as it arrives."""

    async def woken(self) -> None:
        """After one or more notifications, and once after each reconnect."""

    def lost(self) -> None:
        """The connection is not listening (lost, or an attempt failed)."""

    async def start(self, name: str) -> None:
        """Listen before returning if the database answers, else keep trying in the
        background."""
        if self._task is not None:
            return
        self._task = asyncio.create_task(self._run(), name=name)
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
            except Exception:  # a bug must not end the loop; the next attempt starts over
                logger.exception("%s failed", self.what)
            finally:
                self.lost()
                self._first_attempt.set()
            if self._listened:  # a lost connection, not a failed attempt: retry soon
                backoff = FIRST_BACKOFF_SECONDS
            await asyncio.sleep(backoff * random.uniform(0.5, 1.0))
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    async def _listen(self) -> None:
        connection = await asyncpg.connect(
            self.dsn,
            timeout=CONNECT_TIMEOUT_SECONDS,
            server_settings={"application_name": self.application_name},
        )
        gone = asyncio.Event()

        def on_lost(_: object) -> None:
            self.lost()
            gone.set()
            self._wake.set()

        connection.add_termination_listener(on_lost)
        try:
            await connection.add_listener(self.channel, self._notified)
            await self.listening(connection)
            self._listened = True
            self._wake.set()
            self._first_attempt.set()
            if self._failing:
                logger.info("%s is listening again", self.what)
                self._failing = False
            while not gone.is_set():
                if await _set_within(self._wake, self.ping_seconds):
                    # A commit's notifications arrive together: let the rest of them in,
                    # so that one wake serves them all.
                    await asyncio.sleep(0)
                    self._wake.clear()
                    if not gone.is_set():
                        await self.woken()
                else:
                    await connection.fetchval("SELECT 1", timeout=self.ping_timeout)
            self._report(ConnectionError("the connection was closed"))
        finally:
            self.lost()
            connection.terminate()

    def _notified(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        self.heard(payload)
        self._wake.set()

    def _report(self, failure: BaseException) -> None:
        """One warning per outage, not one per retry; no traceback for a lost database."""
        level = logging.DEBUG if self._failing else logging.WARNING
        self._failing = True
        logger.log(level, "%s is not listening (%s); %s", self.what, failure, self.meanwhile)
