"""How long one hostile request can keep a `claimgraph serve` process from answering others.

    python -m bench.loop_stall [--claims 2000] [--article-chars 200000] [--out FILE]
    DATABASE_URL=postgresql://postgres@127.0.0.1/cg_stall python -m bench.loop_stall

Without DATABASE_URL it starts a throwaway PostgreSQL cluster (as bench.load_mix does).
It migrates the database, loads the demo article and `--claims` synthetic claims, starts
the server as a subprocess (one uvicorn process, the rate limit off), then sends each
hostile request of `CASES` in turn while a second client asks `GET /healthz` over and
over on its own connection. The stall of a case is the slowest /healthz answer whose
time overlapped the hostile request: how long the event loop was kept from another
client. The report has one row per case: the status and code it was answered with, how
long it took, and that stall. docs/security.md quotes it; tests/test_hostile_client.py
sends the same cases (with a shorter article) and holds every stall under one second.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from api.demo import curated

# -- the hostile requests ------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One request as a client sends it: a body (JSON or raw bytes), a path, headers."""

    name: str
    body: bytes | None = None
    path: str = "/graphql"
    method: str = "POST"
    editor: bool = False  # sent with the editor key
    headers: dict[str, str] = field(default_factory=dict)


def graphql(name: str, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Request:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    return Request(name, body, **kw)


def fan_out(levels: int, on: str) -> str:
    """`...F{levels}`, each fragment spreading the one below twice: 2**levels leaves."""
    leaf = "claims(first: 1) { totalCount }" if on == "Query" else "statement"
    fragments = [f"fragment F0 on {on} {{ {leaf} }}"]
    fragments += [
        f"fragment F{i} on {on} {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    spread = f"...F{levels}"
    operation = (
        f"query {{ {spread} }}"
        if on == "Query"
        else f"query {{ claims(first: 1) {{ edges {{ node {{ {spread} }} }} }} }}"
    )
    return " ".join([operation, *fragments])


NESTED_PAGES = """query($n: Int) { claims(first: $n) { edges { node {
  attributions(first: $n) { edges { node { source {
    attributions(first: $n) { edges { node { id } } } } } } }
} } } }"""
WIDE_ATTRIBUTIONS = """{ claims(first: 100) { edges { node { id statement language version
  attributions(first: 100) { edges { node { id quote quoteStart quoteEnd confidence hedges
    stance reportedAt source { id name kind } via { id name } origin { id name }
    document { id title } } } } } } } }"""
INGEST = """mutation($input: IngestDocumentInput!) { ingestDocument(input: $input) {
  attributions { quote confidence source { name } } claims { how } errors { code message } } }"""
CREATE_DOCUMENT = """mutation($input: CreateDocumentInput!) { createDocument(input: $input) {
  document { id } errors { code field message } } }"""


def article(chars: int) -> str:
    """The demo article, repeated to `chars` characters (sentences stay whole)."""
    text = curated.document_text()
    copies = max(1, chars // len(text))
    return "\n\n".join([text] * copies)[: max(chars, len(text))]


def cases(article_chars: int) -> list[Request]:
    """Every request of the hostile suite; the bench and the test send the same ones."""
    huge = "x" * 9_000_000
    same_field = "{ " + "claims { totalCount } " * 470 + "}"
    conflicting = " ".join(f"claims(first: {i % 90 + 1}) {{ totalCount }}" for i in range(200))
    unknown = "{ " + " ".join(f"f{i}" for i in range(1_900)) + " }"
    return [
        graphql("fragment fan-out on Query, 24 levels", fan_out(24, "Query")),
        graphql("fragment fan-out on Claim, 24 levels", fan_out(24, "Claim")),
        graphql("nested pages with float sizes (100.0)", NESTED_PAGES, {"n": 100.0}),
        Request(
            "NaN as a variable",
            b'{"query": "query($n: Int) { claims(first: $n) { totalCount } }",'
            b' "variables": {"n": NaN}}',
        ),
        graphql("one field repeated 470 times", same_field),
        graphql("200 conflicting arguments", "{ " + conflicting + " }"),
        graphql("1,900 unknown fields", unknown),
        graphql("9 MB unused variable", "query($x: String) { __typename }", {"x": huge}),
        graphql("100 claims x 100 attributions", WIDE_ATTRIBUTIONS),
        graphql(
            "a date out of range",
            CREATE_DOCUMENT,
            {
                "input": {
                    "title": "t",
                    "text": "t",
                    "language": "de",
                    "publishedAt": "9999-12-31T23:59:59-23:59",
                }
            },
            editor=True,
        ),
        graphql("a non-canonical id", '{ node(id: "Q2xhaW06MDAwMQ==") { id } }'),
        graphql(
            f"ingest dry run, {article_chars:,} characters",
            INGEST,
            {"input": {"text": article(article_chars), "language": "de", "dryRun": True}},
            editor=True,
        ),
        Request("PROV-O of a claim", path="/claims/Q2xhaW06MQ%3D%3D/prov.jsonld", method="GET"),
        graphql(
            "a cursor whose time is out of range",
            "query($after: String) { claims(first: 2, after: $after) { totalCount } }",
            {"after": _cursor("claims", "9999-12-31T23:59:59-23:59", 1)},
        ),
        graphql("first: 500", "{ claims(first: 500) { totalCount } }"),
        graphql("a syntax error", "{ claims(first: 1) { totalCount }"),
        Request("a body that is not JSON", b'{"query": "{ __typename }"'),
        Request("a batch", b'[{"query": "{ __typename }"}, {"query": "{ __typename }"}]'),
        Request("a body over the limit", b"{" + b" " * 11_000_000 + b"}"),
        graphql(
            "a key without its scheme",
            "{ __typename }",
            headers={"authorization": "cg_notakey"},
        ),
        graphql(
            "a forged X-Forwarded-For",
            "{ __typename }",
            headers={"x-forwarded-for": "203.0.113.7"},
        ),
    ]


def _cursor(keyset: str, key: str, row: int) -> str:
    """A cursor as api/pagination.py encodes one, with any key a forger likes."""
    raw = json.dumps([keyset, key, row], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# -- sending them while another client pings -----------------------------------------------


@dataclass
class Outcome:
    name: str
    status: int
    code: str
    seconds: float
    stall: float  # the slowest /healthz answer that overlapped the request
    body: bytes = b""


@dataclass
class Pinger:
    """GET /healthz in a loop on its own connection; (start, end) of each answer."""

    http: httpx.AsyncClient
    times: list[tuple[float, float]] = field(default_factory=list)
    running: float | None = None  # start of the ping in flight

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.running = time.monotonic()
            await self.http.get("/healthz")
            self.times.append((self.running, time.monotonic()))
            self.running = None
            await asyncio.sleep(0.002)

    def worst(self, start: float, end: float) -> float:
        overlapping = [b - a for a, b in self.times if b >= start and a <= end]
        return max(overlapping, default=0.0)


async def send(
    base_url: str, key: str, requests: list[Request], wait: float = 600
) -> list[Outcome]:
    """Each request in turn, with the pinger running beside it."""
    outcomes = []
    limits = httpx.Limits(max_connections=1)
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=wait) as http,
        httpx.AsyncClient(base_url=base_url, timeout=wait, limits=limits) as ping_http,
    ):
        await _warm_up(http, ping_http)
        for request in requests:
            pinger = Pinger(ping_http)
            stop = asyncio.Event()
            task = asyncio.create_task(pinger.run(stop))
            await asyncio.sleep(0.05)  # the pinger's connection is open and warm
            headers = {"content-type": "application/json", **request.headers}
            if request.editor:
                headers["authorization"] = f"Bearer {key}"
            started = time.monotonic()
            try:
                response = await http.request(
                    request.method, request.path, content=request.body, headers=headers
                )
                status, body = response.status_code, response.content
            except httpx.TransportError as exc:
                # A server may answer a body over its limit before reading it all, and
                # close: the client, still sending, sees the connection end.
                status, body = 0, type(exc).__name__.encode()
            ended = time.monotonic()
            await asyncio.sleep(0.02)  # a ping that overlapped the end has come back
            stop.set()
            await task
            stall = pinger.worst(started, ended)
            outcomes.append(
                Outcome(request.name, status, _code(body), ended - started, stall, body)
            )
    return outcomes


async def _warm_up(http: httpx.AsyncClient, ping_http: httpx.AsyncClient) -> None:
    """A server's first requests open its pools and load what it imports lazily: that is
    its start, not a stall any request causes, so it happens before the measuring."""
    for _ in range(3):
        await ping_http.get("/healthz")
        await http.post("/graphql", json={"query": "{ claims(first: 1) { totalCount } }"})


def _code(body: bytes) -> str:
    """The first error's code, `data` when the answer has data and no error, else '-'
    (or the transport error's name, when the connection ended without an answer)."""
    if body.endswith(b"Error"):
        return body.decode()
    try:
        parsed = json.loads(body)
    except ValueError:
        return "-"
    if not isinstance(parsed, dict):
        return "-"
    errors = parsed.get("errors") or []
    if errors:
        return str((errors[0].get("extensions") or {}).get("code", "error"))
    data = parsed.get("data") or {}
    payload = next(iter(data.values()), None) if isinstance(data, dict) else None
    if isinstance(payload, dict) and payload.get("errors"):
        return str(payload["errors"][0].get("code", "-"))
    return "data" if data else "-"


def report(outcomes: list[Outcome]) -> list[str]:
    # Status 0: the server closed the connection without an answer the client could read.
    lines = ["| request | status | answer | took (ms) | longest stall of another client (ms) |"]
    lines.append("|---|---:|---|---:|---:|")
    for o in outcomes:
        took, stall = f"{o.seconds * 1000:.0f}", f"{o.stall * 1000:.0f}"
        lines.append(f"| {o.name} | {o.status} | {o.code} | {took} | {stall} |")
    worst = max(outcomes, key=lambda o: o.stall)
    lines += ["", f"longest stall: {worst.stall * 1000:.0f} ms ({worst.name})"]
    return lines


# -- the command ---------------------------------------------------------------------------


async def seed(database_url: str, claims: int) -> str:
    """Migrate, load the demo article and `claims` synthetic claims; an editor key."""
    from api.db import create_engine, create_session_factory
    from api.demo.loader import load_demo
    from api.generate.options import GenerateOptions
    from api.generate.run import generate
    from api.settings import Settings
    from bench.load_mix import prepare_database

    key = await prepare_database(database_url)
    engine = create_engine(Settings(database_url=database_url))
    try:
        async with create_session_factory(engine).begin() as session:
            await load_demo(session)
        if claims:
            await generate(engine, GenerateOptions(claims=claims, seed=7))
    finally:
        await engine.dispose()
    return key


def main(argv: list[str] | None = None, say: Callable[[str], None] = print) -> int:
    from bench.load_mix import _database, running_server

    args = _parser().parse_args(argv)
    with _database(os.environ.get("DATABASE_URL")) as database_url:
        key = asyncio.run(seed(database_url, args.claims))
        with running_server(database_url) as server:
            chosen = [c for c in cases(args.article_chars) if not _skipped(c.name, args.skip)]
            outcomes = asyncio.run(send(server.base_url, key, chosen))
    text = "\n".join(report(outcomes))
    say(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 1 if any(o.status >= 500 for o in outcomes) else 0


def _skipped(name: str, skip: list[str]) -> bool:
    return any(word.lower() in name.lower() for word in skip)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--article-chars", type=int, default=200_000)
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--skip", action="append", default=[], help="leave out the cases whose name has this"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
