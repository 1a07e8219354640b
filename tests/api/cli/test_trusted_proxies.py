"""Whose X-Forwarded-For names the client: only the proxies CLAIMGRAPH_TRUSTED_PROXIES lists.

Anonymous callers are rate-limited by address. uvicorn's default believes the header
from 127.0.0.1, so a local caller could name a fresh address, and get a fresh bucket,
per request. These run the real `claimgraph serve` (real uvicorn) with a limit of one
request a second (a burst of 5) and rotate the header.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.web.server import trusted_proxies
from tests.support.servers import free_port, wait_ready

TYPENAME = {"query": "{ __typename }"}
REQUESTS = 20  # over the burst of 5 per process, even with two worker processes


@contextmanager
def _serve(database_url: str, *options: str, **env: str) -> Iterator[tuple[int, list[str]]]:
    """`claimgraph serve` on a free port; yields the port and, once stopped, its output."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CLAIMGRAPH_RATE_LIMIT_PER_MINUTE": "60",
        "CLAIMGRAPH_SHUTDOWN_GRACE_SECONDS": "1",
        **env,
    }
    environment.pop("FORWARDED_ALLOW_IPS", None)
    command = ["serve", "--no-migrate", "--port", str(port), *options]
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", *command],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        wait_ready(f"http://127.0.0.1:{port}", process)
        yield port, output
    finally:
        process.send_signal(signal.SIGTERM)
        output.append(process.communicate(timeout=60)[0])


def _statuses(port: int, forwarded_for: list[str]) -> list[int]:
    """One request per address, each claiming to forward for it, from 127.0.0.1."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        return [
            client.post("/graphql", json=TYPENAME, headers={"X-Forwarded-For": address}).status_code
            for address in forwarded_for
        ]


ROTATING = [f"203.0.113.{n}" for n in range(REQUESTS)]


@pytest.mark.parametrize(
    ("options", "trusted"),
    [(["--workers", "2"], None), ([], "10.0.0.0/8")],
    ids=["default-two-workers", "another-proxy-trusted"],
)
def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(
    database_url: str, engine: AsyncEngine, options: list[str], trusted: str | None
) -> None:
    # given: no trusted proxy, or one that is not the caller
    env = {"CLAIMGRAPH_TRUSTED_PROXIES": trusted} if trusted else {}
    with _serve(database_url, *options, **env) as (port, output):
        # when: every request claims another client
        statuses = _statuses(port, ROTATING)
        # and a client's mistakes reach this server's log
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            client.post("/graphql", content=b"{", headers={"content-type": "application/json"})
            client.get("/graphql", params={"query": "{ claims(first: 500) { totalCount"})
    # then: they all drew on 127.0.0.1's bucket
    assert 429 in statuses, statuses
    assert statuses[:5] == [200] * 5, statuses
    # and the mistakes logged no traceback
    assert "Traceback" not in output[0], output[0]


def test_a_trusted_proxy_names_the_client(database_url: str, engine: AsyncEngine) -> None:
    # given: 127.0.0.1 is a trusted proxy
    with _serve(database_url, CLAIMGRAPH_TRUSTED_PROXIES="127.0.0.1, ::1") as (port, _):
        # when: each request is forwarded for another client, then all for one
        rotating = _statuses(port, ROTATING)
        one_client = _statuses(port, ["198.51.100.7"] * REQUESTS)
    # then: each client has a bucket of its own
    assert rotating == [200] * REQUESTS, rotating
    assert one_client[:5] == [200] * 5 and 429 in one_client, one_client


def test_trusted_proxies_are_addresses_or_networks() -> None:
    assert trusted_proxies("") == []
    assert trusted_proxies(" 10.0.0.0/8, 127.0.0.1,::1 ") == ["10.0.0.0/8", "127.0.0.1", "::1"]
    assert trusted_proxies("*") == ["*"]
    for wrong in ("proxy.internal", "10.0.0.1/8", "10.0.0.0/33"):
        with pytest.raises(RuntimeError, match="CLAIMGRAPH_TRUSTED_PROXIES"):
            trusted_proxies(wrong)
