"""Rules for recording an attribution: one report of a claim by a source in a document."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import BigInteger, RowMapping, Text, column, insert, select, table
from sqlalchemy.dialects.postgresql import TIMESTAMP
from sqlalchemy.ext.asyncio import AsyncSession

from api.claims.models import Claim
from api.db import table_of
from api.enums import ChainRole, Method, QuantityBound, ReviewStatus, Stance
from api.errors import Problems
from api.provenance.models import Attribution, ChainLink
from api.provenance.quotes import Span, place_quote
from api.repository import existing_ids
from api.sources.models import Source
from api.validation import (
    MAX_SHORT_LENGTH,
    aware_time,
    finite,
    string_list,
    text_field,
    unit_interval,
)

attribution_table = table_of(Attribution)
chain_table = table_of(ChainLink)
# Named, not imported: api/documents stands above provenance (a new publisher rewrites
# the chains of a document's attributions); tests/test_architecture.py checks the columns.
document_table = table(
    "document",
    column("id", BigInteger),
    column("text", Text),
    column("published_at", TIMESTAMP(timezone=True)),
    column("publisher_id", BigInteger),
)
MAX_VIA = 20


@dataclass(frozen=True)
class NewQuantity:
    value: float
    unit: str | None = None
    bound: QuantityBound | None = None


@dataclass(frozen=True)
class NewAttribution:
    claim_id: int
    document_id: int
    source_id: int
    via: list[int] = field(default_factory=list)
    stance: Stance | None = None
    confidence: float | None = None
    hedges: list[str] | None = None
    quote: str | None = None
    quote_start: int | None = None
    quote_end: int | None = None
    quantity: NewQuantity | None = None
    reported_at: datetime | None = None
    # None: curated by an editor. Else the extractor (and version) that suggested it.
    extractor_version: str | None = None


async def add_attribution(session: AsyncSession, new: NewAttribution) -> int:
    """Store an attribution with its materialised chain; raises DomainError on any problem.

    Defaults: confidence 1.0, stance AFFIRMS, reportedAt the document's publishedAt.
    """
    problems = Problems()
    document = await _references(session, problems, new)
    _check_via(problems, new)
    confidence = (
        1.0
        if new.confidence is None
        else unit_interval(problems, new.confidence, "input", "confidence")
    )
    hedges = string_list(problems, new.hedges, "input", "hedges")
    reported_at = aware_time(problems, new.reported_at, "input", "reportedAt")
    quantity = quantity_values(problems, new.quantity)
    span = None
    if document is not None:
        span = place_quote(problems, document["text"], new.quote, new.quote_start, new.quote_end)
    problems.raise_if_any()
    assert document is not None
    values = {
        "claim_id": new.claim_id,
        "document_id": new.document_id,
        "source_id": new.source_id,
        "stance": (new.stance or Stance.AFFIRMS).value,
        "confidence": confidence,
        "hedges": hedges,
        "reported_at": reported_at or document["published_at"],
        **_provenance(new.extractor_version),
        **_quote_values(span),
        **quantity,
    }
    result = await session.execute(
        insert(attribution_table).values(**values).returning(attribution_table.c.id)
    )
    attribution_id = int(result.scalar_one())
    await session.execute(
        insert(chain_table),
        chain_rows(attribution_id, new.claim_id, document["publisher_id"], new.source_id, new.via),
    )
    return attribution_id


def chain_rows(
    attribution_id: int, claim_id: int, publisher_id: int | None, source_id: int, via: list[int]
) -> list[dict[str, object]]:
    """Publisher (when it is not the source), source, then via: outermost first."""
    links: list[tuple[ChainRole, int]] = []
    if publisher_id is not None and publisher_id != source_id:
        links.append((ChainRole.PUBLISHER, publisher_id))
    links.append((ChainRole.SOURCE, source_id))
    links.extend((ChainRole.VIA, cited) for cited in via)
    return [
        {
            "attribution_id": attribution_id,
            "position": position,
            "role": role.value,
            "source_id": source,
            "claim_id": claim_id,
        }
        for position, (role, source) in enumerate(links)
    ]


async def _references(
    session: AsyncSession, problems: Problems, new: NewAttribution
) -> RowMapping | None:
    """Check every id the input names; returns the document row the quote needs."""
    if not await existing_ids(session, table_of(Claim), [new.claim_id]):
        problems.not_found("claimId names no claim", "input", "claimId")
    d = document_table.c
    found = await session.execute(
        select(d.text, d.published_at, d.publisher_id).where(d.id == new.document_id)
    )
    document = found.mappings().first()
    if document is None:
        problems.not_found("documentId names no document", "input", "documentId")
    sources = await existing_ids(session, table_of(Source), [new.source_id, *new.via])
    if new.source_id not in sources:
        problems.not_found("sourceId names no source", "input", "sourceId")
    for index, cited in enumerate(new.via):
        if cited not in sources:
            problems.not_found(f"via[{index}] names no source", "input", "via", str(index))
    return document


def _check_via(problems: Problems, new: NewAttribution) -> None:
    if len(new.via) > MAX_VIA:
        problems.invalid(f"via has {len(new.via)} sources; the limit is {MAX_VIA}", "input", "via")
    if new.source_id in new.via:
        problems.invalid("via must not contain the attributed source itself", "input", "via")
    if len(set(new.via)) != len(new.via):
        problems.invalid("via must not repeat a source", "input", "via")


def quantity_values(problems: Problems, quantity: NewQuantity | None) -> dict[str, object]:
    if quantity is None:
        return {}
    value = finite(problems, quantity.value, "input", "quantity", "value")
    unit = text_field(
        problems,
        quantity.unit,
        "input",
        "quantity",
        "unit",
        max_length=MAX_SHORT_LENGTH,
        required=False,
    )
    if quantity.unit is not None and unit is not None and not unit.strip():
        problems.invalid("unit must not be empty; leave it out", "input", "quantity", "unit")
    return {
        "quantity_value": value,
        "quantity_unit": unit.strip() if unit else None,
        "quantity_bound": (quantity.bound or QuantityBound.EXACT).value,
    }


def _provenance(extractor_version: str | None) -> dict[str, object]:
    """Curated attributions are confirmed as made; extracted ones await an editor."""
    if extractor_version is None:
        return {"method": Method.CURATED.value, "review_status": ReviewStatus.CONFIRMED.value}
    return {
        "method": Method.EXTRACTED.value,
        "extractor_version": extractor_version,
        "review_status": ReviewStatus.SUGGESTED.value,
    }


def _quote_values(span: Span | None) -> dict[str, object]:
    if span is None:
        return {}
    return {"quote": span.quote, "quote_start": span.start, "quote_end": span.end}
