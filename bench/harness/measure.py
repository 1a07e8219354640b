"""One cell of the table: a server, a query and a concurrency, driven for a fixed time.

Around the load the cell reads the server's CPU time (psutil) and the statements
PostgreSQL ran (`pg_stat_statements`), and divides both by the requests answered.
Only one server is driven at a time, so the statement counts are that server's.
"""

from __future__ import annotations

import asyncio
import statistics
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from bench.harness.load import Load, drive
from bench.harness.queries import Query
from bench.harness.servers import Server

# Data statements apart from transaction control and session set-up (BEGIN, ROLLBACK, SET).
STATEMENTS = r"""
SELECT coalesce(sum(calls) FILTER (WHERE query ~* '^\s*(select|with|insert|update|delete)'), 0),
       coalesce(sum(calls) FILTER (WHERE query !~* '^\s*(select|with|insert|update|delete)'), 0)
FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'"""


@dataclass(frozen=True)
class Cell:
    query: str
    concurrency: int
    server: str
    load: Load
    cpu_ms: float
    statements: float
    other_statements: float


async def statement_totals(database_url: str) -> tuple[int, int]:
    connection = await asyncpg.connect(database_url)
    try:
        row = await connection.fetchrow(STATEMENTS)
    finally:
        await connection.close()
    return int(row[0]), int(row[1])


def measure(
    server: Server,
    query: Query,
    *,
    concurrency: int,
    seconds: float,
    warmup: float,
    generator: str,
    database_url: str,
) -> Cell:
    """Warm the server up on this query, then drive it and account for CPU and SQL."""
    if warmup > 0:
        drive(
            server.url, query.body(), concurrency=concurrency, seconds=warmup, generator=generator
        )
    cpu_before = server.cpu_seconds()
    sql_before = asyncio.run(statement_totals(database_url))
    load = drive(
        server.url, query.body(), concurrency=concurrency, seconds=seconds, generator=generator
    )
    cpu = server.cpu_seconds() - cpu_before
    sql_after = asyncio.run(statement_totals(database_url))
    answered = max(load.requests, 1)
    return Cell(
        query.name,
        concurrency,
        server.name,
        load,
        cpu * 1000 / answered,
        (sql_after[0] - sql_before[0]) / answered,
        (sql_after[1] - sql_before[1]) / answered,
    )


def merge(parts: list[Cell]) -> Cell:
    """One cell from the rounds of it: totals summed, per-request figures weighted by
    requests, p50 the median of the rounds' p50s and p99 the worst of their p99s."""
    requests = sum(p.load.requests for p in parts)
    weight = max(requests, 1)
    load = Load(
        requests=requests,
        seconds=sum(p.load.seconds for p in parts),
        errors=sum(p.load.errors for p in parts),
        p50_ms=statistics.median(p.load.p50_ms for p in parts),
        p99_ms=max(p.load.p99_ms for p in parts),
    )
    return Cell(
        parts[0].query,
        parts[0].concurrency,
        parts[0].server,
        load,
        sum(p.cpu_ms * p.load.requests for p in parts) / weight,
        sum(p.statements * p.load.requests for p in parts) / weight,
        sum(p.other_statements * p.load.requests for p in parts) / weight,
    )


def answer(server: Server, query: Query) -> Any:
    response = httpx.post(server.url, json=query.body(), timeout=60)
    return response.json()


def difference(left: Any, right: Any, path: str = "") -> str | None:
    """Where two JSON values first differ, as a path, or None when they are equal."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(left.keys() | right.keys()):
            if key not in left or key not in right:
                return f"{path}.{key}: present on one side only"
            found = difference(left[key], right[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return f"{path}: {len(left)} items against {len(right)}"
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            found = difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if left == right else f"{path}: {left!r} against {right!r}"


def verify(reference: Server | None, claimgraph: Server, query: Query) -> str | None:
    """None when both servers give the same, error-free, non-empty data; else why not.

    Without a reference, claimgraph's answer is checked for errors and data only.
    """
    actual = answer(claimgraph, query)
    expected = actual if reference is None else answer(reference, query)
    if "errors" in actual or "errors" in expected:
        return f"{query.name}: errors: {actual.get('errors') or expected.get('errors')}"
    if not _filled(expected.get("data")):
        return f"{query.name}: no data to measure: {expected}"
    found = difference(expected, actual)
    return None if found is None else f"{query.name}: {found}"


def _filled(data: Any) -> bool:
    """True when some list in the answer has items: a benchmark of empty answers says nothing."""
    if isinstance(data, list):
        return bool(data)
    if isinstance(data, dict):
        return any(_filled(value) for value in data.values())
    return False
