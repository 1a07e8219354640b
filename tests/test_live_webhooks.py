"""Webhooks across real `claimgraph serve` processes: a delivery survives SIGKILL, and two
workers deliver each change once, signed with the secret either of them derives."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.api.live.webhooks.support import CREATE_WEBHOOK, pk_of
from tests.factories import ADD_ATTRIBUTION, CREATE_CLAIM, CREATE_DOCUMENT, CREATE_SOURCE
from tests.support.database import SERVER_URL, admin
from tests.support.servers import CLAIMGRAPH, REPO, free_port, run_cli, stop, wait_ready
from tests.support.webhook_receiver import receiving

QUICK_RETRIES = {
    "CLAIMGRAPH_WEBHOOK_FIRST_RETRY_SECONDS": "0.5",
    "CLAIMGRAPH_WEBHOOK_MAX_RETRY_SECONDS": "1",
    "CLAIMGRAPH_RATE_LIMIT_PER_MINUTE": "0",
}


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """A database of this module's own; the first server migrates it."""
    name = f"claimgraph_webhooks_{uuid.uuid4().hex[:12]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def server(
    database_url: str, env: dict[str, str], workers: int = 1
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="cg-hooks-")) / "server.log"
    environment = {**os.environ, "DATABASE_URL": database_url, **QUICK_RETRIES, **env}
    argv = [str(CLAIMGRAPH), "serve", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, env=environment, stdout=out, stderr=subprocess.STDOUT, cwd=REPO
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base_url, process, log=log, seconds=120)
        yield base_url, process
    finally:
        stop(process)


def _graphql(base_url: str, key: str, query: str, values: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        f"{base_url}/graphql",
        json={"query": query, "variables": {"input": values}},
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    data: dict[str, Any] = response.json()["data"]
    [payload] = data.values()
    assert payload["errors"] == [], payload
    return payload


def _report(base_url: str, key: str, name: str) -> str:
    """An attribution written over HTTP; its id."""
    source = _graphql(base_url, key, CREATE_SOURCE, {"name": name, "kind": "NEWS_AGENCY"})
    document = _graphql(
        base_url,
        key,
        CREATE_DOCUMENT,
        {"title": f"By {name}", "language": "en", "text": f"{name} reported it."},
    )
    claim = _graphql(
        base_url, key, CREATE_CLAIM, {"statement": f"{name} reported it", "language": "en"}
    )
    added = _graphql(
        base_url,
        key,
        ADD_ATTRIBUTION,
        {
            "claimId": claim["claim"]["id"],
            "documentId": document["document"]["id"],
            "sourceId": source["source"]["id"],
        },
    )
    return str(added["attribution"]["id"])


def _editor_key(database_url: str, name: str) -> str:
    return run_cli(database_url, "keys", "create", "--role", "editor", "--name", name).splitlines()[
        -1
    ]


def _attempts(database_url: str, webhook: str) -> list[tuple[str, int]]:
    """Each delivery's state and attempts for `webhook`, in change order."""

    async def read() -> list[tuple[str, int]]:
        connection = await asyncpg.connect(database_url)
        try:
            rows = await connection.fetch(
                "SELECT state, attempts FROM webhook_delivery WHERE webhook_id = $1"
                " ORDER BY position",
                pk_of(webhook),
            )
        finally:
            await connection.close()
        return [(row["state"], row["attempts"]) for row in rows]

    return asyncio.run(read())


def _wait_settled(database_url: str, webhook: str, count: int, seconds: float = 30) -> list[int]:
    """Once `count` deliveries are delivered: how many attempts each took."""
    deadline = time.monotonic() + seconds
    while True:
        found = _attempts(database_url, webhook)
        if len(found) >= count and all(state == "delivered" for state, _ in found):
            return [n for _, n in found]
        assert time.monotonic() < deadline, found
        time.sleep(0.1)


def test_a_delivery_cut_short_by_sigkill_is_sent_again_after_restart(database_url: str) -> None:
    env = {"CLAIMGRAPH_WEBHOOK_KEY": "kill-test-master-key-0123"}
    with receiving() as receiver:
        with server(database_url, env) as (base_url, process):
            key = _editor_key(database_url, "killed")
            created = _graphql(base_url, key, CREATE_WEBHOOK, {"url": receiver.url})
            secret = created["secret"]
            # given: the receiver holds the first delivery while the server waits on it
            receiver.released.clear()
            attribution = _report(base_url, key, "KCNA")
            [held] = receiver.wait_for(1, seconds=30)
            # when: the server dies mid-delivery, before it could record the answer
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        receiver.released.set()
        with server(database_url, env):
            # then: a new process sends it again once the dead one's lease has passed
            again = receiver.wait_for(2, seconds=60)[1]
    assert again.headers["Claimgraph-Delivery"] == held.headers["Claimgraph-Delivery"]
    assert again.body == held.body and again.signed_with(secret)
    assert json.loads(again.body)["attributionId"] == attribution


def test_two_workers_deliver_each_change_once_with_a_shared_key_file(
    database_url: str, tmp_path: Path
) -> None:
    # given: no master key set, so the two workers share the key file beside the data dir
    env = {"CLAIMGRAPH_DATA_DIR": str(tmp_path / "pgdata")}
    with receiving() as receiver, server(database_url, env, workers=2) as (base_url, _):
        key = _editor_key(database_url, "two-workers")
        created = _graphql(
            base_url, key, CREATE_WEBHOOK, {"url": receiver.url, "kinds": ["ATTRIBUTION_ADDED"]}
        )
        # when: writes reach both workers
        written = [_report(base_url, key, f"Source {n}") for n in range(6)]
        got = receiver.wait_for(6, seconds=30)
        # then: every change once, in commit order, signed with the one secret
        assert [json.loads(r.body)["attributionId"] for r in got] == written
        assert all(r.signed_with(created["secret"]) for r in got)
        settled = _wait_settled(database_url, created["webhook"]["id"], 6)
        assert settled == [1] * 6  # each sent once: never leased twice
        assert len(receiver.received) == 6
    assert (tmp_path / "webhook-key").exists()


def test_a_delivery_cut_short_by_sigterm_is_given_back_for_the_next_server(
    database_url: str,
) -> None:
    env = {"CLAIMGRAPH_WEBHOOK_KEY": "term-test-master-key-0123"}
    with receiving() as receiver:
        with server(database_url, env) as (base_url, _):
            key = _editor_key(database_url, "stopped")
            _graphql(base_url, key, CREATE_WEBHOOK, {"url": receiver.url})
            # given: the receiver holds a delivery while the server waits on it
            receiver.released.clear()
            _report(base_url, key, "TASS")
            [held] = receiver.wait_for(1, seconds=30)
        # when: the server was stopped with SIGTERM (leaving the context) mid-delivery
        receiver.released.set()
        with server(database_url, env):
            # then: the next server sends it well before the lease (20 s) would have passed
            again = receiver.wait_for(2, seconds=15)[1]
    assert again.headers["Claimgraph-Delivery"] == held.headers["Claimgraph-Delivery"]
