"""What a mutation wrote, read on the write's own connection before its COMMIT.

After COMMIT a write is durable, but a read-back on another connection can still fail
(PostgreSQL restarting): the client would hear "unavailable, retry" about a write that
happened, and its retry would write it twice. So run_mutation reads the payload's
object here, inside the transaction, with every object its fields name directly (an
attribution's claim, document and chain; a source's affiliation; a document's
publisher), and primes the request's loaders with them once the write has committed.
Lists and connections (`attributions`, `history`, `comparison`) are still read after
COMMIT; a failure there is answered as COMMITTED_READ_FAILED (schema/errors.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import RowMapping, Table
from sqlalchemy.ext.asyncio import AsyncSession

from api.claims.repository import claims_by_id
from api.db import table_of
from api.documents.models import Document
from api.ingest.snapshot import Snapshot
from api.provenance import repository as provenance
from api.provenance.models import Attribution
from api.provenance.repository import ChainEntry
from api.repository import rows_by_id
from api.sources.models import Source
from schema.ids import encode_id


@dataclass(frozen=True)
class Written:
    row: RowMapping | None  # the payload's object; None when it is gone (a hard retraction)
    rows: Snapshot  # every row read, for the request's loaders


@dataclass(frozen=True)
class ReadBack:
    """How to read back one type's written object, and its global id."""

    type_name: str
    read: Callable[[AsyncSession, int], Awaitable[Written]]

    def id_of(self, pk: int) -> str:
        return encode_id(self.type_name, pk)


def _rows(
    sources: dict[int, RowMapping] | None = None,
    documents: dict[int, RowMapping] | None = None,
    claims: dict[int, RowMapping] | None = None,
    attributions: dict[int, RowMapping] | None = None,
    chains: dict[int, list[ChainEntry]] | None = None,
) -> Snapshot:
    return Snapshot(
        documents=documents or {},
        attributions=attributions or {},
        claims=claims or {},
        sources=sources or {},
        chains=chains or {},
    )


async def _row_and_source(
    session: AsyncSession, table: Table, pk: int, column: str
) -> tuple[dict[int, RowMapping], dict[int, RowMapping]]:
    """The row `pk` of `table`, and the source its `column` names (none when null)."""
    rows = await rows_by_id(session, table, [pk])
    named = rows[pk][column] if pk in rows else None
    return rows, await rows_by_id(session, table_of(Source), [named] if named else [])


async def _source(session: AsyncSession, pk: int) -> Written:
    sources, affiliation = await _row_and_source(session, table_of(Source), pk, "affiliation_id")
    return Written(sources.get(pk), _rows(sources=sources | affiliation))


async def _document(session: AsyncSession, pk: int) -> Written:
    documents, publisher = await _row_and_source(session, table_of(Document), pk, "publisher_id")
    return Written(documents.get(pk), _rows(documents=documents, sources=publisher))


async def _claim(session: AsyncSession, pk: int) -> Written:
    claims = await claims_by_id(session, [pk])
    return Written(claims.get(pk), _rows(claims=claims))


async def _attribution(session: AsyncSession, pk: int) -> Written:
    attributions = await rows_by_id(session, table_of(Attribution), [pk])
    row = attributions.get(pk)
    if row is None:
        return Written(None, _rows())
    found_chains = await provenance.chains(session, [pk])
    source_ids = {row["source_id"], *(e.source_id for e in found_chains.get(pk, []))}
    return Written(
        row,
        _rows(
            attributions=attributions,
            claims=await claims_by_id(session, [row["claim_id"]]),
            documents=await rows_by_id(session, table_of(Document), [row["document_id"]]),
            sources=await rows_by_id(session, table_of(Source), source_ids),
            chains=dict(found_chains),
        ),
    )


SOURCE = ReadBack("Source", _source)
DOCUMENT = ReadBack("Document", _document)
CLAIM = ReadBack("Claim", _claim)
ATTRIBUTION = ReadBack("Attribution", _attribution)
