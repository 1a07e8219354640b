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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from api.embedded import EmbeddedPostgres
from tests.support.clusters import needs_cluster, scratch_dir
from tests.support.servers import free_port, wait_ready

CLAIMS = "{ claims(first: 1) { totalCount } }"


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


@dataclass
class Served:
    parent: int
    pids: set[int]
    answer: dict[str, Any]
    output: str
    returncode: int | None


def _serve_two_workers(env: dict[str, str], *options: str, after: Callable[[], None]) -> Served:
    """Run `serve --workers 2`, collect the workers' pids and one answer, then SIGTERM;
    `after` runs once the parent has exited (cleanup that must happen in any case)."""
    port = free_port()
    command = ["serve", "--workers", "2", *options, "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}", process)
        pids = _worker_pids(port, attempts=200)
        answer = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": CLAIMS}).json()
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0]
        after()
    return Served(process.pid, pids, answer, output, process.returncode)


def test_two_workers_share_the_port_and_stop_on_sigterm(
    database_url: str, engine: AsyncEngine
) -> None:
    # given: the migrated test database (the `engine` fixture migrated it)
    env = {**os.environ, "DATABASE_URL": database_url, "CLAIMGRAPH_SHUTDOWN_GRACE_SECONDS": "5"}
    # when
    served = _serve_two_workers(env, after=lambda: None)
    # then: two worker processes, neither of them the parent, answered
    assert len(served.pids) == 2, served.output
    assert served.parent not in served.pids
    assert "totalCount" in served.answer["data"]["claims"], served.answer
    # and SIGTERM stopped the parent and both workers cleanly
    assert served.returncode == 0, served.output
    for pid in served.pids:
        assert not os.path.exists(f"/proc/{pid}"), f"worker {pid} outlived the parent"


@needs_cluster
def test_workers_share_the_embedded_database_the_parent_started() -> None:
    # given: no DATABASE_URL, a scratch data dir for the embedded PostgreSQL
    base = scratch_dir("cg-workers-")
    data_dir = base / "pgdata"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CLAIMGRAPH_DATA_DIR"] = str(data_dir)
    still_running: list[bool] = []

    def clean_up() -> None:
        still_running.append(EmbeddedPostgres(data_dir).is_running())
        EmbeddedPostgres(data_dir).stop()
        shutil.rmtree(base, ignore_errors=True)

    # when
    served = _serve_two_workers(env, "--demo", after=clean_up)
    # then: both workers read the demo the parent loaded into the database it started
    assert len(served.pids) == 2, served.output
    assert served.answer["data"]["claims"]["totalCount"] > 0, served.answer
    assert served.output.count("demo loaded") == 1, served.output
    # and the parent stopped its embedded PostgreSQL once the workers were gone
    assert (served.returncode, still_running) == (0, [False]), served.output
