"""`claimgraph serve --workers 2`: two processes behind one port, one migration, a clean stop.

Runs the real command in a subprocess against this run's test database, asks /healthz
on fresh connections until both workers have answered, sends a query, then SIGTERM.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from api.embedded import EmbeddedPostgres
from tests.scaling.standby import free_port
from tests.test_embedded import IS_ROOT, _has_postgres_user, needs_server

CLAIMS = "{ claims(first: 1) { totalCount } }"


def _wait_ready(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError("claimgraph serve --workers 2 did not become ready in 90 s")


def _worker_pids(port: int, attempts: int) -> set[int]:
    """The pids that answered /healthz, each request on a connection of its own."""
    pids: set[int] = set()
    for _ in range(attempts):
        response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
        assert response.json()["status"] == "ok"
        pids.add(response.json()["pid"])
        if len(pids) == 2:
            break
    return pids


def test_two_workers_share_the_port_and_stop_on_sigterm(
    database_url: str, engine: AsyncEngine
) -> None:
    # given: the migrated test database (the `engine` fixture migrated it)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "CLAIMGRAPH_SHUTDOWN_GRACE_SECONDS": "5"}
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # when
        _wait_ready(port, process)
        pids = _worker_pids(port, attempts=200)
        answer = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": CLAIMS}).json()
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0]
    # then: two worker processes, neither of them the parent, answered
    assert len(pids) == 2, output
    assert process.pid not in pids
    assert "totalCount" in answer["data"]["claims"], answer
    # and SIGTERM stopped the parent and both workers cleanly
    assert process.returncode == 0, output
    for pid in pids:
        assert not os.path.exists(f"/proc/{pid}"), f"worker {pid} outlived the parent"


@needs_server
def test_workers_share_the_embedded_database_the_parent_started() -> None:
    # given: no DATABASE_URL, a scratch data dir for the embedded PostgreSQL
    base = Path(tempfile.mkdtemp(prefix="cg-workers-", dir="/tmp"))
    if IS_ROOT and _has_postgres_user():
        shutil.chown(base, user="postgres")
    data_dir = base / "pgdata"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CLAIMGRAPH_DATA_DIR"] = str(data_dir)
    command = ["serve", "--workers", "2", "--demo", "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # when
        _wait_ready(port, process)
        pids = _worker_pids(port, attempts=200)
        answer = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": CLAIMS}).json()
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0]
        still_running = EmbeddedPostgres(data_dir).is_running()
        EmbeddedPostgres(data_dir).stop()
        shutil.rmtree(base, ignore_errors=True)
    # then: both workers read the demo the parent loaded into the database it started
    assert len(pids) == 2, output
    assert answer["data"]["claims"]["totalCount"] > 0, answer
    assert output.count("demo loaded") == 1, output
    # and the parent stopped its embedded PostgreSQL once the workers were gone
    assert (process.returncode, still_running) == (0, False), output
