"""The markdown table of a run, with claimgraph's throughput relative to the reference."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime

from bench.harness.data import Targets
from bench.harness.measure import Cell
from bench.harness.queries import Query


def ratio(cells: Sequence[Cell], query: str, concurrency: int, server: str) -> float | None:
    """`server`'s requests/s over the reference's in one cell, when both were measured."""
    rates = {
        c.server: c.load.rate for c in cells if (c.query, c.concurrency) == (query, concurrency)
    }
    if not rates.get("reference") or server not in rates:
        return None
    return rates[server] / rates["reference"]


def table(cells: Sequence[Cell]) -> list[str]:
    lines = [
        "| query | conc. | server | req/s | p50 ms | p99 ms | CPU ms/req | SQL/req (+other) |"
        " errors | vs reference |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in cells:
        relative = ratio(cells, c.query, c.concurrency, c.server)
        shown = "" if relative is None or c.server == "reference" else f"{relative:.2f}x"
        lines.append(
            f"| {c.query} | {c.concurrency} | {c.server} | {c.load.rate:,.0f} |"
            f" {c.load.p50_ms:.2f} | {c.load.p99_ms:.2f} | {c.cpu_ms:.2f} |"
            f" {c.statements:.1f} (+{c.other_statements:.1f}) | {c.load.errors} | {shown} |"
        )
    return lines


def ratios(cells: Sequence[Cell]) -> list[str]:
    """The issue's summary: each server's requests/s over the reference's, per cell."""
    names = sorted({c.query for c in cells if c.server == "reference"})
    contenders = [s for s in dict.fromkeys(c.server for c in cells) if s != "reference"]
    levels = sorted({c.concurrency for c in cells})
    lines = [
        "| server | concurrency | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for server in contenders:
        for level in levels:
            values = [ratio(cells, name, level, server) for name in names]
            shown = ["" if v is None else f"{v:.2f}x" for v in values]
            lines.append(f"| {server} | {level} | " + " | ".join(shown) + " |")
    return lines


def code_version() -> str:
    """The commit measured, and whether the working tree differed from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "api", "schema"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "an unknown version (no git)"
    return f"commit {head}" + (" with uncommitted changes in api/ or schema/" if dirty else "")


def render(
    cells: Sequence[Cell],
    *,
    command: str,
    counts: dict[str, int],
    targets: Targets,
    queries: Sequence[Query],
    generator: str,
    seconds: float,
    rounds: int,
) -> str:
    header = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()}"
        f" ({os.cpu_count()} cores, Python {platform.python_version()}), load by {generator},"
        f" {seconds:g} s per cell in {rounds} rounds (the servers taking turns) after a warm-up;"
        " load average at the end"
        f" {', '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine"
        " skews the figures). Command:",
        "",
        f"    {command}",
        "",
        f"Code: {code_version()}.",
        "",
        "Data: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + ".",
        f"Q1 claim id {targets.claim}; Q3 sources {targets.source_a} and {targets.source_b}.",
        "",
        *[f"- {q.name}: {q.title}" for q in queries],
        "",
        "Requests/s relative to the reference:",
        "",
        *ratios(cells),
        "",
        *table(cells),
        "",
        "SQL/req counts data statements (SELECT, WITH, ...) from pg_stat_statements; +other"
        " counts the rest (BEGIN, ROLLBACK, SET). CPU ms/req is the server process's user +"
        " system time over the requests answered.",
    ]
    return "\n".join(header) + "\n"
