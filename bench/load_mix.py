"""Sustained mixed load on a real `claimgraph serve` process, over loopback HTTP.

    python -m bench.load_mix [--seconds 60] [--concurrency 8] [--out docs/load.md]
    DATABASE_URL=postgresql://postgres@127.0.0.1/cg_load python -m bench.load_mix ...

Without DATABASE_URL it starts a throwaway PostgreSQL cluster on a free port (initdb into
/tmp, removed afterwards); with it, it uses that database (migrated first). It starts the
server as a subprocess (`python -m api.cli serve`, one uvicorn process, the rate limit off:
the bench measures the service, not the limiter), seeds a little data, then runs
`--concurrency` clients for `--seconds`, each picking a request kind by weight: reads
(claim by id with attributions and comparison, a claims page, a search, compareSources)
and writes with an editor key (createSource, createDocument, createClaim, addAttribution,
updateClaim). It reports requests/s, p50/p99 latency per kind, the errors (any non-200,
any GraphQL error, any payload error; must be 0) and the server's RSS sampled every second.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil  # type: ignore[import-untyped]

from api import migrate
from api.auth.roles import Role
from api.auth.service import create_key
from api.db import create_engine, create_session_factory
from api.embedded import EmbeddedPostgres
from api.embedded.accounts import cluster_account, run
from api.embedded.network import free_port
from api.settings import Settings

REPO = Path(__file__).resolve().parent.parent

# -- the database and the server -----------------------------------------------------------


@contextmanager
def throwaway_cluster() -> Iterator[EmbeddedPostgres]:
    """A fresh PostgreSQL cluster in /tmp on a free port, stopped and removed afterwards."""
    base = Path(tempfile.mkdtemp(prefix="cg-throwaway-", dir="/tmp"))
    data_dir = base / "pgdata"
    account = cluster_account(data_dir)
    if account.is_other:  # as root, the server runs as `postgres`, which must reach in
        os.chown(base, account.uid, account.gid)
    cluster = EmbeddedPostgres(data_dir)
    try:
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            shutil.rmtree(base, ignore_errors=True)


def pg_ctl(cluster: EmbeddedPostgres, *args: str) -> None:
    """Run pg_ctl on the cluster as its owner; fail loudly if it fails."""
    argv: list[str | Path] = [cluster.bin_dir / "pg_ctl", *args, "-D", cluster.data_dir]
    argv += ["-w", "-t", "60"]
    result = run(argv, cluster_account(cluster.data_dir))
    if result.returncode != 0:
        raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {result.stderr or result.stdout}")


async def prepare_database(database_url: str) -> str:
    """Migrate the database to head and return a new editor key's secret."""
    engine = create_engine(Settings(database_url=database_url), pool_size=1, max_overflow=0)
    try:
        await migrate.upgrade(engine)
        async with create_session_factory(engine).begin() as session:
            name = f"load-{uuid.uuid4().hex[:8]}"
            created = await create_key(session, name=name, role=Role.EDITOR)
    finally:
        await engine.dispose()
    return created.key


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def running_server(
    database_url: str, extra_env: dict[str, str] | None = None, startup_seconds: float = 60
) -> Iterator[Server]:
    """`claimgraph serve` against the database, on a free loopback port; SIGTERM at the end."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CLAIMGRAPH_RATE_LIMIT_PER_MINUTE": "0",
        "CLAIMGRAPH_LOG_LEVEL": "WARNING",
        **(extra_env or {}),
    }
    log_dir = Path(tempfile.mkdtemp(prefix="cg-server-"))
    log_path = log_dir / "server.log"
    argv = [sys.executable, "-m", "api.cli", "serve", "--no-migrate", "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        _wait_until_live(server, startup_seconds)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(log_dir, ignore_errors=True)


def _wait_until_live(server: Server, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"claimgraph serve exited at start-up:\n{server.log()}")
        try:
            if httpx.get(f"{server.base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"claimgraph serve did not answer within {seconds} s:\n{server.log()}")


# -- the request mix -----------------------------------------------------------------------

CLAIM = """query($id: ID!) { node(id: $id) { ... on Claim {
  statement version
  attributions(first: 5) { edges { node { source { name kind } confidence quote } } }
  comparison { reportCount sourceCount independentOriginCount consensusConfidence }
} } }"""
CLAIMS = "{ claims(first: 20) { totalCount edges { node { id statement language } } } }"
SEARCH = """query($q: String!) { claims(search: $q, first: 10) {
  totalCount edges { node { id statement } } } }"""
COMPARE = """query($a: ID!, $b: ID!) { compareSources(a: $a, b: $b) {
  agreementRate shared(first: 10) { totalCount } onlyA(first: 10) { totalCount }
  onlyB(first: 10) { totalCount } } }"""
CREATE_SOURCE = """mutation($input: CreateSourceInput!) { createSource(input: $input) {
  source { id name } errors { code message } } }"""
CREATE_DOCUMENT = """mutation($input: CreateDocumentInput!) { createDocument(input: $input) {
  document { id } errors { code message } } }"""
CREATE_CLAIM = """mutation($input: CreateClaimInput!) { createClaim(input: $input) {
  claim { id statement version } errors { code message } } }"""
ADD_ATTRIBUTION = """mutation($input: AddAttributionInput!) { addAttribution(input: $input) {
  attribution { id confidence } errors { code message } } }"""
UPDATE_CLAIM = """mutation($input: UpdateClaimInput!) { updateClaim(input: $input) {
  claim { id version } errors { code message } } }"""

PLACES = ["Kursk", "Wladiwostok", "Pjöngjang", "Charkiw", "Odessa", "Minsk", "Tiflis", "Baku"]
THINGS = ["Granaten", "Drohnen", "Panzer", "Raketen", "Flüchtlinge", "Soldaten", "Züge"]
KINDS = ["NEWS_AGENCY", "NEWS_OUTLET", "GOVERNMENT", "PERSON", "THINK_TANK"]
# Reads outnumber writes, as on a newsroom API; each write kind appears often enough.
WEIGHTS = {
    "claim": 25, "claims": 15, "search": 15, "compare": 10,
    "createSource": 5, "createDocument": 5, "createClaim": 8, "addAttribution": 10,
    "updateClaim": 7,
}  # fmt: skip


def sentence(rng: random.Random) -> str:
    place, thing = rng.choice(PLACES), rng.choice(THINGS)
    return f"In {place} wurden {rng.randint(2, 9000)} {thing} gezählt ({uuid.uuid4().hex[:8]})."


class RequestFailed(Exception):
    """A response that is not a clean success: wrong status, GraphQL or payload errors."""


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def requests(self) -> int:
        return sum(map(len, self.latencies.values())) + self.error_count

    @property
    def error_count(self) -> int:
        return sum(map(len, self.errors.values()))


@dataclass
class Worker:
    """One client: it keeps what it created, so its writes never race another's."""

    http: httpx.AsyncClient
    stats: Stats
    shared: Shared
    rng: random.Random
    documents: list[tuple[str, list[str]]] = field(default_factory=list)
    mine: dict[str, tuple[int, str]] = field(default_factory=dict)  # claim id: (version, text)
    sources: list[str] = field(default_factory=list)

    async def post(self, kind: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            request = {"query": query, "variables": variables}
            response = await self.http.post("/graphql", json=request)
            body: dict[str, Any] = response.json()
            if response.status_code != 200 or "errors" in body:
                raise RequestFailed(f"{response.status_code}: {str(body)[:300]}")
            data: dict[str, Any] = body["data"]
            payload = next(iter(data.values()))
            if isinstance(payload, dict) and payload.get("errors"):
                raise RequestFailed(f"payload errors: {payload['errors']}")
        except (RequestFailed, httpx.HTTPError, ValueError) as exc:
            self.stats.errors[kind].append(f"{type(exc).__name__}: {exc}")
            raise RequestFailed(kind) from exc
        self.stats.latencies[kind].append(time.perf_counter() - started)
        return data

    async def step(self, kind: str) -> None:
        actions = {
            "claim": self.claim, "claims": self.claims, "search": self.search,
            "compare": self.compare, "createSource": self.create_source,
            "createDocument": self.create_document, "createClaim": self.create_claim,
            "addAttribution": self.add_attribution, "updateClaim": self.update_claim,
        }  # fmt: skip
        await actions[kind]()

    async def claim(self) -> None:
        await self.post("claim", CLAIM, {"id": self.rng.choice(self.shared.claim_ids)})

    async def claims(self) -> None:
        await self.post("claims", CLAIMS, {})

    async def search(self) -> None:
        words = [*PLACES, *THINGS]
        await self.post("search", SEARCH, {"q": self.rng.choice(words)})

    async def compare(self) -> None:
        a, b = self.rng.sample(self.shared.source_ids, 2)
        await self.post("compare", COMPARE, {"a": a, "b": b})

    async def create_source(self) -> str:
        name = f"Quelle {uuid.uuid4().hex[:10]}"
        variables = {"input": {"name": name, "kind": self.rng.choice(KINDS)}}
        data = await self.post("createSource", CREATE_SOURCE, variables)
        self.sources.append(data["createSource"]["source"]["id"])
        return self.sources[-1]

    async def create_document(self) -> None:
        sentences = [sentence(self.rng) for _ in range(3)]
        variables = {"input": {"title": f"Bericht {uuid.uuid4().hex[:8]}", "language": "de",
                               "text": " ".join(sentences)}}  # fmt: skip
        data = await self.post("createDocument", CREATE_DOCUMENT, variables)
        self.documents.append((data["createDocument"]["document"]["id"], sentences))
        del self.documents[:-20]

    async def create_claim(self) -> None:
        statement = sentence(self.rng)
        data = await self.post(
            "createClaim", CREATE_CLAIM, {"input": {"statement": statement, "language": "de"}}
        )
        created = data["createClaim"]["claim"]
        self.mine[created["id"]] = (created["version"], statement)
        self.shared.add_claim(created["id"])

    async def add_attribution(self) -> None:
        if not self.documents or not self.sources:
            await (self.create_document() if not self.documents else self.create_source())
            return
        document_id, sentences = self.rng.choice(self.documents)
        quote = self.rng.choice(sentences)
        variables = {"input": {"statement": quote, "language": "de"}}
        data = await self.post("createClaim", CREATE_CLAIM, variables)
        claim = data["createClaim"]["claim"]
        self.mine[claim["id"]] = (claim["version"], quote)
        attribution = {"claimId": claim["id"], "documentId": document_id, "quote": quote,
                       "sourceId": self.rng.choice(self.sources),
                       "confidence": round(self.rng.uniform(0.3, 1.0), 2)}  # fmt: skip
        await self.post("addAttribution", ADD_ATTRIBUTION, {"input": attribution})
        self.shared.add_claim(claim["id"])

    async def update_claim(self) -> None:
        if not self.mine:
            await self.create_claim()
            return
        claim_id = self.rng.choice(list(self.mine))
        version, statement = self.mine[claim_id]
        edited = statement.rstrip(".") + " (aktualisiert)."
        variables = {"input": {"id": claim_id, "version": version, "statement": edited}}
        data = await self.post("updateClaim", UPDATE_CLAIM, variables)
        self.mine[claim_id] = (data["updateClaim"]["claim"]["version"], statement)


@dataclass
class Shared:
    """Ids every client may read: the seeded ones and, bounded, the newest claims."""

    claim_ids: list[str]
    source_ids: list[str]

    def add_claim(self, claim_id: str) -> None:
        self.claim_ids.append(claim_id)
        del self.claim_ids[:-500]


@asynccontextmanager
async def client(base_url: str, key: str, wait: float = 30) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=wait) as http:
        yield http


async def seed(http: httpx.AsyncClient, rng: random.Random, stats: Stats) -> Shared:
    """A few sources, documents and attributed claims, so that every read finds data."""
    shared = Shared(claim_ids=[], source_ids=[])
    worker = Worker(http, stats, shared, rng)
    for _ in range(4):
        shared.source_ids.append(await worker.create_source())
    for _ in range(3):
        await worker.create_document()
    for _ in range(12):
        await worker.add_attribution()
    return shared


@dataclass
class Report:
    seconds: float
    concurrency: int
    stats: Stats
    rss: list[int]
    load: tuple[float, float]  # 1-minute load average before and after
    server_cpu: float  # CPU seconds the server process used during the run

    def lines(self) -> list[str]:
        total = self.stats.requests
        rate = total / self.seconds
        out = [
            f"{total} requests in {self.seconds:.1f} s at concurrency {self.concurrency}:"
            f" {rate:.1f} requests/s, {self.stats.error_count} errors",
            "",
        ]
        out += ["| kind | requests | p50 ms | p99 ms |", "|---|---:|---:|---:|"]
        for kind in WEIGHTS:
            times = sorted(self.stats.latencies.get(kind, []))
            if times:
                out.append(f"| {kind} | {len(times)} | {_ms(times, 0.50)} | {_ms(times, 0.99)} |")
        if self.rss:
            mib = [r / 2**20 for r in self.rss]
            settled = mib[min(10, len(mib) - 1)]
            out += [
                "",
                f"server RSS (MiB, {len(mib)} samples, one a second): start {mib[0]:.1f},"
                f" after 10 s {settled:.1f}, end {mib[-1]:.1f}, max {max(mib):.1f}",
                "every 10 s: " + ", ".join(f"{m:.1f}" for m in mib[::10]),
            ]
        busy = self.server_cpu / self.seconds
        out.append(f"server CPU: {self.server_cpu:.1f} s, {busy:.0%} of one core (one process)")
        out.append(
            f"machine: {os.cpu_count()} CPUs, load average {self.load[0]:.1f} before,"
            f" {self.load[1]:.1f} after (the bench's clients share the CPUs with the server)"
        )
        for kind, messages in self.stats.errors.items():
            out.append(f"errors in {kind}: {len(messages)}, first: {messages[0]}")
        return out


def _ms(times: list[float], q: float) -> str:
    index = min(len(times) - 1, round(q * (len(times) - 1)))
    return f"{times[index] * 1000:.1f}"


async def run_load(
    server: Server, key: str, seconds: float, concurrency: int, seed_value: int = 0
) -> Report:
    """Seed, then `concurrency` clients for `seconds`; the server's RSS read each second."""
    stats = Stats()
    rng = random.Random(seed_value)
    process = psutil.Process(server.process.pid)
    async with client(server.base_url, key) as http:
        shared = await seed(http, rng, Stats())
        deadline = time.monotonic() + seconds
        kinds, weights = list(WEIGHTS), list(WEIGHTS.values())

        async def one_client(n: int) -> None:
            worker = Worker(http, stats, shared, random.Random(seed_value * 1000 + n))
            while time.monotonic() < deadline:
                with suppress(RequestFailed):  # counted in stats; the client goes on
                    await worker.step(worker.rng.choices(kinds, weights)[0])

        async def sample_rss(rss: list[int]) -> None:
            while time.monotonic() < deadline:
                rss.append(process.memory_info().rss)
                await asyncio.sleep(1)

        rss: list[int] = []
        load_before = os.getloadavg()[0]
        cpu_before = sum(process.cpu_times()[:2])
        started = time.monotonic()
        await asyncio.gather(sample_rss(rss), *(one_client(n) for n in range(concurrency)))
        elapsed = time.monotonic() - started
    cpu = sum(process.cpu_times()[:2]) - cpu_before
    return Report(elapsed, concurrency, stats, rss, (load_before, os.getloadavg()[0]), cpu)


def main() -> int:
    args = _parser().parse_args()
    with _database(os.environ.get("DATABASE_URL")) as database_url:
        key = asyncio.run(prepare_database(database_url))
        with running_server(database_url) as server:
            report = asyncio.run(run_load(server, key, args.seconds, args.concurrency))
    text = "\n".join(report.lines())
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 1 if report.stats.error_count else 0


@contextmanager
def _database(url: str | None) -> Iterator[str]:
    """The given database, or one in a throwaway cluster."""
    if url:
        yield url
        return
    with throwaway_cluster() as cluster:
        yield cluster.url()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    return parser


if __name__ == "__main__":
    sys.exit(main())
