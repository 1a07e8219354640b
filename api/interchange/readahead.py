"""Lines of a dump read and parsed one chunk ahead, in a thread, while the database works.

Parsing is most of an import's Python time (orjson, then the checks of records.py). The
restore reads the next chunk in a worker thread while the event loop waits for the
database to take the current batch, so the two run on two cores. A chunk ends at a
number of lines or of bytes (document lines carry texts of up to 2 MB), and only one is
read ahead: memory stays flat whatever the file's size.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import TypeVar

T = TypeVar("T")

CHUNK_LINES = 2000
CHUNK_BYTES = 4 * 1024 * 1024
# The parsing thread holds the GIL for this long before the event loop gets it back when
# the database answers (Python's default is 5 ms: a wait added to each of a restore's
# round trips).
SWITCH_INTERVAL = 0.0005

# (line number, bytes, what the line reads as)
Chunk = list[tuple[int, int, T]]


def _read(lines: Iterator[bytes], start: int, parse: Callable[[bytes], T]) -> Chunk[T]:
    chunk: Chunk[T] = []
    size = 0
    for raw in lines:
        chunk.append((start + len(chunk), len(raw), parse(raw)))
        size += len(raw)
        if len(chunk) >= CHUNK_LINES or size >= CHUNK_BYTES:
            break
    return chunk


@asynccontextmanager
async def parsed_ahead(
    lines: Iterable[bytes], parse: Callable[[bytes], T]
) -> AsyncIterator[AsyncIterator[Chunk[T]]]:
    """The chunks of `lines`, parsed by `parse` in a worker thread one chunk ahead.

    Leaving the context (also early, by an exception) waits for the thread's chunk, so
    the file is not closed under it."""
    iterator = iter(lines)
    pending: asyncio.Future[Chunk[T]] | None = None
    # One thread of its own, the same for every chunk: the shared default executor may
    # start another when the last one has not yet marked itself idle.
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimgraph-readahead")

    def read_next(start: int) -> asyncio.Future[Chunk[T]]:
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(worker, _read, iterator, start, parse)

    async def chunks() -> AsyncGenerator[Chunk[T], None]:
        nonlocal pending
        pending = read_next(1)
        while chunk := await pending:
            pending = read_next(chunk[-1][0] + 1)
            yield chunk

    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    reader = chunks()
    try:
        yield reader
    finally:
        sys.setswitchinterval(interval)
        await reader.aclose()
        if pending is not None and not pending.done():
            await asyncio.wait([pending])
        if pending is not None and pending.done() and not pending.cancelled():
            pending.exception()  # read, so an error of an abandoned chunk is not logged
        worker.shutdown(wait=True)
