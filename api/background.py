"""Stopping a process's background tasks (listeners, the broker, the webhook worker)."""

from __future__ import annotations

import asyncio
import contextlib


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
