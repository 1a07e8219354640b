"""The two servers under test, each one process on a free loopback port.

claimgraph runs as its users run it (`claimgraph serve`), without rate limits and with
warnings-only logging; the reference runs `bench.harness.reference`. Both get the same
database and the same pool size.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil  # type: ignore[import-untyped]

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/graphql"

    def start(self) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [*self.command, "--port", str(self.port)],
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait()

    def _wait(self, timeout: float = 60) -> None:
        """Until the server answers on its port (any HTTP status), or fail with its log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                break
            try:
                httpx.post(self.url, json={"query": "{ __typename }"}, timeout=5)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start; its log:\n{self.log.read_text()}")

    def cpu_seconds(self) -> float:
        """User plus system CPU of the server process so far (threads included)."""
        assert self.process is not None
        times = psutil.Process(self.process.pid).cpu_times()
        return float(times.user + times.system)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def reference(database_url: str, logs: Path, pool_size: int) -> Server:
    command = [
        sys.executable,
        "-m",
        "bench.harness.reference",
        "--database-url",
        database_url,
        "--pool-size",
        str(pool_size),
    ]
    return Server("reference", command, {}, logs / "reference.log")


def claimgraph(database_url: str, logs: Path, pool_size: int) -> Server:
    command = [sys.executable, "-m", "api.cli", "serve", "--no-migrate", "--host", HOST]
    env = {
        "DATABASE_URL": database_url,
        "CLAIMGRAPH_RATE_LIMIT_PER_MINUTE": "0",
        "CLAIMGRAPH_LOG_LEVEL": "warning",
        "CLAIMGRAPH_DB_POOL_SIZE": str(pool_size),
    }
    return Server("claimgraph", command, env, logs / "claimgraph.log")
