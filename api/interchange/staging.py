"""Staging a batch: COPY into a temporary table, check references in SQL, upsert by id.

Each type has a temporary table shaped like its target plus the line number. A
batch goes in by COPY, lines whose references name nothing (or whose URL another
document holds) come out as errors, and one INSERT ... SELECT ... ON CONFLICT (id)
DO UPDATE writes the rest. A quote that is not the document's text at its offsets
is refused by the database's own trigger; the batch is then written line by line
to name the line. The update fires only where a value differs, so importing the same data again
writes no row, bumps no version and adds no revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# fmt: off
COLUMNS: dict[str, tuple[str, ...]] = {
    "source": ("id", "name", "kind", "aliases", "affiliation_id", "reliability",
               "state_affiliated", "created_at"),
    "document": ("id", "url", "title", "language", "published_at", "publisher_id", "text",
                 "text_sha256", "created_at"),
    "claim": ("id", "statement", "language", "merged_into_id", "created_at"),
    "attribution": ("id", "claim_id", "document_id", "source_id", "stance", "confidence",
                    "hedges", "quote", "quote_start", "quote_end", "quantity_value",
                    "quantity_unit", "quantity_bound", "reported_at", "method",
                    "extractor_version", "review_status", "reviewed_at", "retraction_reason",
                    "created_at"),
}
# fmt: on
TABLES = {
    "Source": "source",
    "Document": "document",
    "Claim": "claim",
    "Attribution": "attribution",
}
CHAIN_COLUMNS = ("chain_roles", "chain_sources")

# Sources of the stage whose affiliations, stored or staged, lead back to them.
CYCLES = """
WITH RECURSIVE links AS (
    SELECT id, affiliation_id FROM source WHERE id NOT IN (SELECT id FROM stage_source)
    UNION ALL SELECT id, affiliation_id FROM stage_source
), walk (start, id, depth) AS (
    SELECT s.id, s.affiliation_id, 1 FROM stage_source s WHERE s.affiliation_id IS NOT NULL
    UNION ALL
    SELECT w.start, l.affiliation_id, w.depth + 1 FROM walk w JOIN links l ON l.id = w.id
    WHERE l.affiliation_id IS NOT NULL AND w.id <> w.start AND w.depth < 64
)
SELECT start FROM walk WHERE id = start
"""

# Each check names the lines it refuses: (message, query over the stage `s`).
CHECKS: dict[str, list[tuple[str, str]]] = {
    "source": [
        (
            "affiliation names no source in the database or this file",
            "s.affiliation_id IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM source t WHERE t.id = s.affiliation_id)"
            " AND NOT EXISTS (SELECT 1 FROM stage_source o WHERE o.id = s.affiliation_id)",
        ),
        ("affiliation would make a cycle (a source affiliated to itself)", f"s.id IN ({CYCLES})"),
    ],
    "document": [
        (
            "publisher names no source",
            "s.publisher_id IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM source t WHERE t.id = s.publisher_id)",
        ),
        (
            "url is already another document's",
            "EXISTS (SELECT 1 FROM document t WHERE t.url = s.url AND t.id <> s.id)",
        ),
        (
            "the text changes under quotes of stored attributions",
            "EXISTS (SELECT 1 FROM document t JOIN attribution a ON a.document_id = t.id"
            " WHERE t.id = s.id AND t.text IS DISTINCT FROM s.text AND a.quote IS NOT NULL"
            " AND (s.text IS NULL OR substr(s.text, a.quote_start + 1,"
            " a.quote_end - a.quote_start) IS DISTINCT FROM a.quote))",
        ),
    ],
    "claim": [
        (
            "mergedInto names no claim in the database or this file",
            "s.merged_into_id IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM claim t WHERE t.id = s.merged_into_id)"
            " AND NOT EXISTS (SELECT 1 FROM stage_claim o WHERE o.id = s.merged_into_id)",
        ),
    ],
    "attribution": [
        ("claim names no claim", "NOT EXISTS (SELECT 1 FROM claim t WHERE t.id = s.claim_id)"),
        (
            "document names no document",
            "NOT EXISTS (SELECT 1 FROM document t WHERE t.id = s.document_id)",
        ),
        (
            "a chain link names no source",
            "EXISTS (SELECT 1 FROM unnest(s.chain_sources) c(id)"
            " WHERE NOT EXISTS (SELECT 1 FROM source t WHERE t.id = c.id))",
        ),
    ],
}


@dataclass(frozen=True)
class Refusal:
    line: int
    message: str


def _stage(table: str) -> str:
    return f"stage_{table}"


def stage_columns(table: str) -> tuple[str, ...]:
    extra = CHAIN_COLUMNS if table == "attribution" else ()
    return ("line", *COLUMNS[table], *extra)


async def create_stages(connection: Any) -> None:
    """Temporary tables, private to this connection, dropped with it."""
    for table, columns in COLUMNS.items():
        chain = ", chain_roles text[], chain_sources bigint[]" if table == "attribution" else ""
        await connection.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_stage(table)} AS"
            f" SELECT 0::bigint AS line, {', '.join(columns)} FROM {table} WITH NO DATA"
        )
        if chain:
            await connection.execute(
                f"ALTER TABLE {_stage(table)} ADD COLUMN IF NOT EXISTS chain_roles text[],"
                " ADD COLUMN IF NOT EXISTS chain_sources bigint[]"
            )


async def load(connection: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    await connection.execute(f"TRUNCATE {_stage(table)}")
    await connection.copy_records_to_table(
        _stage(table), records=rows, columns=stage_columns(table)
    )


async def refuse(
    connection: Any, table: str, extra: list[tuple[str, str]] | None = None
) -> list[Refusal]:
    """Take out the lines whose references (or `extra` checks) fail; until none fails (a
    removed source may be another line's affiliation)."""
    refused: list[Refusal] = []
    while True:
        found = False
        for message, condition in [*CHECKS[table], *(extra or [])]:
            lines = await connection.fetch(
                f"DELETE FROM {_stage(table)} s WHERE {condition} RETURNING s.line"
            )
            refused.extend(Refusal(int(row["line"]), message) for row in lines)
            found = found or bool(lines)
        if not found or table not in ("source", "claim"):
            return refused


def upsert_sql(table: str, line_filter: bool = False) -> str:
    columns = COLUMNS[table]
    updated = [c for c in columns if c != "id"]
    where = " WHERE s.line = $1" if line_filter else ""
    return (
        f"INSERT INTO {table} ({', '.join(columns)})"
        f" SELECT {', '.join('s.' + c for c in columns)} FROM {_stage(table)} s{where}"
        " ORDER BY s.id"
        f" ON CONFLICT (id) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in updated)}"
        f" WHERE ({', '.join(f'{table}.{c}' for c in updated)})"
        f" IS DISTINCT FROM ({', '.join(f'EXCLUDED.{c}' for c in updated)})"
        " RETURNING id"
    )


CHAIN_CHANGED = """
SELECT s.id FROM stage_attribution s
WHERE ($1::bigint IS NULL OR s.line = $1)
  AND ROW(s.chain_roles, s.chain_sources, s.claim_id) IS DISTINCT FROM (
    SELECT ROW(array_agg(c.role ORDER BY c.position),
               array_agg(c.source_id ORDER BY c.position), min(c.claim_id))
    FROM attribution_chain c WHERE c.attribution_id = s.id)
"""

INSERT_CHAINS = """
INSERT INTO attribution_chain (attribution_id, position, role, source_id, claim_id)
SELECT s.id, (link.n - 1)::smallint, link.role, link.source_id, s.claim_id
FROM stage_attribution s,
     unnest(s.chain_roles, s.chain_sources) WITH ORDINALITY AS link(role, source_id, n)
WHERE s.id IN (SELECT unnest($1::bigint[]))
"""


async def write(connection: Any, table: str, line: int | None = None) -> int:
    """Upsert the staged rows (or one line of them); how many records changed."""
    args = (line,) if line is not None else ()
    changed = {
        row["id"] for row in await connection.fetch(upsert_sql(table, line is not None), *args)
    }
    if table != "attribution":
        return len(changed)
    # Chains are replaced only where they differ: the refresh triggers then run for the
    # claims this batch really touched.
    ids = [row["id"] for row in await connection.fetch(CHAIN_CHANGED, line)]
    if ids:
        await connection.execute(
            "DELETE FROM attribution_chain WHERE attribution_id = ANY($1::bigint[])", ids
        )
        await connection.execute(INSERT_CHAINS, ids)
    return len(changed | set(ids))


async def staged_lines(connection: Any, table: str) -> list[int]:
    rows = await connection.fetch(f"SELECT line FROM {_stage(table)} ORDER BY line")
    return [int(row["line"]) for row in rows]
