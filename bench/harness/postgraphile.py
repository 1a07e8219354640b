"""PostGraphile 4 as a third server, when asked for: the issue's yardstick.

    npm install --prefix /tmp/pgl postgraphile@4.14
    python -m bench --postgraphile /tmp/pgl/node_modules/.bin/postgraphile

PostGraphile serves the same tables with its own schema (`--classic-ids`: claimgraph's
`revision.node_id` would clash with its Relay `nodeId`), so it gets its own documents for
Q1-Q3, asking for the same fields in the same orders. "Claims both sources reported"
has no generated field; a PostGraphile user writes a SQL function, here
`postgraphile_bench.shared_claims(a, b)` in a schema of its own. Its answers cannot be
JSON-equal to claimgraph's (other names and ids), so the check compares their
fingerprints: the text, numbers and counts in document order, without ids and dates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg

from bench.harness.data import Targets
from bench.harness.measure import answer
from bench.harness.queries import Query
from bench.harness.servers import HOST, Server

SCHEMA = "postgraphile_bench"
SETUP = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE OR REPLACE FUNCTION {SCHEMA}.shared_claims(a bigint, b bigint)
RETURNS SETOF public.claim LANGUAGE sql STABLE AS $$
  SELECT c.* FROM source_claim m
  JOIN source_claim t ON t.claim_id = m.claim_id AND t.source_id = b
  JOIN claim c ON c.id = m.claim_id
  WHERE m.source_id = a
  ORDER BY m.claim_created_at DESC, m.claim_id DESC
$$;
"""

PQ1 = """query ClaimWithAttributions($id: BigInt!) {
  claimByRowId(rowId: $id) {
    rowId
    statement
    language
    createdAt
    attributionsByClaimId(first: 20, orderBy: [REPORTED_AT_ASC, ID_ASC]) {
      nodes {
        rowId
        stance
        confidence
        hedges
        quote
        reportedAt
        sourceBySourceId { rowId name kind }
        documentByDocumentId { rowId title url publishedAt }
      }
    }
  }
}"""

PQ2 = """query LatestClaims {
  allClaims(first: 50, orderBy: [CREATED_AT_DESC, ID_DESC]) {
    nodes {
      rowId
      statement
      language
      createdAt
      attributionsByClaimId(first: 10, orderBy: [REPORTED_AT_ASC, ID_ASC]) {
        nodes {
          rowId
          stance
          confidence
          reportedAt
          sourceBySourceId { rowId name kind }
        }
      }
    }
  }
}"""

PQ3 = """query SharedClaims($a: BigInt!, $b: BigInt!) {
  sharedClaims(a: $a, b: $b, first: 50) {
    totalCount
    nodes { rowId statement createdAt }
  }
}"""

COMPARED = {"statement", "language", "stance", "confidence", "hedges", "quote", "name", "kind",
            "title", "url", "totalCount"}  # fmt: skip


def queries(targets: Targets) -> dict[str, Query]:
    pair = {"a": str(targets.source_a), "b": str(targets.source_b)}
    return {
        "Q1": Query("Q1", "", PQ1, {"id": str(targets.claim)}),
        "Q2": Query("Q2", "", PQ2, {}),
        "Q3": Query("Q3", "", PQ3, pair),
    }


async def prepare(database_url: str) -> None:
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute(SETUP)
    finally:
        await connection.close()


def server(database_url: str, logs: Path, binary: str, pool_size: int) -> Server:
    command = [binary, "--connection", database_url, "--schema", f"public,{SCHEMA}",
               "--host", HOST, "--classic-ids", "--disable-query-log",
               "--max-pool-size", str(pool_size)]  # fmt: skip
    return Server("postgraphile", command, {"NODE_ENV": "production"}, logs / "postgraphile.log")


def fingerprint(answer: Any, key: str = "") -> list[Any]:
    """The compared values of an answer, in document order."""
    if isinstance(answer, dict):
        return [value for k, v in answer.items() for value in fingerprint(v, k)]
    if isinstance(answer, list) and key != "hedges":
        return [value for item in answer for value in fingerprint(item, key)]
    return [(key, answer)] if key in COMPARED else []


def verify(reference: Server, query: Query, graphile: Server, document: Query) -> str | None:
    """None when PostGraphile's answer carries the reference's values, in the same order."""
    expected, actual = answer(reference, query), answer(graphile, document)
    if "errors" in actual:
        return f"{query.name}: PostGraphile: {actual['errors']}"
    if fingerprint(expected) != fingerprint(actual):
        return f"{query.name}: PostGraphile's values differ from the reference's"
    return None
