"""`claimgraph generate`: synthetic data that obeys every rule the API and the database keep.

Generating costs about a second per few hundred claims (the refresh triggers do most of
the work), so the read-only checks share one data set built once for this module; they
come first, before the tests that empty the database for data of their own.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.generate import GenerateOptions, GenerateReport, generate
from tests.support.database import TABLES

CLAIMS = 300
# Three batches of 100: ids and quotes must line up across batch boundaries too.
OPTIONS = GenerateOptions(claims=CLAIMS, seed=11, batch=100)
# claim_search is compared as sets of lexemes and words: its refresh function aggregates
# quotes and source names without ORDER BY, so their order follows the query plan.
CHECKSUM_TABLES = {
    "source": ("t", "id"),
    "document": ("t", "id"),
    "claim": ("t", "id"),
    "attribution": ("t", "id"),
    "attribution_chain": ("t", "attribution_id, position"),
    "source_claim": ("t", "source_id, claim_id"),
    "claim_search": (
        "(claim_id, tsvector_to_array(vector),"
        " (SELECT array_agg(w ORDER BY w) FROM regexp_split_to_table(folded, '\\s+') w))",
        "claim_id",
    ),
}
CHECKSUM = "SELECT " + " || ".join(
    f"(SELECT md5(coalesce(string_agg({row}::text, '|' ORDER BY {order}), '')) FROM {table} t)"
    for table, (row, order) in CHECKSUM_TABLES.items()
)


async def rows(engine: AsyncEngine, sql: str) -> Sequence[Any]:
    async with engine.connect() as connection:
        return (await connection.execute(text(sql))).all()


async def scalar(engine: AsyncEngine, sql: str) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(text(sql))).scalar_one()


async def empty(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="module")
async def dataset(engine: AsyncEngine) -> AsyncIterator[GenerateReport]:
    """One generated data set on an emptied database, shared by the read-only tests."""
    await empty(engine)
    yield await generate(engine, OPTIONS)


async def test_counts_fall_in_the_expected_ranges(
    engine: AsyncEngine, dataset: GenerateReport
) -> None:
    # when
    counts = (
        await rows(
            engine,
            """
        SELECT (SELECT count(*) FROM source), (SELECT count(*) FROM document),
               (SELECT count(*) FROM claim), (SELECT count(*) FROM attribution),
               (SELECT count(*) FROM attribution_chain)""",
        )
    )[0]
    per_claim = await rows(engine, "SELECT count(*) FROM attribution GROUP BY claim_id")
    # then
    assert tuple(counts) == (
        dataset.sources,
        dataset.documents,
        dataset.claims,
        dataset.attributions,
        dataset.chain_links,
    )
    assert (dataset.sources, dataset.documents, dataset.claims) == (50, 100, CLAIMS)
    assert 8 * CLAIMS <= dataset.attributions <= 12 * CLAIMS
    assert len(per_claim) == CLAIMS
    assert all(1 <= n <= 20 for (n,) in per_claim)


async def test_chains_are_well_formed(engine: AsyncEngine, dataset: GenerateReport) -> None:
    # given
    attributions = {
        row.id: row
        for row in await rows(
            engine,
            """
            SELECT a.id, a.claim_id, a.source_id, d.publisher_id
            FROM attribution a JOIN document d ON d.id = a.document_id""",
        )
    }
    chains: defaultdict[int, list[Any]] = defaultdict(list)
    for link in await rows(engine, "SELECT * FROM attribution_chain ORDER BY 1, 2"):
        chains[link.attribution_id].append(link)
    # then
    assert chains.keys() == attributions.keys()
    for attribution_id, links in chains.items():
        attribution = attributions[attribution_id]
        roles = [link.role for link in links]
        via = [link.source_id for link in links if link.role == "VIA"]
        assert [link.position for link in links] == list(range(len(links)))
        assert {link.claim_id for link in links} == {attribution.claim_id}
        assert [link.source_id for link in links if link.role == "SOURCE"] == [
            attribution.source_id
        ]
        assert len(set(via)) == len(via) <= 3
        assert attribution.source_id not in via
        has_publisher = attribution.publisher_id != attribution.source_id
        assert roles == ["PUBLISHER"] * has_publisher + ["SOURCE"] + ["VIA"] * len(via)
        if has_publisher:
            assert links[0].source_id == attribution.publisher_id


async def test_every_quote_is_its_document_text_slice(
    engine: AsyncEngine, dataset: GenerateReport
) -> None:
    # when
    quoted = await rows(
        engine,
        """
        SELECT a.quote, a.quote_start, a.quote_end, d.text
        FROM attribution a JOIN document d ON d.id = a.document_id""",
    )
    # then: offsets count code points, and non-ASCII text before a quote makes that matter
    spans = [(q.quote, q.quote_start, q.quote_end, q.text) for q in quoted if q.quote]
    assert 0 < len(spans) < len(quoted)
    assert all(doc[start:end] == quote for quote, start, end, doc in spans)
    assert any(not doc[:start].isascii() for _, start, _, doc in spans)


async def test_documents_have_hashes_unique_urls_and_publishers(
    engine: AsyncEngine, dataset: GenerateReport
) -> None:
    # when
    checks = (
        await rows(
            engine,
            """
        SELECT bool_and(d.text_sha256 = encode(sha256(convert_to(d.text, 'UTF8')), 'hex')),
               count(DISTINCT d.url) = count(*),
               bool_and(s.kind IN ('NEWS_OUTLET', 'NEWS_AGENCY')),
               count(DISTINCT d.language) >= 3,
               max(d.published_at) - min(d.published_at) > interval '2 years'
        FROM document d JOIN source s ON s.id = d.publisher_id""",
        )
    )[0]
    # then
    assert tuple(checks) == (True, True, True, True, True)


async def test_triggers_kept_comparison_and_search_tables_fresh(
    engine: AsyncEngine, dataset: GenerateReport
) -> None:
    # when
    missing_search = await scalar(
        engine,
        """
        SELECT count(*) FROM claim c
        WHERE NOT EXISTS (SELECT 1 FROM claim_search s WHERE s.claim_id = c.id)""",
    )
    mismatched = await scalar(
        engine,
        """
        SELECT count(*) FROM (
            (SELECT DISTINCT source_id, claim_id FROM attribution_chain
             EXCEPT SELECT source_id, claim_id FROM source_claim)
            UNION ALL
            (SELECT source_id, claim_id FROM source_claim
             EXCEPT SELECT DISTINCT source_id, claim_id FROM attribution_chain)) t""",
    )
    # then
    assert missing_search == 0
    assert mismatched == 0
    assert await scalar(engine, "SELECT count(*) FROM source_claim") > CLAIMS


async def test_sources_mix_kinds_and_affiliations_without_cycles(
    engine: AsyncEngine, dataset: GenerateReport
) -> None:
    # given
    sources = {row.id: row for row in await rows(engine, "SELECT * FROM source")}
    # when
    depths = []
    for source in sources.values():
        seen, current = {source.id}, source.affiliation_id
        while current is not None:
            assert current not in seen, f"affiliation cycle through {source.name}"
            seen.add(current)
            current = sources[current].affiliation_id
        depths.append(len(seen) - 1)
    # then
    kinds = Counter(source.kind for source in sources.values())
    assert len(kinds) == 9
    assert max(depths) >= 2
    assert all(s.affiliation_id is None for s in sources.values() if s.kind == "ANONYMOUS")
    assert any(s.aliases for s in sources.values())
    assert any(s.state_affiliated for s in sources.values())
    assert {s.reliability for s in sources.values()} >= {"A", "B", "C", "F", None}


async def test_stances_hedges_quantities_and_busy_sources_occur(
    engine: AsyncEngine, dataset: GenerateReport
) -> None:
    # when
    mix = (
        await rows(
            engine,
            """
        SELECT avg((stance = 'DENIES')::int), count(DISTINCT claim_id)
                   FILTER (WHERE quantity_value IS NOT NULL),
               count(*) FILTER (WHERE confidence < 1 AND cardinality(hedges) > 0),
               count(DISTINCT quantity_bound)
        FROM attribution""",
        )
    )[0]
    disagreeing = await scalar(
        engine,
        """
        SELECT count(*) FROM (SELECT claim_id FROM attribution
                              WHERE quantity_value IS NOT NULL
                              GROUP BY claim_id HAVING count(DISTINCT quantity_value) > 1) t""",
    )
    busiest = [
        n
        for (n,) in await rows(
            engine, "SELECT count(*) FROM attribution_chain GROUP BY source_id ORDER BY 1 DESC"
        )
    ]
    # then
    denies, quantified, hedged, bounds = mix
    assert 0.05 < denies < 0.15
    assert 0.08 * CLAIMS < quantified < 0.25 * CLAIMS
    assert hedged > 0 and bounds == 4 and disagreeing > 0
    assert busiest[0] > 5 * busiest[len(busiest) // 2]


# --- tests with data of their own (they empty the database) ------------------------------
async def test_the_same_seed_writes_the_same_rows(db: AsyncEngine) -> None:
    # given
    options = GenerateOptions(claims=80, seed=5, batch=30)
    # when
    await generate(db, options)
    first = await scalar(db, CHECKSUM)
    await empty(db)
    await generate(db, options)
    second = await scalar(db, CHECKSUM)
    await empty(db)
    await generate(db, GenerateOptions(claims=80, seed=6, batch=30))
    other_seed = await scalar(db, CHECKSUM)
    # then
    assert first == second
    assert other_seed != first


async def test_appends_after_existing_rows_and_moves_the_sequences(db: AsyncEngine) -> None:
    # given
    await generate(db, GenerateOptions(claims=40, seed=1))
    # when
    second = await generate(db, GenerateOptions(claims=40, seed=1))
    async with db.begin() as connection:
        new_id = (
            await connection.execute(
                text("INSERT INTO claim (statement, language) VALUES ('x', 'en') RETURNING id")
            )
        ).scalar_one()
    # then
    assert second.claims == 40
    assert await scalar(db, "SELECT count(*) FROM claim") == 81
    assert new_id == 81
    assert await scalar(db, "SELECT count(*) FROM source") == 2 * second.sources


async def test_the_command_fills_the_configured_database(
    db: AsyncEngine, database_url: str
) -> None:
    # when
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "api.cli", "generate", "--claims", "50", "--seed", "3"),
        env={**os.environ, "DATABASE_URL": database_url, "CLAIMGRAPH_LOG_LEVEL": "WARNING"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    stdout, stderr = out.decode(), err.decode()
    # then
    assert process.returncode == 0, stderr
    assert "50 claims" in stdout
    assert "generate: 50/50 claims" in stderr
    assert await scalar(db, "SELECT count(*) FROM claim") == 50
    assert await scalar(db, "SELECT count(*) FROM claim_search") == 50
