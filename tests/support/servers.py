"""`claimgraph serve` as a subprocess: a free port, waiting until it answers, stopping it.

Every server gets a port the kernel hands out, so parallel workers never collide.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from api.embedded.network import free_port

__all__ = ["DemoServer", "free_port", "serve_demo", "stop", "wait_ready"]

REPO = Path(__file__).resolve().parents[2]
CLAIMGRAPH = Path(sys.executable).with_name("claimgraph")


def _output(process: subprocess.Popen[str] | subprocess.Popen[bytes], log: Path | None) -> str:
    if log is not None:
        return log.read_text(errors="replace")
    out = process.communicate()[0] if process.stdout is not None else ""
    return out.decode(errors="replace") if isinstance(out, bytes) else out or ""


def wait_ready(
    base_url: str,
    process: subprocess.Popen[str] | subprocess.Popen[bytes],
    *,
    log: Path | None = None,
    path: str = "/readyz",
    seconds: float = 90,
) -> None:
    """Polls `path` until it answers 200; fails with the server's output if it exits or
    does not answer in time. The output is read from `log`, or else from a piped stdout."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"claimgraph serve exited:\n{_output(process, log)}")
        try:
            if httpx.get(f"{base_url}{path}", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    if log is None:
        process.kill()
    raise AssertionError(
        f"claimgraph serve did not answer {path} in {seconds:g} s:\n{_output(process, log)}"
    )


def stop(process: subprocess.Popen[str] | subprocess.Popen[bytes], seconds: float = 30) -> None:
    """SIGTERM, as a supervisor stops the service; SIGKILL if it does not exit in time."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class DemoServer:
    base_url: str
    log: Path


@contextmanager
def serve_demo(database_url: str, env: dict[str, str] | None = None) -> Iterator[DemoServer]:
    """README's service command with DATABASE_URL (it migrates, loads the demo and serves)
    on a free port, its output in a log file; the rate limit off unless `env` says."""
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="cg-serve-")) / "server.log"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CLAIMGRAPH_RATE_LIMIT_PER_MINUTE": "0",
        **(env or {}),
    }
    argv = [CLAIMGRAPH, "serve", "--demo", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, env=environment, stdout=out, stderr=subprocess.STDOUT, cwd=REPO
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base_url, process, log=log, path="/healthz", seconds=120)
        yield DemoServer(base_url, log)
    finally:
        stop(process)


def run_cli(database_url: str, *args: str) -> str:
    """`claimgraph ARGS` against this database, as an operator runs it; its stdout."""
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run(
        [CLAIMGRAPH, *args], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    return done.stdout
