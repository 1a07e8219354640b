"""How many open subscriptions one `claimgraph serve` process holds while writes flow.

    python -m bench.live_fanout [--subscribers 10000] [--per-connection 50]
                                [--claims 1000] [--writes-per-second 100] [--seconds 30]
                                [--firehose 0] [--out FILE]

Without DATABASE_URL it starts a throwaway PostgreSQL cluster (as bench.load_mix does).
It migrates, loads `--claims` synthetic claims, starts one server process (uvicorn, one
worker, the rate limit off, the subscription limits raised), and then:

1. measures the server's resident memory, opens `--subscribers` subscriptions over
   graphql-transport-ws (`--per-connection` on each WebSocket), each to
   `changes(claimId:)` of a claim drawn at random, plus `--firehose` subscriptions with no
   filter (every change), and measures the memory again: the difference per subscriber;
2. sends `addAttribution` to random claims at `--writes-per-second` for `--seconds` (at
   most `--writers` in flight: the rate reached is reported), over HTTP from this process
   (as a separate client would), while every subscription counts what it receives;
3. reports, per kind of subscriber, the events expected (one per write to its claim; every
   change for the firehose) and received, and the latency from commit (the event's `at`,
   set by PostgreSQL at commit) to its arrival at the client: p50, p99, max; the writes'
   own latency; the server's CPU time and memory.

The clients share the machine with the server: on the 2-core machine the numbers are a
floor for what the server alone could do. docs/live.md quotes the report.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import psutil  # type: ignore[import-untyped]
import websockets

SUBPROTOCOL = "graphql-transport-ws"
WATCH = """subscription Watch($claimId: ID) {
  changes(claimId: $claimId) { id kind at }
}"""
CLAIM_IDS = """query Ids($after: String) {
  claims(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } }
}"""
SETUP = """query Setup {
  documents(first: 1) { edges { node { id } } }
  sources(first: 20) { edges { node { id } } }
}"""
ADD = """mutation Add($input: AddAttributionInput!) {
  addAttribution(input: $input) { attribution { id } errors { code message } }
}"""


@dataclass
class Received:
    """What one kind of subscriber got: arrival latencies (s) and the events counted."""

    latencies: list[float] = field(default_factory=list)
    events: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    def reset(self) -> None:
        self.latencies.clear()
        self.events = 0
        self.kinds.clear()

    def note(self, payload: dict[str, Any], now: float) -> None:
        change = payload["data"]["changes"]
        self.events += 1
        self.kinds[change["kind"]] += 1
        committed = datetime.fromisoformat(change["at"]).timestamp()
        self.latencies.append(now - committed)


@dataclass
class Counts:
    filtered: Received = field(default_factory=Received)
    firehose: Received = field(default_factory=Received)
    errors: list[str] = field(default_factory=list)


async def _connection(
    url: str,
    subscriptions: list[str | None],
    counts: Counts,
    ready: asyncio.Event,
    opened: list[int],
) -> None:
    """One WebSocket with a subscription per claim id (None: the firehose)."""
    connecting = websockets.connect(
        url, subprotocols=[SUBPROTOCOL], max_queue=None, open_timeout=120, ping_interval=None
    )
    async with connecting as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
        ack = json.loads(await socket.recv())
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"no connection_ack: {ack}")
        kinds: dict[str, Received] = {}
        for n, claim_id in enumerate(subscriptions):
            message_id = str(n)
            kinds[message_id] = counts.firehose if claim_id is None else counts.filtered
            payload = {"query": WATCH, "variables": {"claimId": claim_id}}
            await socket.send(
                json.dumps({"id": message_id, "type": "subscribe", "payload": payload})
            )
        opened[0] += len(subscriptions)
        ready.set()
        async for raw in socket:
            now = time.time()
            message = json.loads(raw)
            kind = message.get("type")
            if kind == "next":
                kinds[message["id"]].note(message["payload"], now)
            elif kind == "ping":
                await socket.send(json.dumps({"type": "pong"}))
            elif kind in ("error", "complete"):
                counts.errors.append(json.dumps(message)[:300])


async def _settled(server: psutil.Process, seconds: float) -> None:
    """Until the server's CPU is idle for a second: every subscription it was sent is open."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        before = server.cpu_times()
        await asyncio.sleep(1)
        after = server.cpu_times()
        if (after.user + after.system) - (before.user + before.system) < 0.05:
            return


async def _drained(counts: Counts, seconds: float) -> None:
    """Until no event has arrived for two seconds (at most `seconds`)."""
    deadline = time.perf_counter() + seconds
    seen = -1
    while time.perf_counter() < deadline:
        now = counts.filtered.events + counts.firehose.events
        if now == seen:
            return
        seen = now
        await asyncio.sleep(2)


async def _claim_ids(http: httpx.AsyncClient, limit: int) -> list[str]:
    ids: list[str] = []
    after = None
    while len(ids) < limit:
        answer = (
            await http.post("/graphql", json={"query": CLAIM_IDS, "variables": {"after": after}})
        ).json()
        page = answer["data"]["claims"]
        ids += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return ids[:limit]


async def _write(
    http: httpx.AsyncClient,
    rng: random.Random,
    claims: list[str],
    document: str,
    sources: list[str],
    targets: Counter[str],
    write_latencies: list[float],
) -> None:
    claim = rng.choice(claims)
    variables = {
        "input": {"claimId": claim, "documentId": document, "sourceId": rng.choice(sources)}
    }
    started = time.perf_counter()
    answer = (await http.post("/graphql", json={"query": ADD, "variables": variables})).json()
    write_latencies.append(time.perf_counter() - started)
    errors = answer.get("errors") or answer["data"]["addAttribution"]["errors"]
    if errors:
        raise RuntimeError(f"addAttribution failed: {errors}")
    targets[claim] += 1


async def run(base_url: str, key: str, args: argparse.Namespace, pid: int) -> list[str]:
    rng = random.Random(7)
    server = psutil.Process(pid)
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as http:
        claims = await _claim_ids(http, args.claims)
        setup = (await http.post("/graphql", json={"query": SETUP})).json()["data"]
        document = setup["documents"]["edges"][0]["node"]["id"]
        sources = [edge["node"]["id"] for edge in setup["sources"]["edges"]]

        # 1. the subscriptions, and the memory they take
        rss_before = server.memory_info().rss
        watched = [rng.choice(claims) for _ in range(args.subscribers)]
        plan: list[str | None] = [*watched, *([None] * args.firehose)]
        rng.shuffle(plan)
        per = args.per_connection
        groups = [plan[i : i + per] for i in range(0, len(plan), per)]
        counts, opened = Counts(), [0]
        ws_url = base_url.replace("http://", "ws://") + "/graphql"
        opened_at = time.perf_counter()
        sockets = []
        # One WebSocket at a time: the figure is what the server holds, not how fast it
        # accepts a burst of handshakes.
        for group in groups:
            ready = asyncio.Event()
            task = asyncio.create_task(_connection(ws_url, group, counts, ready, opened))
            sockets.append(task)
            waiting = asyncio.create_task(ready.wait())
            await asyncio.wait({task, waiting}, timeout=120, return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()
            if task.done():
                task.result()  # raises what ended the connection
        await _settled(server, seconds=120)  # the server has run every subscribe sent
        # A warm-up write that every firehose subscription must hear: they are spread over
        # the sockets, and a socket's messages run in order, so the subscriptions before
        # them are live too. Then the counts start from zero.
        await _write(http, rng, claims, document, sources, Counter(), [])
        deadline = time.perf_counter() + 60
        while counts.firehose.events < args.firehose and time.perf_counter() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
        await _drained(counts, seconds=10)
        counts.filtered.reset()
        counts.firehose.reset()
        open_seconds = time.perf_counter() - opened_at
        rss_after = server.memory_info().rss

        # 2. the writes
        targets: Counter[str] = Counter()
        write_latencies: list[float] = []
        cpu_before = server.cpu_times()
        interval = 1 / args.writes_per_second
        started = time.perf_counter()
        pending: set[asyncio.Task[None]] = set()
        n = 0
        while (elapsed := time.perf_counter() - started) < args.seconds:
            due = int(elapsed / interval) + 1
            # At most --writers in flight: past what the server takes, more would only
            # queue, and the queueing would be counted as the broker's latency.
            while n < due and len(pending) < args.writers:
                task = asyncio.create_task(
                    _write(http, rng, claims, document, sources, targets, write_latencies)
                )
                pending.add(task)
                task.add_done_callback(pending.discard)
                n += 1
            await asyncio.sleep(interval / 2)
        if pending:
            await asyncio.gather(*pending)
        write_seconds = time.perf_counter() - started
        await _drained(counts, seconds=30)  # the last events arrive
        cpu_after = server.cpu_times()
        for task in sockets:
            task.cancel()
        # Waited for, so that each WebSocket is closed here, not left to the collector.
        await asyncio.gather(*sockets, return_exceptions=True)

    watchers = Counter(watched)
    # One ATTRIBUTION_ADDED per write; a write may also make its claim CLAIM_CONTESTED
    # (the synthetic claims hold denials), which arrives beyond what is expected here.
    expected_filtered = sum(targets[c] * watchers[c] for c in targets)
    expected_firehose = n * args.firehose
    cpu = (cpu_after.user + cpu_after.system) - (cpu_before.user + cpu_before.system)
    per_subscriber = (rss_after - rss_before) / max(1, len(plan))
    lines = [
        f"# live fan-out: {len(plan):,} subscriptions ({args.subscribers:,} to one claim each"
        f" of {len(claims):,}, {args.firehose} to every change) on {len(groups):,} WebSockets",
        f"opened in {open_seconds:.1f} s; server memory {rss_before / 2**20:.0f} MiB before,"
        f" {rss_after / 2**20:.0f} MiB after: {per_subscriber / 1024:.1f} KiB per subscription",
        f"writes: {n:,} in {write_seconds:.1f} s ({n / write_seconds:.0f}/s);"
        f" addAttribution p50 {_ms(write_latencies, 50)}, p99 {_ms(write_latencies, 99)}",
        f"server CPU while writing: {cpu:.1f} s in {write_seconds:.1f} s"
        f" ({100 * cpu / write_seconds:.0f}% of one core)",
        "",
        "| subscribers | events expected | received | commit → client p50 | p99 | max |",
        "|---|---:|---:|---:|---:|---:|",
        _row("one claim each", expected_filtered, counts.filtered),
    ]
    if args.firehose:
        lines.append(_row("every change", expected_firehose, counts.firehose))
    kinds = counts.filtered.kinds + counts.firehose.kinds
    lines += ["", "kinds received: " + ", ".join(f"{k} {v:,}" for k, v in kinds.most_common())]
    if counts.errors:
        lines += ["", f"errors ({len(counts.errors)}): {counts.errors[:5]}"]
    return lines


def _row(name: str, expected: int, got: Received) -> str:
    return (
        f"| {name} | {expected:,} | {got.events:,} | {_ms(got.latencies, 50)}"
        f" | {_ms(got.latencies, 99)} | {_ms(got.latencies, 100)} |"
    )


def _ms(values: list[float], percentile: int) -> str:
    if not values:
        return "none"
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(percentile / 100 * len(ordered)) - 1))
    return f"{1000 * ordered[index]:.0f} ms"


async def seed(database_url: str, claims: int) -> str:
    """Migrate, load `claims` synthetic claims; an editor key."""
    from api.db import create_engine
    from api.generate.options import GenerateOptions
    from api.generate.run import generate
    from api.settings import Settings
    from bench.load_mix import prepare_database

    key = await prepare_database(database_url)
    engine = create_engine(Settings(database_url=database_url))
    try:
        await generate(engine, GenerateOptions(claims=claims, seed=7))
    finally:
        await engine.dispose()
    return key


def main(argv: list[str] | None = None, say: Callable[[str], None] = print) -> int:
    from bench.load_mix import _database, running_server

    args = _parser().parse_args(argv)
    limits = {
        "CLAIMGRAPH_MAX_SUBSCRIPTIONS_PER_CONNECTION": str(args.per_connection),
        "CLAIMGRAPH_MAX_SUBSCRIPTIONS_PER_KEY": str(10 * (args.subscribers + args.firehose)),
        "CLAIMGRAPH_MAX_CONNECTIONS_PER_KEY": str(10 * (args.subscribers + args.firehose)),
    }
    with _database(os.environ.get("DATABASE_URL")) as database_url:
        key = asyncio.run(seed(database_url, args.claims))
        with running_server(database_url, limits) as server:
            lines = asyncio.run(run(server.base_url, key, args, server.process.pid))
    text = "\n".join(lines)
    say(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--per-connection", type=int, default=50)
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--writes-per-second", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--firehose", type=int, default=0)
    parser.add_argument("--writers", type=int, default=8, help="writes in flight at most")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    return parser


if __name__ == "__main__":
    sys.exit(main())
