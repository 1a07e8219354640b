"""What the commands share: the database a command works on, and an engine for it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import create_engine
from api.settings import Settings, to_asyncpg_url

if TYPE_CHECKING:  # its import finds the binaries: only when a command needs them
    from api.embedded import EmbeddedPostgres

logger = logging.getLogger("claimgraph")
T = TypeVar("T")


def embedded_postgres(settings: Settings) -> EmbeddedPostgres:
    """The embedded PostgreSQL of CLAIMGRAPH_DATA_DIR (not started)."""
    from api.embedded import EmbeddedPostgres, default_data_dir

    data_dir = Path(settings.data_dir) if settings.data_dir else default_data_dir()
    return EmbeddedPostgres(data_dir)


@contextmanager
def database(settings: Settings, *, keep_running: bool = False) -> Iterator[Settings]:
    """Settings pointing at DATABASE_URL, or at an embedded PostgreSQL started for the command.

    An embedded server this command started is stopped when it ends, unless `keep_running`.
    """
    urls = {"DATABASE_URL": settings.database_url, "DATABASE_READ_URL": settings.database_read_url}
    for name, url in urls.items():
        if url:
            _check_url(name, url)
    if settings.database_url:
        yield settings
        return
    embedded = embedded_postgres(settings)
    was_running = embedded.is_running()
    url = embedded.start()
    logger.info("embedded PostgreSQL in %s at %s", embedded.data_dir, url)
    try:
        yield settings.model_copy(update={"database_url": url})
    finally:
        if not was_running and not keep_running:
            embedded.stop()


def _check_url(name: str, url: str) -> None:
    """A URL that cannot be parsed fails here, in one line that does not repeat it (it
    holds the password)."""
    try:
        to_asyncpg_url(url)
    except ArgumentError:
        raise RuntimeError(f"{name} is not a URL like postgresql://user@host:5432/db") from None
    except ValueError as exc:
        raise RuntimeError(f"{name} is malformed: {exc}") from None


def with_engine(settings: Settings, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    """Run `work` on a small engine for `settings`, disposed of afterwards."""

    async def run() -> T:
        engine = create_engine(settings, pool_size=2, max_overflow=0)
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    return asyncio.run(run())
