"""`claimgraph keys revoke` reaches both workers of `serve --workers 2` within a second.

Each worker caches the keys it accepted (here for 60 s) and LISTENs for key changes on
a connection of its own. A probe opens a fresh connection, asks /healthz which worker
holds it, then sends the key on that same connection: so every answer names its worker.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.servers import free_port, wait_ready

READ = "{ claims(first: 1) { totalCount } }"
WITHIN_SECONDS = 1.0
WATCH_SECONDS = 5.0


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CLAIMGRAPH_KEY_CACHE_SECONDS": "60",
        "CLAIMGRAPH_RATE_LIMIT_PER_MINUTE": "0",
        "CLAIMGRAPH_SHUTDOWN_GRACE_SECONDS": "5",
        "CLAIMGRAPH_LOG_LEVEL": "WARNING",
    }


def _keys(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "keys", *args],
        env=_env(database_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.fixture(scope="module")
def port(database_url: str, engine: AsyncEngine) -> Iterator[int]:
    """`claimgraph serve --workers 2` on the migrated test database."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--workers", "2", "--port", str(port)],
        env=_env(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}", process)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)


def _probe(port: int, key: str) -> tuple[int, bool]:
    """Which worker a fresh connection reached, and whether it accepted the key.

    http.client, not httpx: a new httpx.Client builds an SSL context (~50 ms), which
    would measure the probe rather than the revocation."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        pid = json.loads(connection.getresponse().read())["pid"]
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        connection.request("POST", "/graphql", json.dumps({"query": READ}), headers)
        body = json.loads(connection.getresponse().read())
    finally:
        connection.close()
    return pid, "errors" not in body


def _accepted_by_both(port: int, key: str) -> None:
    """Send the key until both workers have accepted (and so cached) it."""
    pids: set[int] = set()
    for _ in range(400):
        pid, accepted = _probe(port, key)
        assert accepted
        pids.add(pid)
        if len(pids) == 2:
            return
    raise AssertionError(f"only workers {pids} answered")


def _refusal_times(port: int, key: str, since: float) -> dict[int, tuple[float, float]]:
    """Per worker: the last time it accepted the key and the first it refused it, in
    seconds after `since`, probing until both refused and WATCH_SECONDS have passed."""
    accepted: dict[int, float] = {}
    refused: dict[int, float] = {}
    while len(refused) < 2 or time.monotonic() - since < WATCH_SECONDS / 5:
        assert time.monotonic() - since < WATCH_SECONDS, (accepted, refused)
        pid, ok = _probe(port, key)
        seen = time.monotonic() - since
        if ok:
            accepted[pid] = seen
        else:
            refused.setdefault(pid, seen)
    return {pid: (accepted.get(pid, 0.0), first) for pid, first in refused.items()}


def _new_key(database_url: str) -> tuple[str, str]:
    name = f"wire-{uuid.uuid4().hex[:8]}"
    created = _keys(database_url, "create", "--role", "reader", "--name", name)
    return name, created.stdout.splitlines()[-1]


def _report(times: dict[int, tuple[float, float]]) -> str:
    return ", ".join(
        f"worker {pid}: last accepted {yes:.3f} s, first refused {no:.3f} s"
        for pid, (yes, no) in times.items()
    )


def test_a_revoke_on_the_command_line_reaches_both_workers_within_a_second(
    database_url: str, port: int
) -> None:
    # given: a key both workers have accepted and cached
    name, key = _new_key(database_url)
    _accepted_by_both(port, key)
    # when
    _keys(database_url, "revoke", name)
    returned = time.monotonic()
    # then: both refuse it within a second of the command's return, and never accept again
    times = _refusal_times(port, key, since=returned)
    print(_report(times))
    assert len(times) == 2
    assert all(yes < WITHIN_SECONDS and no < WITHIN_SECONDS for yes, no in times.values())


async def test_the_workers_listen_again_after_the_database_dropped_them(
    database_url: str, port: int, engine: AsyncEngine
) -> None:
    # given: both workers' listening connections are terminated, as a restart would
    name, key = _new_key(database_url)
    before = await _listeners(engine)
    assert len(before) == 2
    async with engine.connect() as connection:
        await connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM unnest(CAST(:pids AS int[])) pid"),
            {"pids": before},
        )
    started = time.monotonic()
    while len(after := await _listeners(engine)) < 2 or set(after) & set(before):
        assert time.monotonic() - started < 15, "the workers did not listen again"
        await asyncio.sleep(0.05)
    _accepted_by_both(port, key)
    # when
    _keys(database_url, "revoke", name)
    # then
    times = _refusal_times(port, key, since=time.monotonic())
    print(_report(times))
    assert all(yes < WITHIN_SECONDS and no < WITHIN_SECONDS for yes, no in times.values())


async def _listeners(engine: AsyncEngine) -> list[int]:
    """The backends of the workers' key listeners, once they listen."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'claimgraph-keys'"
                " AND datname = current_database()"
                " AND (query LIKE 'LISTEN%' OR query = 'SELECT 1')"
            )
        )
        return [row.pid for row in rows]
