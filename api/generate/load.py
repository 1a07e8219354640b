"""Loading rows: COPY in one transaction per batch, ids after the existing rows, statistics.

COPY with explicit ids is the fastest way in, and one transaction per batch lets the
statement-level triggers of migration 0002 refresh `source_claim` and `claim_search`
once per batch rather than once per row. Everything here speaks asyncpg directly,
under SQLAlchemy's connection, because SQLAlchemy has no COPY.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from api.generate.drafts import Batch, Record

# The columns of each COPY, in the order the row builders lay out their records.
# fmt: off
SOURCE_COLUMNS = ("id", "name", "kind", "aliases", "affiliation_id", "reliability",
                  "state_affiliated", "created_at")
DOCUMENT_COLUMNS = ("id", "url", "title", "language", "published_at", "publisher_id", "text",
                    "text_sha256", "created_at")
CLAIM_COLUMNS = ("id", "statement", "language", "created_at")
ATTRIBUTION_COLUMNS = ("id", "claim_id", "document_id", "source_id", "stance", "confidence",
                       "hedges", "quote", "quote_start", "quote_end", "quantity_value",
                       "quantity_unit", "quantity_bound", "reported_at", "created_at")
CHAIN_COLUMNS = ("attribution_id", "position", "role", "source_id", "claim_id")
# fmt: on
TABLES = ("source", "document", "claim", "attribution")
ANALYZED = "source, document, claim, attribution, attribution_chain, source_claim, claim_search"


async def copy(connection: Any, tables: Sequence[tuple[str, Sequence[str], list[Record]]]) -> None:
    """One transaction of COPYs; bulk loads need no statement timeout nor a synchronous flush."""
    async with connection.transaction():
        await connection.execute(
            "SET LOCAL statement_timeout = 0; SET LOCAL synchronous_commit = off;"
            # One ATTRIBUTION_ADDED per claim of the batch, not per row (migration 0014).
            " SET LOCAL claimgraph.change_grain = 'claim'"
        )
        for table, columns, records in tables:
            await connection.copy_records_to_table(table, records=records, columns=columns)


async def load_batch(connection: Any, batch: Batch) -> None:
    """Attributions, then their chains: the chain COPY fires the refresh triggers once."""
    await copy(
        connection,
        [
            ("document", DOCUMENT_COLUMNS, batch.documents),
            ("claim", CLAIM_COLUMNS, batch.claims),
            ("attribution", ATTRIBUTION_COLUMNS, batch.attributions),
            ("attribution_chain", CHAIN_COLUMNS, batch.chains),
        ],
    )


async def max_ids(connection: Any) -> dict[str, int]:
    """Where this run's ids start: after whatever the database holds already."""
    return {
        table: int(await connection.fetchval(f"SELECT coalesce(max(id), 0) FROM {table}"))
        for table in TABLES
    }


async def finish(connection: Any) -> None:
    """Move the identity sequences past our explicit ids, then give the planner statistics."""
    async with connection.transaction():
        await connection.execute("SET LOCAL statement_timeout = 0")
        for table in TABLES:
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
        await connection.execute(f"ANALYZE {ANALYZED}")


async def analyze(connection: Any) -> None:
    """Fresh statistics, without which the refresh triggers' plans turn quadratic.

    With no statistics PostgreSQL guesses thousands of attributions per claim and answers
    each claim of `cg_refresh_claim_search` with a scan of every document; autovacuum
    may be off (it is on the benchmark machine) or too slow to keep up with a bulk load.
    """
    async with connection.transaction():
        await connection.execute("SET LOCAL statement_timeout = 0")
        await connection.execute(f"ANALYZE {ANALYZED}")


async def driver_of(connection: AsyncConnection) -> Any:
    """The asyncpg connection under SQLAlchemy's, for COPY."""
    raw = await connection.get_raw_connection()
    return raw.driver_connection
