"""Load the curated seed article into a database, through the same rules as the API.

Idempotent: sources are matched by name, the document by its text's hash, claims
by statement and language, attributions by claim, document, source and quote span;
whatever exists already is reused, so a second load writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.claims.models import Claim
from api.claims.service import create_claim
from api.db import table_of
from api.demo import curated
from api.documents.models import Document
from api.documents.service import NewDocument, create_document, text_sha256
from api.enums import QuantityBound, SourceKind, SourceReliability, Stance
from api.provenance.models import Attribution
from api.provenance.service import NewAttribution, NewQuantity, add_attribution
from api.sources.models import Source
from api.sources.service import NewSource, create_source


@dataclass
class LoadReport:
    """What one load created (zero everywhere on a repeat load)."""

    sources: int = 0
    documents: int = 0
    claims: int = 0
    attributions: int = 0


async def load_demo(session: AsyncSession) -> LoadReport:
    """Store the seed article with its curated sources, claims and attributions."""
    report = LoadReport()
    source_ids: dict[str, int] = {}
    for demo_source in curated.SOURCES:  # affiliations come before the sources naming them
        source_ids[demo_source.key] = await _source(session, demo_source, source_ids, report)
    text = curated.document_text()
    document_id = await _document(session, text, source_ids, report)
    for demo_claim in curated.CLAIMS:
        claim_id = await _claim(session, demo_claim, report)
        for demo_attribution in demo_claim.attributions:
            await _attribution(
                session, demo_attribution, claim_id, document_id, text, source_ids, report
            )
    return report


async def _source(
    session: AsyncSession, demo: curated.DemoSource, known: dict[str, int], report: LoadReport
) -> int:
    table = table_of(Source)
    found = await session.scalar(
        select(table.c.id).where(func.lower(table.c.name) == demo.name.lower()).limit(1)
    )
    if found is not None:
        return int(found)
    report.sources += 1
    return await create_source(
        session,
        NewSource(
            name=demo.name,
            kind=SourceKind(demo.kind),
            aliases=list(demo.aliases),
            affiliation_id=known[demo.affiliation] if demo.affiliation else None,
            reliability=SourceReliability(demo.reliability) if demo.reliability else None,
            state_affiliated=demo.state_affiliated,
        ),
    )


async def _document(
    session: AsyncSession, text: str, sources: dict[str, int], report: LoadReport
) -> int:
    table = table_of(Document)
    found = await session.scalar(
        select(table.c.id).where(table.c.text_sha256 == text_sha256(text)).limit(1)
    )
    if found is not None:
        return int(found)
    report.documents += 1
    demo = curated.DOCUMENT
    return await create_document(
        session,
        NewDocument(
            title=demo.title,
            language=demo.language,
            url=demo.url,
            published_at=datetime.fromisoformat(demo.published_at),
            publisher_id=sources[demo.publisher] if demo.publisher else None,
            text=text,
        ),
    )


async def _claim(session: AsyncSession, demo: curated.DemoClaim, report: LoadReport) -> int:
    table = table_of(Claim)
    found = await session.scalar(
        select(table.c.id)
        .where(table.c.statement == demo.statement, table.c.language == demo.language)
        .limit(1)
    )
    if found is not None:
        return int(found)
    report.claims += 1
    return await create_claim(session, statement=demo.statement, language=demo.language)


async def _attribution(
    session: AsyncSession,
    demo: curated.DemoAttribution,
    claim_id: int,
    document_id: int,
    text: str,
    sources: dict[str, int],
    report: LoadReport,
) -> None:
    start, end = curated.quote_span(demo, text)
    table = table_of(Attribution)
    found = await session.scalar(
        select(table.c.id).where(
            table.c.claim_id == claim_id,
            table.c.document_id == document_id,
            table.c.source_id == sources[demo.source],
            table.c.quote_start == start,
            table.c.quote_end == end,
        )
    )
    if found is not None:
        return
    report.attributions += 1
    quantity = None
    if demo.quantity is not None:
        q = demo.quantity
        quantity = NewQuantity(value=q.value, unit=q.unit, bound=QuantityBound(q.bound))
    await add_attribution(
        session,
        NewAttribution(
            claim_id=claim_id,
            document_id=document_id,
            source_id=sources[demo.source],
            via=[sources[key] for key in demo.via],
            stance=Stance(demo.stance),
            confidence=demo.confidence,
            hedges=list(demo.hedges),
            quote=demo.quote,
            quote_start=start,
            quote_end=end,
            quantity=quantity,
        ),
    )
