"""The bulk path of `claimgraph import --bulk`: new rows without per-row triggers.

Row by row, each new attribution runs the quote and revision triggers, and each batch
of chains refreshes `source_claim` and `claim_search` for its claims (a new claim's
search row is built once when the claim goes in and again when its chains do). Here,
inside the import's one transaction, the batch's *new* rows go in with those triggers
disabled, and the import does their work itself, set-based:

- quotes: `QUOTE_CHECK` refuses, by line, a quote that is not the document's text at its
  offsets (the condition of `attribution_quote_matches_text`), before anything is written;
- revisions: one `INSERT … SELECT` writes the CREATE revision the trigger would have
  written (`to_jsonb` of the stored row, the session's actor);
- summaries: the claims of each batch's new attributions are refreshed once, after
  their chains, by the same `cg_refresh_claims` the triggers call (new claims without
  attributions once at the end).

The triggers are enabled again right after each batch's insert, so rows that already
exist (updates) still go through them, and nothing else in the transaction runs without
them. `ALTER TABLE … DISABLE TRIGGER` needs the table's owner and takes a SHARE ROW
EXCLUSIVE lock; `lock` takes it on all five tables when the import starts, in one
statement, so that the import never waits for a writer while holding one of them (a
deadlock), and holds it to the end of the transaction: writers to those tables wait for
the import; readers do not, and see the state before the import until it commits.

Changes (migration 0014, docs/live.md): the bulk and restore paths record one
ATTRIBUTION_ADDED per claim of each batch (attribution_id null, source_ids the batch's
attributed sources) instead of one per attribution, with `CHANGE_PER_CLAIM` for the
import's transaction; updates of stored rows are recorded as any write's.
"""

from __future__ import annotations

from typing import Any

from api.interchange.staging import COLUMNS, INSERT_CHAINS

# Per table: the node type of its revisions and the triggers the bulk insert does the
# work of.
TRIGGERS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "source": ("Source", ("trg_source_revision",)),
    "document": ("Document", ("trg_document_revision",)),
    "claim": ("Claim", ("trg_claim_revision", "trg_cg_claim_inserted")),
    "attribution": (
        "Attribution",
        ("trg_attribution_revision", "trg_attribution_quote_in_text"),
    ),
    "attribution_chain": (None, ("trg_cg_chain_inserted",)),
}

# attribution_quote_matches_text, over the new rows of the stage `s` (stored ones go in
# as updates, through the trigger). Each document's text is read (and decompressed) once
# for the batch, not once per quote: the materialized copy (`|| ''`) is a plain value.
QUOTE_CHECK = (
    "quote is not the document's text at its offsets",
    "s.quote_start IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM attribution t WHERE t.id = s.id)"
    " AND s.id NOT IN ("
    " WITH texts AS MATERIALIZED (SELECT d.id, d.text || '' AS text,"
    " char_length(d.text) AS length FROM document d"
    " WHERE d.text IS NOT NULL AND d.id IN"
    " (SELECT q.document_id FROM stage_attribution q WHERE q.quote_start IS NOT NULL))"
    " SELECT q.id FROM stage_attribution q JOIN texts d ON d.id = q.document_id"
    " WHERE q.quote_start IS NOT NULL AND q.quote_end <= d.length"
    " AND substr(d.text, q.quote_start + 1, q.quote_end - q.quote_start)"
    " IS NOT DISTINCT FROM q.quote)",
)

# Read by the attribution INSERT trigger of migration 0014, for this transaction only.
CHANGE_PER_CLAIM = "SELECT set_config('claimgraph.change_grain', 'claim', true)"

REVISIONS = """
INSERT INTO revision (node_type, node_id, operation, actor, before, after)
SELECT $1, t.id, 'CREATE', coalesce(nullif(current_setting('claimgraph.actor', true), ''),
       'system'), NULL, to_jsonb(t)
FROM {table} t WHERE t.id = ANY($2::bigint[]) ORDER BY t.id
"""


async def lock(connection: Any) -> None:
    """The lock the trigger switches take, on every table at once, up front."""
    tables = ", ".join(TRIGGERS)
    await connection.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")


async def _triggers(connection: Any, table: str, action: str) -> None:
    names = TRIGGERS[table][1]
    clauses = ", ".join(f"{action} TRIGGER {name}" for name in names)
    await connection.execute(f"ALTER TABLE {table} {clauses}")


def _new(table: str) -> str:
    return f"FROM stage_{table} s WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = s.id)"


def _insert_new_sql(table: str) -> str:
    columns = COLUMNS[table]
    return (
        f"INSERT INTO {table} ({', '.join(columns)})"
        f" SELECT {', '.join('s.' + c for c in columns)} {_new(table)}"
        " ORDER BY s.id RETURNING id"
    )


async def insert_new(
    connection: Any, table: str, *, claims: bool = True
) -> tuple[list[int], set[int]]:
    """Insert the staged rows whose ids are new, with the row triggers' work done
    set-based, and take them out of the stage; (their ids, the claims to refresh, unless
    `claims` is false: a restore refreshes every claim at the end)."""
    node_type = TRIGGERS[table][0]
    if not await connection.fetchval(f"SELECT EXISTS (SELECT 1 {_new(table)})"):
        return [], set()  # nothing new: no trigger touched
    await _triggers(connection, table, "DISABLE")
    ids = [row["id"] for row in await connection.fetch(_insert_new_sql(table))]
    await _triggers(connection, table, "ENABLE")
    if not ids:
        return ids, set()
    await connection.execute(REVISIONS.format(table=table), node_type, ids)
    touched: set[int] = set(ids) if table == "claim" and claims else set()
    if table == "attribution":
        await _triggers(connection, "attribution_chain", "DISABLE")
        await connection.execute(INSERT_CHAINS, ids)
        await _triggers(connection, "attribution_chain", "ENABLE")
        if claims:
            rows = await connection.fetch(
                "SELECT DISTINCT claim_id FROM stage_attribution"
                " WHERE id IN (SELECT unnest($1::bigint[]))",
                ids,
            )
            touched = {row["claim_id"] for row in rows}
    # `IN (SELECT unnest(…))`, not `= ANY(…)`: the stage has no index, and once the
    # statement's plan is generic, `= ANY` of a parameter compares each row with every id
    # (measured: 78 against 6 ms for a batch of 5,000).
    await connection.execute(
        f"DELETE FROM stage_{table} WHERE id IN (SELECT unnest($1::bigint[]))", ids
    )
    return ids, touched


async def refresh(connection: Any, claims: set[int]) -> None:
    """What the disabled summary triggers would have done, once for every claim."""
    if claims:
        await connection.execute("SELECT cg_refresh_claims($1::bigint[])", sorted(claims))
