"""The newcomer's path: `claimgraph serve --demo` with no DATABASE_URL, end to end.

Runs the real command in a subprocess on a free port with an embedded PostgreSQL in a
scratch data dir, queries it over HTTP, then interrupts it and checks that the
embedded server it started was stopped again.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

import httpx
import pytest

from api.embedded import EmbeddedPostgres
from tests.test_embedded import IS_ROOT, _has_postgres_user, needs_server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def data_dir() -> Iterator[pathlib.Path]:
    base = pathlib.Path(tempfile.mkdtemp(prefix="cg-cli-", dir="/tmp"))
    if IS_ROOT and _has_postgres_user():
        shutil.chown(base, user="postgres")
    yield base / "pgdata"
    EmbeddedPostgres(base / "pgdata").stop()
    shutil.rmtree(base, ignore_errors=True)


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
    raise AssertionError("claimgraph serve did not become ready in 90 s")


@needs_server
def test_serve_demo_on_the_embedded_default(data_dir: pathlib.Path) -> None:
    # given
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CLAIMGRAPH_DATA_DIR"] = str(data_dir)
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # when
        _wait_ready(port, process)
        query = '{ claims(search: "Sukhoi") { totalCount } sources { totalCount } }'
        answer = httpx.get(f"http://127.0.0.1:{port}/graphql", params={"query": query}).json()
        graphiql = httpx.get(f"http://127.0.0.1:{port}/graphql", headers={"accept": "text/html"})
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=60)[0]
    # then
    assert answer == {"data": {"claims": {"totalCount": 1}, "sources": {"totalCount": 12}}}
    assert "graphiql" in graphiql.text.lower()
    assert process.returncode == 0, output
    assert not EmbeddedPostgres(data_dir).is_running(), "serve left its database running"
