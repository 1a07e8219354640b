"""`python -m bench`: claimgraph against a hand-written reference, side by side, one command.

Starts a throwaway PostgreSQL on its own port, loads seeded synthetic data (by default
100,000 claims and about 300,000 attributions), starts the reference and claimgraph on
loopback, checks that both give the same data for each query, drives each in turn with
wrk (or an asyncio client) and prints a markdown table. A quick re-run of one cell on
the data of an earlier run:

    python -m bench --reuse-db --queries Q2 --concurrency 16 --duration 5
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
import tempfile
from pathlib import Path

from bench.harness import data, postgraphile, servers
from bench.harness.cluster import BenchCluster
from bench.harness.load import tool
from bench.harness.measure import Cell, measure, merge, verify
from bench.harness.queries import Query, queries
from bench.harness.report import render
from bench.harness.servers import Server


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    p.add_argument("--claims", type=int, default=100_000, help="claims to generate")
    p.add_argument("--per-claim", type=int, default=3, help="mean attributions per claim")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--queries", default="Q1,Q2,Q3,C1,S1,S2", help="comma-separated, e.g. Q2 (default: all)"
    )
    p.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    p.add_argument("--duration", type=float, default=10, help="seconds per cell")
    p.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per cell")
    p.add_argument(
        "--rounds", type=int, default=2, help="split each cell into rounds, servers taking turns"
    )
    p.add_argument("--load", choices=["auto", "wrk", "client"], default="auto")
    p.add_argument("--pool-size", type=int, default=10, help="connections per server")
    p.add_argument("--reuse-db", action="store_true", help="keep the data of an earlier run")
    p.add_argument("--data-dir", type=Path, default=None, help="where the cluster lives")
    p.add_argument("--out", type=Path, default=None, help="also write the report here")
    p.add_argument(
        "--postgraphile", default=None, metavar="PATH", help="its binary: measure it too (Q1-Q3)"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if min(args.claims, args.per_claim, args.rounds, *args.concurrency) < 1 or args.duration < 1:
        raise SystemExit(
            "bench: --claims, --per-claim, --rounds, --concurrency must be > 0, --duration >= 1"
        )
    generator = tool(args.load)
    data_dir = args.data_dir or Path(tempfile.gettempdir()) / "claimgraph-bench" / (
        f"c{args.claims}-k{args.per_claim}-s{args.seed}"
    )
    cluster = BenchCluster(data_dir)
    log(f"PostgreSQL in {data_dir} ({'reused' if args.reuse_db else 'fresh'})")
    url = cluster.start(fresh=not args.reuse_db)
    try:
        counts = asyncio.run(
            data.prepare(url, claims=args.claims, per_claim=args.per_claim, seed=args.seed)
        )
        log("data: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        targets = asyncio.run(data.targets(url))
        chosen = pick(queries(targets), args.queries)
        cells = run_servers(args, url, chosen, generator, data_dir.parent)
    finally:
        cluster.stop()
    command = "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:])
    report = render(
        cells,
        command=command.strip(),
        counts=counts,
        targets=targets,
        queries=chosen,
        generator=generator,
        seconds=args.duration,
        rounds=args.rounds,
    )
    print(report)
    if args.out is not None:
        args.out.write_text(report, encoding="utf-8")
    return 1 if any(c.load.errors for c in cells) else 0


def pick(available: dict[str, Query], wanted: str) -> list[Query]:
    names = [name.strip().upper() for name in wanted.split(",") if name.strip()]
    unknown = [name for name in names if name not in available]
    if unknown or not names:
        raise SystemExit(f"bench: unknown queries {unknown}; choose from {sorted(available)}")
    return [available[name] for name in names]


def run_servers(
    args: argparse.Namespace,
    url: str,
    chosen: list[Query],
    generator: str,
    logs: Path,
) -> list[Cell]:
    """Start the servers, check their answers, then measure each cell, one server at a time."""
    reference = servers.reference(url, logs, args.pool_size)
    claimgraph = servers.claimgraph(url, logs, args.pool_size)
    # Each server with the document it is sent for each query name.
    lineup: list[tuple[Server, dict[str, Query]]] = [
        (reference, {q.name: q for q in chosen if q.referenced}),
        (claimgraph, {q.name: q for q in chosen}),
    ]
    if args.postgraphile:
        asyncio.run(postgraphile.prepare(url))
        own = postgraphile.queries(asyncio.run(data.targets(url)))
        graphile = postgraphile.server(url, logs, args.postgraphile, args.pool_size)
        lineup.append((graphile, {q.name: own[q.name] for q in chosen if q.name in own}))
    cells: list[Cell] = []
    try:
        for server, _ in lineup:
            server.start()
        check(lineup, chosen)
        for query in chosen:
            for level in args.concurrency:
                cells += rounds(args, lineup, query.name, level, generator, url)
    finally:
        for server, _ in lineup:
            server.stop()
    return cells


def rounds(
    args: argparse.Namespace,
    lineup: list[tuple[Server, dict[str, Query]]],
    name: str,
    level: int,
    generator: str,
    url: str,
) -> list[Cell]:
    """One query at one concurrency on every server, in rounds that take turns: a burst of
    other work on a shared machine then slows all servers alike, not the one it hits."""
    parts: dict[str, list[Cell]] = {}
    for turn in range(args.rounds):
        for server, documents in lineup:
            if name in documents:
                part = measure(
                    server,
                    documents[name],
                    concurrency=level,
                    seconds=args.duration / args.rounds,
                    warmup=args.warmup if turn == 0 else 0,
                    generator=generator,
                    database_url=url,
                )
                parts.setdefault(server.name, []).append(part)
    cells = [merge(cell_parts) for cell_parts in parts.values()]
    for cell in cells:
        log(
            f"{name} c={level} {cell.server}: {cell.load.rate:,.0f} req/s,"
            f" p50 {cell.load.p50_ms:.2f} ms, {cell.load.errors} errors"
        )
    return cells


def check(lineup: list[tuple[Server, dict[str, Query]]], chosen: list[Query]) -> None:
    """Stop the run unless every server gives the data the reference gives."""
    (reference, _), (claimgraph, _), *others = lineup
    for query in chosen:
        problem = verify(reference if query.referenced else None, claimgraph, query)
        for server, documents in others:
            if problem is None and query.name in documents:
                problem = postgraphile.verify(reference, query, server, documents[query.name])
        if problem is not None:
            raise SystemExit(f"bench: the answers differ: {problem}")
        log(f"{query.name}: {', '.join(s.name for s, d in lineup if query.name in d)} agree")


def log(line: str) -> None:
    print(f"bench: {line}", file=sys.stderr, flush=True)
