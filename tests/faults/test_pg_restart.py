"""PostgreSQL restarted under load: clean failures, a pool that heals itself, no lost write.

A throwaway cluster on its own port (never the shared server), a real `claimgraph serve`
process, clients writing and reading over HTTP while the cluster is restarted twice: a
fast restart (`pg_ctl restart -m fast`) and a crash (`pg_ctl stop -m immediate`, then a
start after a second of outage). Also: a restart while idle, and a frozen server
(SIGSTOP), which neither answers nor refuses.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import asyncpg
import httpx
import psutil  # type: ignore[import-untyped]
import pytest

from api.db import CLIENT_TIMEOUT_MARGIN_SECONDS, CONNECT_TIMEOUT_SECONDS
from api.embedded import EmbeddedPostgres
from bench.load_mix import (
    CLAIMS,
    CREATE_CLAIM,
    CREATE_SOURCE,
    Server,
    pg_ctl,
    prepare_database,
    running_server,
    throwaway_cluster,
)
from tests.support.clusters import needs_cluster

pytestmark = needs_cluster

CLIENTS = 8
# A request taking longer than this during a fault counts as a hang.
HANG_SECONDS = 15
# The pool must serve every request started this long after PostgreSQL is back.
RECOVERY_SECONDS = 5
# Words that would betray internals in an error shown to a client.
LEAKS = ("Traceback", "asyncpg", "sqlalchemy", "SELECT", "INSERT", 'File "')


@dataclass(frozen=True)
class Outcome:
    kind: str
    started: float
    ended: float
    status: int | None  # None: no HTTP answer at all (timeout, connection reset)
    body: str
    ok: bool
    written: str | None = None  # the name or statement a successful write stored
    sent: str | None = None  # the name or statement a write asked to store


class Load:
    """Clients that read and write until stopped, keeping every outcome."""

    def __init__(self, server: Server, key: str, hang_seconds: float = HANG_SECONDS) -> None:
        self.hang_seconds = hang_seconds
        self.http = httpx.AsyncClient(
            base_url=server.base_url,
            headers={"Authorization": f"Bearer {key}"},
            timeout=hang_seconds,
        )
        self.outcomes: list[Outcome] = []
        self.stopping = asyncio.Event()

    async def client(self, n: int) -> None:
        for i in itertools.count():
            if self.stopping.is_set():
                return
            kind = ("read", "createSource", "read", "createClaim")[(i + n) % 4]
            await self.send(kind)

    async def send(self, kind: str) -> None:
        text = f"restart-{uuid.uuid4().hex}"
        sent = text if kind != "read" else None
        query, variables = {
            "read": (CLAIMS, {}),
            "createSource": (CREATE_SOURCE, {"input": {"name": text, "kind": "OTHER"}}),
            "createClaim": (CREATE_CLAIM, {"input": {"statement": text, "language": "en"}}),
        }[kind]
        started = time.monotonic()
        try:
            response = await self.http.post(
                "/graphql", json={"query": query, "variables": variables}
            )
        except httpx.HTTPError as exc:
            ended = time.monotonic()
            self.outcomes.append(Outcome(kind, started, ended, None, repr(exc), False, sent=sent))
            return
        ok = response.status_code == 200 and _succeeded(response.json())
        written = text if ok and kind != "read" else None
        self.outcomes.append(
            Outcome(
                kind,
                started,
                time.monotonic(),
                response.status_code,
                response.text,
                ok,
                written,
                sent,
            )
        )

    def since(self, moment: float) -> list[Outcome]:
        return [o for o in self.outcomes if o.started >= moment]


def _succeeded(body: dict[str, object]) -> bool:
    data = body.get("data")
    if "errors" in body or not isinstance(data, dict):
        return False
    payload = next(iter(data.values()))
    return not (isinstance(payload, dict) and payload.get("errors"))


# The answers to a write that may have been stored: all others must mean "not stored".
MAY_HAVE_WRITTEN = ("COMMIT_UNKNOWN", "COMMITTED_READ_FAILED")


def _said_not_written(outcome: Outcome) -> bool:
    """A failed write that was answered (no timeout, no reset) without saying it may
    have been stored: an answer a client may safely retry."""
    if outcome.ok or outcome.status is None:
        return False
    return not any(code in outcome.body for code in MAY_HAVE_WRITTEN)


def _clean_failure(outcome: Outcome, hang_seconds: float = HANG_SECONDS) -> bool:
    """A GraphQL error or a 503, answered in time, naming no internals."""
    in_time = outcome.ended - outcome.started < hang_seconds
    status_ok = outcome.status in (200, 503) and '"errors"' in outcome.body
    return in_time and status_ok and not any(leak in outcome.body for leak in LEAKS)


async def _stored(url: str, table: str, column: str) -> set[str]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(f"SELECT {column} FROM {table}")
    finally:
        await connection.close()
    return {row[0] for row in rows}


async def _fault(load: Load, action: Callable[[], None]) -> tuple[float, float]:
    """Run a blocking fault while the load goes on; (when it began, when PostgreSQL was back)."""
    began = time.monotonic()
    await asyncio.to_thread(action)
    back = time.monotonic()
    await asyncio.sleep(RECOVERY_SECONDS + 1.5)
    return began, back


def _recovery(load: Load, began: float, back: float, until: float) -> float:
    """Seconds from PostgreSQL being back to the start of the last failed request after it."""
    window = [o for o in load.since(began) if o.started < until]
    assert any(not o.ok for o in window), "the fault went unnoticed: is the load running?"
    failures_after = [o.started - back for o in window if not o.ok and o.started >= back]
    successes_late = [o for o in window if o.ok and o.started >= back + RECOVERY_SECONDS]
    assert {o.kind for o in successes_late} == {"read", "createSource", "createClaim"}
    return max(failures_after, default=0.0)


@dataclass(frozen=True)
class Served:
    cluster: EmbeddedPostgres
    url: str
    server: Server
    key: str


@pytest.fixture(scope="module")
async def served() -> AsyncIterator[Served]:
    """A server on a throwaway cluster; every write looks its key up (no key cache), so the
    access gate meets the faults too."""
    with throwaway_cluster() as cluster:
        url = cluster.url()
        key = await prepare_database(url)
        with running_server(url, {"CLAIMGRAPH_KEY_CACHE_SECONDS": "0"}) as server:
            yield Served(cluster, url, server, key)


async def test_after_a_restart_while_idle_the_first_requests_succeed(served: Served) -> None:
    # given a pool holding several connections, then idle
    load = Load(served.server, served.key)
    await asyncio.gather(*(load.send(kind) for kind in ("read", "createSource") * CLIENTS))
    assert all(o.ok for o in load.outcomes), [o.body for o in load.outcomes if not o.ok][:3]

    # when PostgreSQL restarts while no request runs
    await asyncio.to_thread(pg_ctl, served.cluster, "restart", "-m", "fast")
    back = time.monotonic()
    await asyncio.gather(*(load.send(kind) for kind in ("read", "createSource") * CLIENTS))
    await load.http.aclose()

    # then the very first requests find live connections (checked before use, not failed on)
    after = load.since(back)
    assert len(after) == 2 * CLIENTS
    assert all(o.ok for o in after), [o.body for o in after if not o.ok][:3]


async def test_postgres_restarts_under_load_fail_cleanly_heal_and_lose_no_write(
    served: Served,
) -> None:
    # given a server under a load of reads and writes
    cluster = served.cluster
    load = Load(served.server, served.key)
    clients = [asyncio.create_task(load.client(n)) for n in range(CLIENTS)]
    await asyncio.sleep(1.5)

    # when PostgreSQL restarts (fast), then crashes and comes back after a second
    fast = await _fault(load, lambda: pg_ctl(cluster, "restart", "-m", "fast"))

    def crash() -> None:
        pg_ctl(cluster, "stop", "-m", "immediate")
        time.sleep(1)
        cluster.start()

    crashed = await _fault(load, crash)
    load.stopping.set()
    await asyncio.gather(*clients)
    await load.http.aclose()

    # then every failure was clean: a GraphQL error or a 503, in time, no internals
    bad = [o for o in load.outcomes if not o.ok and not _clean_failure(o)]
    assert not bad, (bad[:5], served.server.log()[-5000:])
    # and the pool healed by itself, the same server process serving again within seconds
    assert served.server.process.poll() is None
    # Requests started just before the crash fail by it, not by the restart.
    fast_recovery = _recovery(load, *fast, until=crashed[0] - 1)
    crash_recovery = _recovery(load, *crashed, until=time.monotonic())
    print(
        f"recovery: fast restart {fast_recovery:.2f} s, crash {crash_recovery:.2f} s;"
        f" {len(load.outcomes)} requests, {sum(not o.ok for o in load.outcomes)} failed"
    )
    assert fast_recovery < RECOVERY_SECONDS
    assert crash_recovery < RECOVERY_SECONDS
    # and every write reported as a success is in the database
    sources = await _stored(served.url, "source", "name")
    claims = await _stored(served.url, "claim", "statement")
    for kind, stored in (("createSource", sources), ("createClaim", claims)):
        confirmed = {o.written for o in load.outcomes if o.kind == kind and o.written}
        assert confirmed, kind
        assert confirmed <= stored, list(confirmed - stored)[:5]
        # and no write answered as a plain failure was stored: one that may have
        # committed says so (COMMIT_UNKNOWN) or answers with what it wrote
        failed = {o.sent for o in load.outcomes if o.kind == kind and _said_not_written(o)}
        in_doubt = [o for o in load.outcomes if o.kind == kind and "COMMIT_UNKNOWN" in o.body]
        print(f"{kind}: {len(failed)} failed, nothing written; {len(in_doubt)} in doubt")
        assert not failed & stored, [_body_of(load, text) for text in failed & stored][:3]


def _body_of(load: Load, text: str | None) -> str:
    return next(o.body for o in load.outcomes if o.sent == text)


# A read may meet the frozen server twice (a compiled read, then the resolvers), each
# time for at most the statement timeout (1 s here) plus margin, or the connect timeout.
FROZEN_LIMIT = 2 * max(1 + CLIENT_TIMEOUT_MARGIN_SECONDS, CONNECT_TIMEOUT_SECONDS) + 3


def _signal_cluster(cluster: EmbeddedPostgres, signum: signal.Signals) -> None:
    """Send a signal to the postmaster and every backend of the cluster."""
    postmaster = psutil.Process(int((cluster.data_dir / "postmaster.pid").read_text().split()[0]))
    for process in [postmaster, *postmaster.children(recursive=True)]:
        process.send_signal(signum)


async def test_a_frozen_postgres_gets_a_clean_error_in_bounded_time_not_a_hang(
    served: Served,
) -> None:
    # given a server (1 s statement timeout) whose pool holds live connections
    extra = {"CLAIMGRAPH_STATEMENT_TIMEOUT_MS": "1000", "CLAIMGRAPH_KEY_CACHE_SECONDS": "0"}
    with running_server(served.url, extra) as server:
        load = Load(server, served.key, hang_seconds=FROZEN_LIMIT + 5)
        await asyncio.gather(*(load.send(kind) for kind in ("read", "createSource") * 2))
        assert all(o.ok for o in load.outcomes)

        # when PostgreSQL freezes (it neither answers nor refuses), then thaws
        _signal_cluster(served.cluster, signal.SIGSTOP)
        try:
            frozen_from = time.monotonic()
            await asyncio.gather(*(load.send(kind) for kind in ("read", "createSource") * 2))
        finally:
            _signal_cluster(served.cluster, signal.SIGCONT)
        thawed = time.monotonic()
        await asyncio.gather(*(load.send(kind) for kind in ("read", "createSource") * 2))
        await load.http.aclose()

    # then the requests sent to the frozen server failed cleanly within the client-side
    # limits, not after minutes
    during = [o for o in load.since(frozen_from) if o.started < thawed]
    assert len(during) == 4
    assert all(not o.ok and _clean_failure(o, FROZEN_LIMIT) for o in during), during
    # and once it thawed, the same server answered again
    after = load.since(thawed)
    assert len(after) == 4 and all(o.ok for o in after), [o.body for o in after]
