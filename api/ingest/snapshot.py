"""The rows an ingest wrote, read inside its own transaction.

A dry run rolls its transaction back, so afterwards no query can see what it would
have stored; the API answers from this snapshot instead (and a real run saves the
same queries).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from api.claims.models import Claim
from api.db import table_of
from api.documents.models import Document
from api.ingest.service import Ingested
from api.provenance.models import Attribution
from api.provenance.repository import ChainEntry, chains
from api.repository import rows_by_id
from api.sources.models import Source


@dataclass(frozen=True)
class Snapshot:
    documents: dict[int, RowMapping]
    attributions: dict[int, RowMapping]
    claims: dict[int, RowMapping]
    sources: dict[int, RowMapping]
    chains: dict[int, list[ChainEntry]]


async def snapshot(session: AsyncSession, result: Ingested) -> Snapshot:
    attributions = await rows_by_id(session, table_of(Attribution), result.attribution_ids)
    documents = await rows_by_id(session, table_of(Document), [result.document_id])
    claim_ids = [row["claim_id"] for row in attributions.values()]
    found_chains = await chains(session, result.attribution_ids)
    source_ids = {entry.source_id for entries in found_chains.values() for entry in entries}
    source_ids |= {*result.created_sources, *result.matched_sources}
    sources = await rows_by_id(session, table_of(Source), source_ids)
    # one level up is enough: a created source's affiliation was resolved in this ingest
    affiliations = {row["affiliation_id"] for row in sources.values()} - set(sources) - {None}
    sources |= await rows_by_id(session, table_of(Source), [a for a in affiliations if a])
    return Snapshot(
        documents=documents,
        attributions=attributions,
        claims=await rows_by_id(session, table_of(Claim), claim_ids),
        sources=sources,
        chains=found_chains,
    )
