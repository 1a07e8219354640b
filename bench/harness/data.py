"""The bench's data: `claimgraph generate` rows, sized like the issue's, and the ids queried.

`claimgraph generate` draws 1 to 20 attributions per claim (about 10 on average); the
issue measures 100,000 claims with 300,000 attributions. The bench draws each claim's
count uniformly from 1 to 2k-1 instead (k = 3: about 3 per claim). The pool still takes
exactly one `rng.random()` per draw, so the rows stay a pure function of the seed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import asyncpg

import api.generate.claims as generated_claims
from api import migrate
from api.db import create_engine
from api.generate import GenerateOptions, generate
from api.generate.draws import Pool
from api.settings import Settings

COUNTS = ("claim", "attribution", "source", "document", "source_claim")


@dataclass(frozen=True)
class Targets:
    """What the queries ask for: a claim (Q1), the two busiest sources (Q3, C1) and the
    first one's name (S2)."""

    claim: int
    source_a: int
    source_b: int
    source_name: str = ""


@contextmanager
def attributions_per_claim(mean: int) -> Iterator[None]:
    """Claims get 1 to 2*mean-1 attributions, uniformly, while the block runs."""
    names = vars(generated_claims)
    saved = names["COUNT_POOL"]
    names["COUNT_POOL"] = Pool(range(1, 2 * mean), [1.0] * (2 * mean - 1))
    try:
        yield
    finally:
        names["COUNT_POOL"] = saved


async def counts(url: str) -> dict[str, int]:
    connection = await asyncpg.connect(url)
    try:
        return {t: int(await connection.fetchval(f"SELECT count(*) FROM {t}")) for t in COUNTS}
    finally:
        await connection.close()


async def prepare(url: str, *, claims: int, per_claim: int, seed: int) -> dict[str, int]:
    """Migrate, fill an empty database, vacuum and analyze; the row counts.

    A database that already holds data is kept when it has `claims` claims, else refused:
    appending would give data no other run has.
    """
    engine = create_engine(Settings(database_url=url), pool_size=2, max_overflow=0)
    try:
        await migrate.upgrade(engine)
        found = await counts(url)
        if found["claim"] == 0:
            with attributions_per_claim(per_claim):
                options = GenerateOptions(claims=claims, seed=seed)
                report = await generate(engine, options, lambda line: print(line, file=sys.stderr))
            print(report.summary(), file=sys.stderr)
        elif found["claim"] != claims:
            raise SystemExit(
                f"bench: the database holds {found['claim']} claims, not {claims};"
                " run without --reuse-db to reload it"
            )
    finally:
        await engine.dispose()
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        # Bulk-loaded pages carry no visibility map until vacuumed (autovacuum may be off):
        # without it, index-only scans visit the heap for every row.
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
    return await counts(url)


async def targets(url: str) -> Targets:
    """The claim with the most attributions and the two sources in the most claims' chains.

    Ties go to the lower id, so the same data always gives the same targets.
    """
    connection = await asyncpg.connect(url)
    try:
        claim = await connection.fetchval(
            "SELECT claim_id FROM attribution GROUP BY claim_id"
            " ORDER BY count(*) DESC, claim_id LIMIT 1"
        )
        pair = await connection.fetch(
            "SELECT source_id, (SELECT name FROM source WHERE id = source_id)"
            " FROM source_claim GROUP BY source_id ORDER BY count(*) DESC, source_id LIMIT 2"
        )
    finally:
        await connection.close()
    if claim is None or len(pair) < 2:
        raise SystemExit("bench: the database has no attributions to query")
    return Targets(int(claim), int(pair[0][0]), int(pair[1][0]), str(pair[0][1]))
