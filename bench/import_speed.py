"""How fast `claimgraph import` loads a JSON Lines dump, in attributions per second.

    python -m bench.import_speed [--claims 20000] [--batch 5000] [--bulk | --restore]
                                 [--server URL]

On the PostgreSQL server at `--server` (default: the local one, trust auth) it
creates two throwaway databases, fills the first with `claimgraph generate`
(about ten attributions per claim), exports it, then imports the dump into the
empty second one, twice: the first import writes everything (with the revision,
quote and summary-table triggers all running; with `--bulk`, the bulk path of
api/interchange/bulk.py; with `--restore`, the restore path of
api/interchange/restore.py), the second finds everything unchanged. It prints both
rates with the CPU seconds of the importing process and of its database backend (read
from /proc when the server runs on this machine: on a shared machine they move less
than the wall time), the peak memory of `claimgraph import` (with `--restore`, of the
restore too, into the emptied first database), and checks that a second export
equals the first. Both databases are dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from api import migrate
from api.db import create_engine
from api.generate import GenerateOptions, generate
from api.generate.load import driver_of
from api.interchange.jsonl_export import export_jsonl
from api.interchange.jsonl_import import import_jsonl
from api.settings import Settings

EMPTY = (
    "TRUNCATE attribution_chain, attribution, claim, document, source, revision, search_word"
    " CASCADE"
)
SERVER = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


async def _admin(server: str, sql: str) -> None:
    url = make_url(server)
    connection = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database or "postgres",
    )
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def _database(server: str) -> str:
    name = f"claimgraph_bench_{uuid.uuid4().hex[:10]}"
    await _admin(server, f'CREATE DATABASE "{name}"')
    return make_url(server).set(database=name).render_as_string(hide_password=False)


async def _export(url: str, path: Path) -> None:
    engine = create_engine(Settings(database_url=url), pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as connection:
            with path.open("wb") as out:
                await export_jsonl(await driver_of(connection), out.write)
    finally:
        await engine.dispose()


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process of this machine (the server's backend)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # a server elsewhere
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Timing:
    seconds: float
    attributions: int
    python_cpu: float
    backend_cpu: float | None

    def line(self, label: str) -> str:
        backend = "n/a" if self.backend_cpu is None else f"{self.backend_cpu:.1f} s"
        return (
            f"{label}: {self.seconds:.1f} s, {self.attributions / self.seconds:,.0f}"
            f" attributions/s (CPU: importer {self.python_cpu:.1f} s, database backend"
            f" {backend})"
        )


async def _import(url: str, path: Path, batch: int, bulk: bool, restore: bool = False) -> Timing:
    engine = create_engine(Settings(database_url=url), pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as connection:
            driver = await driver_of(connection)
            pid = await driver.fetchval("SELECT pg_backend_pid()")
            backend = _cpu_seconds(pid)
            started, cpu = time.perf_counter(), time.process_time()
            with path.open("rb") as lines:
                report = await import_jsonl(
                    driver, lines, batch_size=batch, bulk=bulk, restore=restore
                )
            await connection.commit()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            after = _cpu_seconds(pid)
    finally:
        await engine.dispose()
    assert report.error_count == 0, report.errors[:5]
    used = after - backend if after is not None and backend is not None else None
    return Timing(seconds, report.read["Attribution"], cpu, used)


# `claimgraph import` in a process of its own, which reports its high-water resident memory
# (VmHWM: a fresh address space, unlike ru_maxrss, which a forked child inherits).
PEAK = """
import sys
from api.cli import main
code = main(["import", *sys.argv[1:]])
status = open("/proc/self/status").read()
print("VmHWM", status.split("VmHWM:")[1].split()[0], file=sys.stderr)
sys.exit(code)
"""


def _cli_import_peak(url: str, dump: Path, flags: list[str]) -> float:
    """The peak resident memory, in MB, of `claimgraph import` run on the dump."""
    env = {**os.environ, "DATABASE_URL": url, "CLAIMGRAPH_LOG_LEVEL": "WARNING"}
    done = subprocess.run(
        [sys.executable, "-c", PEAK, str(dump), *flags], env=env, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    kilobytes = done.stderr.split("VmHWM")[-1].split()[0]
    return int(kilobytes) / 1024


async def _empty(url: str) -> None:
    """The five tables of a database emptied (and what they feed), for a restore."""
    engine = create_engine(Settings(database_url=url), pool_size=1, max_overflow=0)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(EMPTY))
    finally:
        await engine.dispose()


def _compare(dump: Path, again: Path) -> tuple[bool, int]:
    return dump.read_bytes() == again.read_bytes(), dump.stat().st_size


async def run(
    claims: int, batch: int, server: str, bulk: bool = False, restore: bool = False
) -> None:
    source_url, target_url = await _database(server), await _database(server)
    try:
        for url in (source_url, target_url):
            engine = create_engine(Settings(database_url=url))
            await migrate.upgrade(engine)
            if url == source_url:
                await generate(engine, GenerateOptions(claims=claims))
            await engine.dispose()
        with tempfile.TemporaryDirectory() as folder:
            dump, again = Path(folder, "dump.jsonl"), Path(folder, "again.jsonl")
            await _export(source_url, dump)
            first = await _import(target_url, dump, batch, bulk, restore)
            # Again into what is now a full database: the merge path.
            second = await _import(target_url, dump, batch, bulk)
            flags = ["--bulk"] if bulk else []
            child_peak = await asyncio.to_thread(_cli_import_peak, target_url, dump, flags)
            if restore:
                # The restore's own peak: the same dump into the empty source database.
                await _empty(source_url)
                flags = ["--restore"]
                restore_peak = await asyncio.to_thread(_cli_import_peak, source_url, dump, flags)
            await _export(target_url, again)
            same, size = _compare(dump, again)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {load}")
        path = "restore" if restore else "bulk" if bulk else "row triggers"
        print(
            f"dump: {first.attributions} attributions, {size / 1e6:.1f} MB, batch {batch}, {path}"
        )
        print(first.line("first import (all new)"))
        print(second.line("again (no change)"))
        print(f"export after import equals the dump: {same}")
        print(
            f"peak memory of `claimgraph import` on this dump (a third time): {child_peak:.0f} MB"
        )
        if restore:
            print(
                f"peak memory of `claimgraph import --restore` on this dump: {restore_peak:.0f} MB"
            )
    finally:
        for url in (source_url, target_url):
            name = make_url(url).database
            await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=5000)
    path = parser.add_mutually_exclusive_group()
    path.add_argument("--bulk", action="store_true", help="the bulk path (import --bulk)")
    path.add_argument("--restore", action="store_true", help="the restore path (import --restore)")
    parser.add_argument("--server", default=SERVER)
    args = parser.parse_args()
    asyncio.run(run(args.claims, args.batch, args.server, args.bulk, args.restore))


if __name__ == "__main__":
    main()
