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
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from api.embedded import EmbeddedPostgres
from tests.support.clusters import needs_cluster, scratch_dir
from tests.support.servers import free_port, wait_ready


@pytest.fixture
def data_dir() -> Iterator[pathlib.Path]:
    base = scratch_dir("cg-cli-")
    yield base / "pgdata"
    EmbeddedPostgres(base / "pgdata").stop()
    shutil.rmtree(base, ignore_errors=True)


@needs_cluster
def test_serve_demo_on_the_embedded_default(data_dir: pathlib.Path) -> None:
    # given
    port = free_port()
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
        wait_ready(f"http://127.0.0.1:{port}", process)
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
