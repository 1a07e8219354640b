"""The reference: one hand-written asyncpg statement per request, JSON built by Postgres.

It answers exactly the bench's three GraphQL documents (matched by their text) with the
same `{"data": ...}` claimgraph gives, and nothing else: no parsing, no validation, no
resolvers. Python only decodes the Relay ids of the variables and glues the bytes.

    python -m bench.harness.reference --database-url postgresql://... --port 8001
"""

from __future__ import annotations

import argparse
import base64
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.harness.queries import Q1, Q2, Q3


def gid(type_name: str, column: str) -> str:
    """Relay id in SQL: base64 of 'Type:pk', as schema.ids.encode_id."""
    return f"encode(convert_to('{type_name}:' || {column}, 'UTF8'), 'base64')"


def ts(column: str) -> str:
    """A timestamptz as Python's isoformat() writes it in UTC (microseconds only when set)."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN date_trunc('second', {column}) = {column} THEN ''"
        f" ELSE to_char({utc}, '.US') END || '+00:00'"
    )


def source(alias: str) -> str:
    return f"json_build_object('id', {gid('Source', alias + '.id')}, 'name', {alias}.name, 'kind', {alias}.kind)"  # noqa: E501


CLAIM_FIELDS = (
    f"'id', {gid('Claim', 'c.id')}, 'statement', c.statement, 'language', c.language,"
    f" 'createdAt', {ts('c.created_at')}"
)
ATTRIBUTION_ORDER = "reported_at ASC NULLS LAST, id ASC"

SQL_Q1 = f"""
SELECT json_build_object('node', (
  SELECT json_build_object({CLAIM_FIELDS}, 'attributions', json_build_object('edges', coalesce((
    SELECT json_agg(json_build_object('node', json_build_object(
      'id', {gid("Attribution", "a.id")}, 'stance', a.stance, 'confidence', a.confidence,
      'hedges', a.hedges, 'quote', a.quote, 'reportedAt', {ts("a.reported_at")},
      'source', {source("s")},
      'document', json_build_object('id', {gid("Document", "d.id")}, 'title', d.title,
                                    'url', d.url, 'publishedAt', {ts("d.published_at")})
    )) ORDER BY a.reported_at ASC NULLS LAST, a.id ASC)
    FROM (SELECT * FROM attribution WHERE claim_id = c.id
          ORDER BY {ATTRIBUTION_ORDER} LIMIT 20) a
    JOIN source s ON s.id = a.source_id
    JOIN document d ON d.id = a.document_id
  ), '[]'::json)))
  FROM claim c WHERE c.id = $1
))::text"""

SQL_Q2 = f"""
SELECT json_build_object('claims', json_build_object('edges', coalesce(json_agg(
  json_build_object('node', json_build_object({CLAIM_FIELDS},
    'attributions', json_build_object('edges', (
      SELECT coalesce(json_agg(json_build_object('node', json_build_object(
        'id', {gid("Attribution", "a.id")}, 'stance', a.stance, 'confidence', a.confidence,
        'reportedAt', {ts("a.reported_at")}, 'source', {source("s")}
      )) ORDER BY a.reported_at ASC NULLS LAST, a.id ASC), '[]'::json)
      FROM (SELECT * FROM attribution WHERE claim_id = c.id
            ORDER BY {ATTRIBUTION_ORDER} LIMIT 10) a
      JOIN source s ON s.id = a.source_id
    ))
  )) ORDER BY c.created_at DESC, c.id DESC), '[]'::json)))::text
FROM (SELECT * FROM claim WHERE merged_into_id IS NULL
      ORDER BY created_at DESC, id DESC LIMIT 50) c"""

# Claims both sources report: source_claim rows of the first, joined to the second's
# (a merged claim leaves no source_claim rows, so counting needs no claim rows).
BOTH = "source_claim m JOIN source_claim t ON t.claim_id = m.claim_id AND t.source_id = $2"

SQL_Q3 = f"""
SELECT json_build_object('compareSources', CASE
  WHEN NOT EXISTS (SELECT FROM source WHERE id = $1)
    OR NOT EXISTS (SELECT FROM source WHERE id = $2) THEN NULL
  ELSE json_build_object('shared', json_build_object(
    'totalCount', (SELECT count(*) FROM {BOTH} WHERE m.source_id = $1),
    'edges', coalesce((
      SELECT json_agg(json_build_object('node', json_build_object(
        'agrees', p.agrees,
        'claim', json_build_object('id', {gid("Claim", "p.id")}, 'statement', p.statement,
                                   'createdAt', {ts("p.created_at")})
      )) ORDER BY p.sort_key DESC, p.id DESC)
      FROM (SELECT c.id, c.statement, c.created_at, m.claim_created_at AS sort_key,
                   m.stance IS NOT DISTINCT FROM t.stance AS agrees
            FROM {BOTH} JOIN claim c ON c.id = m.claim_id
            WHERE m.source_id = $1
            ORDER BY m.claim_created_at DESC, m.claim_id DESC LIMIT 50) p
    ), '[]'::json)))
  END)::text"""


def decode(global_id: Any, type_name: str) -> int | None:
    """The primary key of a Relay id of `type_name`, else None (the reference answers null)."""
    try:
        found, _, pk = base64.b64decode(str(global_id), validate=True).decode().partition(":")
        return int(pk) if found == type_name else None
    except ValueError:
        return None


Arguments = Callable[[dict[str, Any]], list[Any]]
STATEMENTS: dict[str, tuple[str, Arguments]] = {
    Q1: (SQL_Q1, lambda v: [decode(v.get("id"), "Claim")]),
    Q2: (SQL_Q2, lambda v: []),
    Q3: (SQL_Q3, lambda v: [decode(v.get("a"), "Source"), decode(v.get("b"), "Source")]),
}


async def _no_reset(connection: asyncpg.Connection) -> None:
    """Single read statements leave no session state: skip the reset round trip on release."""


def create_app(database_url: str, pool_size: int = 10) -> Starlette:
    pools: list[asyncpg.Pool] = []

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool = await asyncpg.create_pool(
            database_url,
            min_size=pool_size,
            max_size=pool_size,
            reset=_no_reset,
            # asyncpg prepares every statement; after five runs PostgreSQL may switch to a
            # generic plan, costed for an average source: 8x slower for the busiest (Q3).
            server_settings={
                "application_name": "bench-reference",
                "plan_cache_mode": "force_custom_plan",
            },
        )
        pools.append(pool)
        try:
            yield
        finally:
            await pool.close()

    async def graphql(request: Request) -> Response:
        payload = orjson.loads(await request.body())
        found = STATEMENTS.get(payload.get("query"))
        if found is None:
            error = {"errors": [{"message": "the reference answers only the bench's queries"}]}
            return Response(orjson.dumps(error), 400, media_type="application/json")
        sql, arguments = found
        data = await pools[0].fetchval(sql, *arguments(payload.get("variables") or {}))
        return Response(b'{"data":' + data.encode() + b"}", media_type="application/json")

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"])], lifespan=lifespan)


def main() -> None:
    parser = argparse.ArgumentParser(description="the bench's hand-written reference server")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pool-size", type=int, default=10)
    args = parser.parse_args()
    app = create_app(args.database_url, args.pool_size)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
