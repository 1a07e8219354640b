"""The benchmark's own PostgreSQL: a throwaway cluster on a free port, tuned for a bench.

It is claimgraph's embedded cluster (`api.embedded`: initdb as `postgres` when run as
root, loopback only, trust auth) in a data dir of the bench's, with settings written by
ALTER SYSTEM: 256 MB of shared buffers so the data set sits in memory, fsync and
synchronous commit off (a crash loses the bench data, which is reloadable; reads are what
is measured), JIT off (its compile time would dominate short json_agg statements), and
`pg_stat_statements` preloaded to count the statements each server sends.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import asyncpg

from api.embedded import EmbeddedPostgres

SETTINGS = {
    "shared_buffers": "256MB",
    "work_mem": "16MB",
    "maintenance_work_mem": "256MB",
    "effective_cache_size": "1GB",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "jit": "off",
    "max_connections": "100",
    "shared_preload_libraries": "pg_stat_statements",
}


class BenchCluster:
    """Start (creating or wiping it first) and stop the bench's PostgreSQL in `data_dir`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.embedded = EmbeddedPostgres(data_dir)

    def start(self, *, fresh: bool) -> str:
        """The URL of the bench database; `fresh` deletes any cluster left in `data_dir`."""
        if fresh and self.data_dir.exists():
            self.embedded.stop()
            shutil.rmtree(self.data_dir)
        url = self.embedded.start()
        if asyncio.run(_configure(url)):
            self.embedded.stop()
            url = self.embedded.start()
        return url

    def stop(self) -> None:
        self.embedded.stop()


async def _configure(url: str) -> bool:
    """Write the bench settings; True when some of them need a restart to apply."""
    connection = await asyncpg.connect(url)
    try:
        for name, value in SETTINGS.items():
            await connection.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        await connection.execute("SELECT pg_reload_conf()")
        rows = await connection.fetch(
            "SELECT name FROM pg_settings WHERE pending_restart AND name = ANY($1::text[])",
            list(SETTINGS),
        )
        pending = bool(rows) or (
            await connection.fetchval("SHOW shared_preload_libraries") != "pg_stat_statements"
        )
        return pending
    finally:
        await connection.close()
