"""GraphQL-over-HTTP conformance: graphql-http's server audits against the real server.

`claimgraph serve` runs in a subprocess on a free loopback port against the test
database; `tests/conformance/audit.mjs` (graphql-http, pinned in its package-lock.json)
runs every audit and prints a JSON summary. Every MUST and every SHOULD audit must pass.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.servers import free_port, wait_ready

CONFORMANCE = pathlib.Path(__file__).with_name("conformance")
NODE, NPM = shutil.which("node"), shutil.which("npm")

pytestmark = pytest.mark.skipif(
    NODE is None or NPM is None, reason="node and npm are needed for the graphql-http audits"
)


def _install_audit_tools() -> None:
    """`npm ci` once: it installs exactly the locked graphql-http."""
    if (CONFORMANCE / "node_modules" / "graphql-http").is_dir():
        return
    assert NPM is not None
    installed = subprocess.run(
        [NPM, "ci", "--no-audit", "--no-fund"],
        cwd=CONFORMANCE,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr


def _run_audits(database_url: str) -> dict[str, Any]:
    """Serve on a free port, audit it, stop the server; the audit's JSON summary."""
    assert NODE is not None
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "CLAIMGRAPH_LOG_LEVEL": "WARNING"}
    # The audits fire ~60 requests at once from one address, beyond the default burst (50);
    # they test HTTP semantics, not the rate limit (tests/schema/test_access.py does).
    env["CLAIMGRAPH_RATE_LIMIT_PER_MINUTE"] = "100000"
    command = [sys.executable, "-m", "api.cli", "serve", "--no-migrate", "--port", str(port)]
    with tempfile.TemporaryDirectory() as scratch:
        log = pathlib.Path(scratch) / "serve.log"
        with log.open("wb") as out:
            server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_ready(f"http://127.0.0.1:{port}", server, log=log, seconds=60)
            url = f"http://127.0.0.1:{port}/graphql"
            audit = subprocess.run(
                [NODE, "audit.mjs", url], cwd=CONFORMANCE, capture_output=True, text=True
            )
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
    assert audit.returncode == 0, audit.stderr
    summary: dict[str, Any] = json.loads(audit.stdout)
    return summary


def test_every_must_and_should_audit_passes(database_url: str, engine: AsyncEngine) -> None:
    # given: the locked audit tools and a migrated database (the engine fixture)
    _install_audit_tools()
    # when
    summary = _run_audits(database_url)
    # then
    failures = [f for f in summary["failures"] if f["level"] in ("MUST", "SHOULD")]
    listed = "\n".join(f"{f['level']} {f['id']} {f['name']}: {f['reason']}" for f in failures)
    assert not failures, f"{len(failures)} audits failed:\n{listed}"
    levels = summary["levels"]
    assert levels["MUST"]["passed"] == levels["MUST"]["total"] > 0
    assert levels["SHOULD"]["passed"] == levels["SHOULD"]["total"] > 0
