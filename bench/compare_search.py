"""Latency of compareSources and search on a large database, with the SQL plans.

    DATABASE_URL=postgresql://postgres@127.0.0.1/cg_bench \\
        python -m bench.compare_search [--runs 50] [--out docs/bench-compare-search.md]

Fill the database first (`claimgraph generate --claims 100000` gives about a million
attributions). The GraphQL queries run in-process through the real ASGI app (no
network, no server process), so the figures are the service's own: parsing,
validation, resolvers, SQL and JSON. Each query is warmed up, then timed `--runs`
times; the report gives p50/p95/max, the SQL statements of one request, and
EXPLAIN (ANALYZE, BUFFERS) of each statement.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from api.db import create_engine
from api.settings import Settings
from schema.ids import encode_id

COMPARE = """
query($a: ID!, $b: ID!) {
  compareSources(a: $a, b: $b) {
    agreementRate
    shared(first: 20) { totalCount edges { node { agrees claim { id statement } } } }
    onlyA(first: 20) { totalCount edges { node { id statement } } }
    onlyB(first: 20) { totalCount edges { node { id statement } } }
  }
}"""

COMPARE_PAGE = """
query($a: ID!, $b: ID!) {
  compareSources(a: $a, b: $b) {
    shared(first: 20) { edges { node { agrees claim { id statement } } } }
  }
}"""

SEARCH = """
query($s: String!) {
  claims(search: $s, first: 20) { totalCount edges { node { id statement } } }
}"""

SEARCH_PAGE = """
query($s: String!) { claims(search: $s, first: 20) { edges { node { id statement } } } }
"""


@dataclass
class Timing:
    name: str
    samples: list[float]
    statements: list[tuple[str, Any]]

    def line(self) -> str:
        ms = sorted(s * 1000 for s in self.samples)
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
        return (
            f"| {self.name} | {statistics.median(ms):.1f} | {p95:.1f} | {ms[-1]:.1f} |"
            f" {len(self.statements)} |"
        )


async def busiest_pair(engine: AsyncEngine) -> tuple[int, int]:
    query = text(
        "SELECT source_id FROM source_claim GROUP BY source_id ORDER BY count(*) DESC LIMIT 2"
    )
    async with engine.connect() as connection:
        a, b = (await connection.execute(query)).scalars().all()
    return int(a), int(b)


async def sizes(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM claim), (SELECT count(*) FROM attribution),"
                    " (SELECT count(*) FROM source), (SELECT count(*) FROM document),"
                    " (SELECT count(*) FROM source_claim)"
                )
            )
        ).one()
    return dict(
        zip(["claims", "attributions", "sources", "documents", "source_claim"], row, strict=True)
    )


async def measure(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    name: str,
    query: str,
    variables: dict[str, Any],
    runs: int,
) -> Timing:
    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        captured.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
    event.remove(engine.sync_engine, "before_cursor_execute", capture)
    assert "errors" not in body, body
    for _ in range(3):  # warm caches: parser, validation, PostgreSQL buffers
        await client.post("/graphql", json={"query": query, "variables": variables})
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = await client.post("/graphql", json={"query": query, "variables": variables})
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    return Timing(name, samples, captured)


async def explain(engine: AsyncEngine, statement: str, parameters: Any) -> str:
    async with engine.connect() as connection:
        result = await connection.exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters
        )
        return "\n".join(row[0] for row in result)


async def run(runs: int) -> str:
    settings = Settings()
    engine = create_engine(settings)
    a, b = await busiest_pair(engine)
    counts = await sizes(engine)
    app = create_app(settings, engine=engine)
    ids = {"a": encode_id("Source", a), "b": encode_id("Source", b)}
    cases = [
        ("compareSources: 3 pages of 20 + totalCounts + agreementRate", COMPARE, ids),
        ("compareSources: first page of shared", COMPARE_PAGE, ids),
        ("search a common word (12% of claims), first 20 + totalCount", SEARCH, {"s": "sanctions"}),
        ("search a common word, first page", SEARCH_PAGE, {"s": "sanctions"}),
        ("search a misspelt name, first page", SEARCH_PAGE, {"s": "Trelarra"}),
        ("search a source alias, first page", SEARCH_PAGE, {"s": "Trelara government"}),
    ]
    timings = []
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for name, query, variables in cases:
                timings.append(await measure(client, engine, name, query, variables, runs))
        plans = [
            (t.name, statement, await explain(engine, statement, parameters))
            for t in [*timings[::2], timings[4]]
            for statement, parameters in t.statements
        ]
    await engine.dispose()
    return _report(counts, (a, b), runs, timings, plans)


def _report(
    counts: dict[str, int],
    pair: tuple[int, int],
    runs: int,
    timings: list[Timing],
    plans: list[tuple[str, str, str]],
) -> str:
    lines = [
        "# compareSources and search on a large database",
        "",
        f"Measured with `python -m bench.compare_search --runs {runs}` on {platform.node()}"
        f" ({platform.processor() or platform.machine()}, Python {platform.python_version()}),"
        " in-process through the ASGI app, one request at a time.",
        "",
        "Data: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        + f". Compared sources: ids {pair[0]} and {pair[1]}, the two busiest.",
        "",
        "| query | p50 ms | p95 ms | max ms | SQL statements |",
        "|---|---|---|---|---|",
        *[t.line() for t in timings],
        "",
        "## Plans (EXPLAIN ANALYZE, BUFFERS)",
    ]
    for name, statement, plan in plans:
        lines += ["", f"### {name}", "", "```sql", statement.strip(), "```", "", "```", plan, "```"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    report = asyncio.run(run(args.runs))
    if args.out is not None:
        args.out.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
