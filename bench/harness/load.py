"""Driving a server: wrk with a Lua script for the POST body, else the asyncio client.

Both run in a process of their own, for a fixed time, at a fixed number of connections
each sending its next request as soon as the last is answered (closed loop), and report
a `Load`. A response counts as an error when its status is not 200 or its body carries
GraphQL `errors`; socket errors and timeouts count too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = %(body)s
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) failed = 0 end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then failed = failed + 1 end
end
function done(summary, latency, requests)
  local failed_total = 0
  for _, thread in ipairs(threads) do failed_total = failed_total + thread:get("failed") end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %%d, "seconds": %%f, "errors": %%d, "p50_ms": %%f, "p99_ms": %%f}\\n',
    summary.requests, summary.duration / 1e6,
    failed_total + e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def lua_string(text: str) -> str:
    """A Lua long string holding `text` verbatim."""
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def tool(preferred: str) -> str:
    """`wrk` when asked for (or `auto`) and installed, else the asyncio client."""
    if preferred in ("auto", "wrk") and shutil.which("wrk"):
        return "wrk"
    if preferred == "wrk":
        raise SystemExit("bench: wrk is not installed (apt-get install wrk), try --load client")
    return "client"


def drive(
    url: str, body: dict[str, Any], *, concurrency: int, seconds: float, generator: str
) -> Load:
    """Send `body` to `url` for `seconds` over `concurrency` connections."""
    payload = json.dumps(body, separators=(",", ":"))
    if generator == "wrk":
        return _wrk(url, payload, concurrency, seconds)
    command = [
        sys.executable,
        "-m",
        "bench.harness.client",
        url,
        payload,
        str(concurrency),
        str(seconds),
    ]
    return _parse(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def _wrk(url: str, payload: str, concurrency: int, seconds: float) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"body": lua_string(payload)})
    try:
        # One wrk thread: the machine's cores belong to the servers under test.
        command = [
            "wrk",
            "-t1",
            f"-c{concurrency}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-s",
            script.name,
            url,
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
    finally:
        Path(script.name).unlink()
    return _parse(result.stdout)


def _parse(output: str) -> Load:
    for line in output.splitlines():
        if line.startswith("BENCH "):
            return Load(**json.loads(line[len("BENCH ") :]))
    raise RuntimeError(f"the load generator reported nothing:\n{output}")
