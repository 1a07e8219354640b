"""Attribution, one report of a claim, with its Quantity and enums; the attribution
pages of sources, documents and claims.

Each stored field is declared once, with its column (schema/fields.py): `from_row`
builds a type from a database row, and the compiled path reads the same declarations.
Nested objects come only through the request's DataLoaders, so a page of any size
costs a fixed number of queries.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from api import enums
from api.enums import ChainRole
from api.pagination import Keyset
from api.provenance.repository import Parent
from schema.claims.types import Claim
from schema.context import Info
from schema.documents.types import Document
from schema.fields import Row, column, embedded, key, references
from schema.node import VERSION, Node
from schema.pagination import Connection, connection, page_request
from schema.revisions.types import HISTORY_DESCRIPTION, Revision, history_of
from schema.sources.types import Source, require_source, sources_of

Stance = strawberry.enum(
    enums.Stance, description="Whether a source says a claim is true or false."
)
QuantityBound = strawberry.enum(
    enums.QuantityBound, description="How a reported number relates to the true value."
)
Method = strawberry.enum(enums.Method, description="How an attribution was made.")
ReviewStatus = strawberry.enum(
    enums.ReviewStatus,
    description=(
        "Where an attribution stands with the editors: SUGGESTED, CONFIRMED, REJECTED, RETRACTED."
    ),
)


async def attributions_of(
    info: Info, parent: Parent, keyset: Keyset, pk: int, first: int | None, after: str | None
) -> Connection[Attribution]:
    """One page of a parent's attributions, batched with its siblings' pages."""
    request = page_request(keyset, first, after)
    loaders = info.context.loaders
    page = await loaders.attribution_page.load((parent, pk, request))
    return connection(
        page, Attribution.from_row, lambda: loaders.attribution_count.load((parent, pk))
    )


@strawberry.type
class Quantity(Row):
    """Read from its attribution's row (the quantity_* columns)."""

    value: float = column("quantity_value")
    unit: str | None = column("quantity_unit")
    bound: QuantityBound = column("quantity_bound")  # type: ignore[valid-type]


@strawberry.type(
    description=(
        "One report of a claim: who says it, in which document, how firmly, with which words."
    )
)
class Attribution(Node):
    stance: Stance = column()  # type: ignore[valid-type]
    confidence: float = column(
        description=(
            "How firmly the source asserts the claim, from 0 (pure speculation) to 1 (stated"
            " as fact)."
        )
    )
    hedges: list[str] = column(
        description=(
            "The hedging words that lowered the confidence, as written (voraussichtlich,"
            " wahrscheinlich, bis zu)."
        )
    )
    quote: str | None = column(
        description=(
            "The exact words of the document that carry the claim:"
            " document.text[quoteStart:quoteEnd]."
        )
    )
    quote_start: int | None = column(
        description="Offset of the quote's first character, in Unicode code points."
    )
    quote_end: int | None = column(
        description="Offset just past the quote's last character (exclusive), in code points."
    )
    quantity: Quantity | None = embedded(
        "quantity_value", description="The number this source gives, for claims about a quantity."
    )
    reported_at: datetime | None = column(
        description="When the source made the report; the document's publishedAt when unknown."
    )
    method: Method = column(  # type: ignore[valid-type]
        description="How the attribution was made: CURATED by an editor, or EXTRACTED."
    )
    extractor_version: str | None = column(
        description="For EXTRACTED attributions, the extractor and version that made them."
    )
    review_status: ReviewStatus = column(  # type: ignore[valid-type]
        description=(
            "SUGGESTED until an editor confirms or rejects a machine-made attribution;"
            " curated ones are CONFIRMED."
        )
    )
    reviewed_at: datetime | None = column()
    retraction_reason: str | None = column(
        description="Why an editor retracted this attribution; null unless RETRACTED."
    )
    version: int = column(description=VERSION)
    claim_pk: strawberry.Private[int] = key("claim_id")
    document_pk: strawberry.Private[int] = key("document_id")
    source_pk: strawberry.Private[int] = key("source_id")

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Revision]:
        return await history_of(info, "Attribution", self.pk, first, after)

    @strawberry.field(metadata=references("claim_pk"))
    async def claim(self, info: Info) -> Claim:
        row = await info.context.loaders.claim.load(self.claim_pk)
        assert row is not None  # a foreign key guarantees it
        return Claim.from_row(row)

    @strawberry.field(metadata=references("document_pk"))
    async def document(self, info: Info) -> Document:
        row = await info.context.loaders.document.load(self.document_pk)
        assert row is not None
        return Document.from_row(row)

    @strawberry.field(
        description=(
            "The source the document attributes the claim to; its publisher when it speaks in"
            " its own voice."
        ),
        metadata=references("source_pk"),
    )
    async def source(self, info: Info) -> Source:
        return await require_source(info, self.source_pk)

    @strawberry.field(
        description=(
            "The sources that the attributed source itself cites, outermost first (Kyodo citing"
            " unnamed sources: [unnamed sources])."
        )
    )
    async def via(self, info: Info) -> list[Source]:
        entries = await info.context.loaders.chain.load(self.pk)
        return await sources_of(info, [e for e in entries if e.role is ChainRole.VIA])

    @strawberry.field(
        description=(
            "The whole chain, outermost first: the document's publisher (when it is not the"
            " source), the source, then via."
        )
    )
    async def chain(self, info: Info) -> list[Source]:
        return await sources_of(info, await info.context.loaders.chain.load(self.pk))

    @strawberry.field(
        description="The innermost source of the chain: the last of via, else source."
    )
    async def origin(self, info: Info) -> Source:
        entries = await info.context.loaders.chain.load(self.pk)
        return await require_source(info, entries[-1].source_id if entries else self.source_pk)
