"""The restore path of `claimgraph import`: a dump into an empty database, as pg_restore loads.

When source, document, claim, attribution and attribution_chain are empty (or with
`--restore`, which refuses otherwise), the import is one transaction that:

1. locks the five tables and the summary tables they feed (`LOCKED`) in ACCESS EXCLUSIVE
   mode, in one statement, and checks under the lock that the five are still empty;
2. drops every secondary index (neither primary key nor unique: those keep refusing
   duplicates as they arrive, and the reference checks of staging.py look ids up through
   them) and every foreign key of those tables, keeping their definitions as the
   catalog gives them (`pg_get_indexdef`, `pg_get_constraintdef`), so whatever a later
   migration defines is what comes back;
3. loads the batches through the bulk path (bulk.py: the same checks by line, new rows
   with their per-row triggers off, CREATE revisions written set-based), but without
   refreshing summaries per batch;
4. recreates the base tables' indexes, analyzes them, adds their foreign keys back
   (which checks every reference once more, set-based), refreshes `source_claim`,
   `claim_search` and `search_word` for every claim with one call of the same
   `cg_refresh_claims` the triggers call, then recreates the summary tables' indexes and
   foreign keys, and analyzes.

DDL is transactional in PostgreSQL: a failure anywhere rolls back the load, the dropped
indexes and constraints and the disabled triggers together.

The lock blocks readers too, for the whole restore; the database is empty, so they would
see nothing anyway, but they wait instead of getting empty answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The tables the restore writes: `TARGETS` must be empty; the others are derived from them
# (search_word may hold words already: the refresh adds only new ones).
TARGETS = ("source", "document", "claim", "attribution", "attribution_chain")
SUMMARIES = ("source_claim", "claim_search", "search_word")
LOCKED = TARGETS + SUMMARIES

INDEXES = """
SELECT t.relname AS table, i.relname AS name, pg_get_indexdef(i.oid) AS definition
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
WHERE t.oid = ANY($1::regclass[]) AND NOT x.indisprimary AND NOT x.indisunique
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)
ORDER BY t.relname, i.relname
"""

FOREIGN_KEYS = """
SELECT k.conrelid::regclass::text AS table, k.conname AS name,
       pg_get_constraintdef(k.oid) AS definition
FROM pg_constraint k
WHERE k.contype = 'f' AND k.conrelid = ANY($1::regclass[])
ORDER BY 1, 2
"""

EMPTY = " AND ".join(f"NOT EXISTS (SELECT 1 FROM {table})" for table in TARGETS)

# The restore's own settings, for its transaction only: index builds and the summaries'
# sorts (every claim at once) in memory rather than in temporary files.
SETTINGS = (
    "SELECT set_config('maintenance_work_mem', '512MB', true),"
    " set_config('work_mem', '256MB', true)"
)


class RestoreRefused(Exception):
    """`--restore` on a database that holds records: nothing was written."""


@dataclass(frozen=True)
class Dropped:
    """An index or foreign key taken away for the load, with what recreates it."""

    table: str
    name: str
    definition: str

    @property
    def is_index(self) -> bool:
        """An index (`CREATE INDEX …`), else a foreign key (`FOREIGN KEY …`)."""
        return self.definition.startswith("CREATE")

    def drop(self) -> str:
        if self.is_index:
            return f'DROP INDEX "{self.name}"'
        return f'ALTER TABLE {self.table} DROP CONSTRAINT "{self.name}"'

    def create(self) -> str:
        if self.is_index:
            return self.definition
        return f'ALTER TABLE {self.table} ADD CONSTRAINT "{self.name}" {self.definition}'


async def is_empty(connection: Any) -> bool:
    return bool(await connection.fetchval(f"SELECT {EMPTY}"))


async def begin(connection: Any) -> list[Dropped]:
    """Lock, check, and take away the secondary indexes and foreign keys; what was dropped.

    Runs inside the import's transaction."""
    await connection.execute(f"LOCK TABLE {', '.join(LOCKED)} IN ACCESS EXCLUSIVE MODE")
    if not await is_empty(connection):
        raise RestoreRefused(
            "a restore needs empty source, document, claim, attribution and"
            " attribution_chain tables; this database holds records (import without"
            " --restore to merge into them)"
        )
    await connection.execute(SETTINGS)
    dropped = [
        Dropped(row["table"], row["name"], row["definition"])
        for query in (FOREIGN_KEYS, INDEXES)
        for row in await connection.fetch(query, list(LOCKED))
    ]
    for item in dropped:
        await connection.execute(item.drop())
    return dropped


def _creates(dropped: list[Dropped], indexes: bool) -> list[str]:
    return [d.create() for d in dropped if d.is_index == indexes]


async def finish(connection: Any, dropped: list[Dropped], analyzed: str) -> None:
    """Indexes and keys back, summaries rebuilt once for every claim, statistics fresh."""
    base = [d for d in dropped if d.table in TARGETS]
    derived = [d for d in dropped if d.table not in TARGETS]
    # Indexes, statistics, then the keys: validating a key is a join the planner must
    # see the loaded sizes for, and the refresh looks claims' rows up by those indexes.
    for statement in _creates(base, indexes=True):
        await connection.execute(statement)
    await connection.execute(f"ANALYZE {', '.join(TARGETS)}")
    for statement in _creates(base, indexes=False):
        await connection.execute(statement)
    await connection.execute("SELECT cg_refresh_claims(array(SELECT id FROM claim ORDER BY id))")
    for statement in [*_creates(derived, indexes=True), *_creates(derived, indexes=False)]:
        await connection.execute(statement)
    await connection.execute(f"ANALYZE {analyzed}, search_word")
