"""Memory of a 100-page walk through `claims(first: 100)`: the server's RSS must stay flat.

    python -m bench.paging_memory [--claims 12000] [--pages 100] [--reuse-db]

Starts the bench's throwaway PostgreSQL (bench.harness.cluster) on its own port, loads
`claimgraph generate` data (bench.harness.data), starts `claimgraph serve` as a
subprocess, and follows the cursors of `claims(first: 100)` with a nested attributions
selection for `--pages` pages, sampling the server's resident memory (psutil) after every
page. Each path is walked in a fresh server: the compiled SQL path (the default) and the
resolver path (CLAIMGRAPH_COMPILED_READS=false). Reports RSS at start, after warm-up
(the first `--warmup` pages), at the end and the maximum, in MB.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil  # type: ignore[import-untyped]

from bench.harness import data, servers
from bench.harness.cluster import BenchCluster

PAGE = """
query Page($first: Int!, $after: String) {
  claims(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        statement
        language
        attributions(first: 10) {
          totalCount
          edges { node { id stance confidence quote source { name } document { title } } }
        }
      }
    }
  }
}
"""
MB = 1024 * 1024


@dataclass
class Walk:
    path: str
    samples: list[float]  # RSS in MB: before the first page, then after each page
    claims_seen: int
    seconds: float
    pages: int  # per round

    def row(self, warmup: int) -> str:
        start, warm, end = self.samples[0], self.samples[warmup], self.samples[-1]
        first_round, peak = self.samples[self.pages], max(self.samples)
        return (
            f"| {self.path} | {len(self.samples) - 1} | {self.claims_seen:,} | {start:.1f} |"
            f" {warm:.1f} | {first_round:.1f} | {end:.1f} | {peak:.1f} | {end - warm:+.1f} |"
            f" {self.seconds:.1f} |"
        )


def rss_mb(process: psutil.Process) -> float:
    return float(process.memory_info().rss) / MB


def walk(server: servers.Server, path: str, args: argparse.Namespace) -> Walk:
    """Follow the cursors for `--pages` pages, `--rounds` times; in a round every claim
    must come exactly once."""
    assert server.process is not None
    process = psutil.Process(server.process.pid)
    samples = [rss_mb(process)]
    seen: set[str] = set()
    started = time.monotonic()
    with httpx.Client(timeout=120) as client:
        for _ in range(args.rounds):
            seen = _round(client, server, process, args.pages, args.first, samples)
    return Walk(path, samples, len(seen), time.monotonic() - started, args.pages)


def _round(
    client: httpx.Client,
    server: servers.Server,
    process: psutil.Process,
    pages: int,
    first: int,
    samples: list[float],
) -> set[str]:
    seen: set[str] = set()
    after: str | None = None
    for number in range(pages):
        variables: dict[str, Any] = {"first": first, "after": after}
        body = client.post(server.url, json={"query": PAGE, "variables": variables}).json()
        if "errors" in body:
            raise SystemExit(f"page {number + 1} failed: {body['errors']}")
        connection = body["data"]["claims"]
        ids = [edge["node"]["id"] for edge in connection["edges"]]
        if len(ids) != first or seen.intersection(ids):
            raise SystemExit(f"page {number + 1}: {len(ids)} claims, or one seen before")
        seen.update(ids)
        samples.append(rss_mb(process))
        after = connection["pageInfo"]["endCursor"]
    return seen


def run(url: str, logs: Path, args: argparse.Namespace) -> list[Walk]:
    walks = []
    for path, compiled in (("compiled SQL", "true"), ("resolvers", "false")):
        server = servers.claimgraph(url, logs, pool_size=10)
        server.env["CLAIMGRAPH_COMPILED_READS"] = compiled
        server.start()
        try:
            walks.append(walk(server, path, args))
        finally:
            server.stop()
    return walks


def report(walks: list[Walk], counts: dict[str, int], args: argparse.Namespace) -> str:
    lines = [
        f"data: {counts['claim']:,} claims, {counts['attribution']:,} attributions;"
        f" {args.rounds} x {args.pages} pages of claims(first: {args.first})"
        " with attributions(first: 10)",
        "",
        "| path | pages | claims per round | start MB | after warm-up MB | end of round 1 MB"
        " | end MB | max MB | end - warm-up | walk s |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *(w.row(args.warmup) for w in walks),
        "",
        f"(warm-up: the first {args.warmup} pages; RSS of the server process, psutil)",
    ]
    for w in walks:
        every_tenth = " ".join(f"{s:.1f}" for s in w.samples[:: max(1, args.pages // 10)])
        lines.append(f"{w.path}, MB every {max(1, args.pages // 10)} pages: {every_tenth}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.paging_memory", description=__doc__)
    parser.add_argument("--claims", type=int, default=12_000)
    parser.add_argument("--per-claim", type=int, default=3, help="mean attributions per claim")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--first", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2, help="walk the pages this often")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=Path, default=None, help="where the cluster lives")
    parser.add_argument("--reuse-db", action="store_true", help="keep the data of a past run")
    args = parser.parse_args(argv)
    if args.claims < args.pages * args.first or not 0 < args.warmup < args.pages or args.rounds < 1:
        parser.error("--claims must cover --pages x --first; 0 < --warmup < --pages")
    data_dir = args.data_dir or Path(tempfile.gettempdir()) / "claimgraph-bench" / (
        f"paging-c{args.claims}-k{args.per_claim}-s{args.seed}"
    )
    logs = Path(tempfile.mkdtemp(prefix="cg-paging-logs-"))
    cluster = BenchCluster(data_dir)
    url = cluster.start(fresh=not args.reuse_db)
    try:
        counts = asyncio.run(
            data.prepare(url, claims=args.claims, per_claim=args.per_claim, seed=args.seed)
        )
        walks = run(url, logs, args)
    finally:
        cluster.stop()
    print(report(walks, counts, args))
    print(f"servers' logs: {logs}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
