"""`claimgraph import`: a JSON Lines dump into the database, validated, batched, idempotent.

Lines are read one at a time and parsed into rows (records.py); rows wait in a
batch per type, and a full batch is staged and upserted (staging.py) after the
batches of the types it may reference. Memory holds one batch per type, whatever
the file's size. A bad line is reported with its number: by default it is left
out and the import goes on (the report lists it at the end); with `strict` the
first one aborts the import, which then writes nothing (one transaction).
With `bulk` the whole import is one transaction too, and new rows skip the per-row
triggers, whose work is done set-based (bulk.py). With `restore`, into an empty
database, the bulk path runs without secondary indexes and foreign keys and without
summaries, which are all rebuilt once at the end (restore.py), while the next lines are
parsed in a thread (readahead.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import orjson

from api.interchange import bulk as bulk_path
from api.interchange import restore as restore_path
from api.interchange import staging
from api.interchange.readahead import parsed_ahead
from api.interchange.record_fields import RecordError
from api.interchange.records import TYPES, Row, read_record

MAX_KEPT_ERRORS = 1000
# A batch also ends at this many bytes of JSON: documents carry texts of up to 2 MB,
# so a count alone would not bound memory.
MAX_BATCH_BYTES = 16 * 1024 * 1024
ANALYZED = "source, document, claim, attribution, attribution_chain, source_claim, claim_search"


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ImportAborted(Exception):
    """A strict import met a bad line; nothing was written."""

    def __init__(self, error: LineError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class ImportReport:
    read: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    errors: list[LineError] = field(default_factory=list)
    error_count: int = 0
    restored: bool = False  # took the restore path (restore.py)

    def summary(self) -> str:
        parts = [f"{self.read[t]} {t.lower()}s read, {self.changed[t]} written" for t in TYPES]
        unchanged = sum(self.read.values()) - sum(self.changed.values()) - self.error_count
        done = "; ".join(parts) + f"; {max(unchanged, 0)} unchanged; {self.error_count} skipped"
        return f"restored into an empty database: {done}" if self.restored else done


# What one line reads as: nothing (a blank line or the header), an error, or a row.
Parsed = tuple[str, Row] | str | None


def parse_line(raw: bytes) -> Parsed:
    """One line of the dump, parsed and checked (records.py); thread-safe."""
    if not raw.strip():
        return None
    try:
        return read_record(orjson.loads(raw))
    except orjson.JSONDecodeError as exc:
        return f"not JSON: {exc}"
    except RecordError as exc:
        return str(exc)


class _Importer:
    def __init__(
        self, connection: Any, strict: bool, batch_size: int, bulk: bool, restore: bool
    ) -> None:
        self.connection = connection
        self.strict = strict
        self.bulk = bulk or restore
        # Restoring: summaries are rebuilt once at the end (restore.py), not per batch.
        self.restore = restore
        self.claims: set[int] = set()
        self.batch_size = batch_size
        self.report = ImportReport()
        self.pending: dict[str, list[Row]] = {t: [] for t in TYPES}
        self.pending_ids: dict[str, dict[int, int]] = {t: {} for t in TYPES}
        self.pending_bytes: Counter[str] = Counter()
        self.written = 0
        self.analyzed_at = 0

    def fail(self, line: int, message: str) -> None:
        error = LineError(line, message)
        if self.strict:
            raise ImportAborted(error)
        self.report.error_count += 1
        if len(self.report.errors) < MAX_KEPT_ERRORS:
            self.report.errors.append(error)

    async def take(self, number: int, raw: bytes) -> None:
        await self.accept(number, len(raw), parse_line(raw))

    async def accept(self, number: int, size: int, parsed: Parsed) -> None:
        """One parsed line (see `parse_line`) into its batch; a full batch is written."""
        if parsed is None:
            return
        if isinstance(parsed, str):
            self.fail(number, parsed)
            return
        kind, row = parsed
        self.report.read[kind] += 1
        seen = self.pending_ids[kind]
        if row[0] in seen:
            self.fail(number, f"the {kind} of line {seen[row[0]]} has the same id")
            return
        seen[row[0]] = number
        self.pending[kind].append((number, *row))
        self.pending_bytes[kind] += size
        full = len(self.pending[kind]) >= self.batch_size
        if full or self.pending_bytes[kind] >= MAX_BATCH_BYTES:
            await self.flush_through(kind)

    async def flush_through(self, kind: str) -> None:
        """A batch goes in after the pending batches of the types it may reference."""
        for name in TYPES[: TYPES.index(kind) + 1]:
            if self.pending[name]:
                await self.flush(name)

    async def flush(self, kind: str) -> None:
        rows, self.pending[kind], self.pending_ids[kind] = self.pending[kind], [], {}
        self.pending_bytes[kind] = 0
        table = staging.TABLES[kind]
        async with self.connection.transaction():
            await staging.load(self.connection, table, rows)
            checks = [bulk_path.QUOTE_CHECK] if self.bulk and table == "attribution" else []
            for refusal in await staging.refuse(self.connection, table, checks):
                self.fail(refusal.line, refusal.message)
            changed = await self._insert_new(table, rows) if self.bulk else 0
            changed += await self._write(table, rows)
            self.report.changed[kind] += changed
        self.written += changed
        if self.written >= 2 * self.analyzed_at and changed and not self.restore:
            # Each time this import has doubled what it wrote: statistics stay within a
            # factor of two of the truth, or the refresh triggers' plans turn quadratic
            # (autovacuum may be off, or too slow for a bulk load).
            await self.connection.execute(f"ANALYZE {ANALYZED}")
            self.analyzed_at = self.written

    async def _insert_new(self, table: str, rows: list[Row]) -> int:
        try:
            async with self.connection.transaction():
                ids, claims = await bulk_path.insert_new(
                    self.connection, table, claims=not self.restore
                )
        except asyncpg.PostgresError as exc:
            if self.strict:
                raise ImportAborted(LineError(rows[0][0], f"batch refused: {exc}")) from exc
            return 0  # _write, with the triggers on, names the line the database refuses
        if self.restore:
            return len(ids)
        if table == "attribution":
            # Refreshed batch by batch, as the chain trigger would: one call over every
            # claim of a large import is slower per claim (measured: 1.7 against 1.2 ms).
            await bulk_path.refresh(self.connection, claims)
            self.claims -= claims
        else:
            self.claims |= claims
        return len(ids)

    async def _write(self, table: str, rows: list[Row]) -> int:
        try:
            async with self.connection.transaction():
                changed: int = await staging.write(self.connection, table)
                return changed
        except asyncpg.PostgresError as exc:
            if self.strict:
                raise ImportAborted(LineError(rows[0][0], f"batch refused: {exc}")) from exc
        # Some row broke a rule only the database checks: find it, line by line.
        changed = 0
        for line in await staging.staged_lines(self.connection, table):
            try:
                async with self.connection.transaction():
                    changed += await staging.write(self.connection, table, line)
            except asyncpg.PostgresError as exc:
                self.fail(line, f"refused by the database: {exc}")
        return changed


async def import_jsonl(
    connection: Any,
    lines: Iterable[bytes],
    *,
    strict: bool = False,
    batch_size: int = 5000,
    bulk: bool = False,
    restore: bool | None = False,
    actor: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a dump from `lines` over an asyncpg connection; see the module docstring.

    Revisions record `actor` (else 'system'). Identity sequences move past the
    imported ids, so later creates do not collide with them. `bulk` takes the bulk
    path (bulk.py): one transaction, writers to the five tables wait until it ends.
    `restore` takes the restore path (restore.py) when true, and raises RestoreRefused
    when the database holds records; None takes it when the database is empty.
    """
    if restore is None:
        restore = await restore_path.is_empty(connection)
    importer = _Importer(connection, strict, batch_size, bulk, restore)
    importer.report.restored = restore
    await staging.create_stages(connection)
    # Session settings, undone at the end: the connection may go back to a pool. The
    # service forces custom plans (for its skewed reads); here that would plan again each
    # of the per-row foreign-key checks and the refresh functions' statements: measured,
    # 55 % more time for the whole import.
    await connection.execute(
        "SELECT set_config('claimgraph.actor', $1, false), set_config('statement_timeout', '0',"
        " false), set_config('plan_cache_mode', 'auto', false)",
        actor or "",
    )
    try:
        async with AsyncExitStack() as stack:
            if strict or bulk or restore:
                await stack.enter_async_context(connection.transaction())
            if bulk or restore:
                # One ATTRIBUTION_ADDED per claim of each batch, not per row (migration 0014).
                await connection.execute(bulk_path.CHANGE_PER_CLAIM)
            if restore:
                dropped = await restore_path.begin(connection)
                await _restore(importer, lines, progress)
            else:
                if bulk:
                    await bulk_path.lock(connection)
                await _load(importer, lines, progress)
            await importer.flush_through(TYPES[-1])
            if restore:
                await restore_path.finish(connection, dropped, ANALYZED)
            elif importer.claims:
                # Fresh statistics first: the refresh plans over every imported claim.
                await connection.execute(f"ANALYZE {ANALYZED}")
                await bulk_path.refresh(connection, importer.claims)
            await _finish(connection, analyze=importer.written > 0 and not restore)
    finally:
        await connection.execute(
            "RESET claimgraph.actor; RESET statement_timeout; RESET plan_cache_mode"
        )
    return importer.report


async def _load(
    importer: _Importer, lines: Iterable[bytes], progress: Callable[[int], None] | None
) -> None:
    for number, raw in enumerate(lines, start=1):
        if progress is not None:
            progress(len(raw))
        await importer.take(number, raw)


async def _restore(
    importer: _Importer, lines: Iterable[bytes], progress: Callable[[int], None] | None
) -> None:
    """As `_load`, with the next lines parsed in a thread while a batch is written."""
    async with parsed_ahead(lines, parse_line) as chunks:
        async for chunk in chunks:
            for number, size, parsed in chunk:
                if progress is not None:
                    progress(size)
                await importer.accept(number, size, parsed)


async def _finish(connection: Any, analyze: bool) -> None:
    """Sequences past the imported ids, and statistics for the planner (autovacuum may be off)."""
    for table in staging.COLUMNS:
        await connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id))"
            f" FROM {table} HAVING max(id) IS NOT NULL"
        )
    if analyze:
        await connection.execute(f"ANALYZE {ANALYZED}")
