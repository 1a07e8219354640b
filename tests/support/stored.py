"""Data for the domain's own tests, stored through the domain's services (not GraphQL).

Each builder takes the test's session and returns the new row's id, so a test states
only what its story needs: `await source(session, "KCNA", reliability="A")`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from api.claims.service import create_claim
from api.documents.service import NewDocument, create_document
from api.enums import QuantityBound, SourceKind, SourceReliability, Stance
from api.provenance.service import NewAttribution, NewQuantity, add_attribution
from api.sources.service import NewSource, create_source

TEXT = "Grüße 👋 aus Pjöngjang: Kim werde voraussichtlich eine Fabrik besuchen."
DAY = datetime(2023, 9, 13, tzinfo=UTC)


async def source(
    session: AsyncSession,
    name: str,
    *,
    kind: SourceKind = SourceKind.NEWS_AGENCY,
    reliability: str | None = None,
    affiliation_id: int | None = None,
    aliases: list[str] | None = None,
) -> int:
    graded = SourceReliability(reliability) if reliability else None
    new = NewSource(name, kind, aliases, affiliation_id, graded)
    return await create_source(session, new)


async def document(
    session: AsyncSession,
    title: str = "Ein Artikel",
    *,
    publisher_id: int | None = None,
    text: str | None = TEXT,
    url: str | None = None,
) -> int:
    new = NewDocument(title, "de", url=url, published_at=DAY, publisher_id=publisher_id, text=text)
    return await create_document(session, new)


async def claim(session: AsyncSession, statement: str = "Kim besucht eine Fabrik") -> int:
    return await create_claim(session, statement=statement, language="de")


async def report(
    session: AsyncSession,
    claim_id: int,
    source_id: int,
    *,
    document_id: int | None = None,
    via: list[int] | None = None,
    stance: Stance = Stance.AFFIRMS,
    confidence: float = 1.0,
    day: int = 0,
    quantity: tuple[float, str, QuantityBound] | None = None,
    suggested: bool = False,
) -> int:
    """An attribution of `claim_id` to `source_id`, reported `day` days after DAY."""
    if document_id is None:
        document_id = await document(session)
    return await add_attribution(
        session,
        NewAttribution(
            claim_id=claim_id,
            document_id=document_id,
            source_id=source_id,
            via=via or [],
            stance=stance,
            confidence=confidence,
            reported_at=DAY + timedelta(days=day),
            quantity=NewQuantity(*quantity) if quantity else None,
            extractor_version="test-1" if suggested else None,
        ),
    )
