"""The fallback load generator when wrk is missing: asyncio workers over httpx.

    python -m bench.harness.client URL BODY CONCURRENCY SECONDS

Each of CONCURRENCY workers holds one keep-alive connection and sends BODY again as soon
as the previous answer is read, until SECONDS are up; one `BENCH {...}` line reports.
It measures less precisely than wrk (its own Python costs CPU on the same machine).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time

import httpx


async def worker(
    client: httpx.AsyncClient, url: str, body: bytes, until: float, latencies: list[float]
) -> int:
    errors = 0
    headers = {"Content-Type": "application/json"}
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            response = await client.post(url, content=body, headers=headers)
            if response.status_code != 200 or b'"errors"' in response.content:
                errors += 1
        except httpx.HTTPError:
            errors += 1
        latencies.append(time.perf_counter() - started)
    return errors


async def run(url: str, body: bytes, concurrency: int, seconds: float) -> dict[str, float]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        started = time.perf_counter()
        until = started + seconds
        errors = await asyncio.gather(
            *(worker(client, url, body, until, latencies) for _ in range(concurrency))
        )
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "errors": sum(errors),
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
    }


def main() -> None:
    url, body, concurrency, seconds = sys.argv[1:5]
    report = asyncio.run(run(url, body.encode(), int(concurrency), float(seconds)))
    print("BENCH " + json.dumps(report))


if __name__ == "__main__":
    main()
