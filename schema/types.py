"""The node types of the graph: Source, Document, Claim, Attribution.

Each stored field is declared once, with its column (schema/fields.py): `from_row`
builds a type from a database row, and the compiled path reads the same declarations.
Nested objects come only through the request's DataLoaders, so a page of any size
costs a fixed number of queries.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from api import enums
from api.enums import ChainRole
from api.pagination import (
    CLAIM_ATTRIBUTIONS,
    DOCUMENT_ATTRIBUTIONS,
    SOURCE_ATTRIBUTIONS,
    Keyset,
)
from api.provenance.comparison import Comparison
from api.provenance.repository import ChainEntry, Parent
from schema import interchange
from schema.context import Info
from schema.fields import GLOBAL_ID, Row, column, embedded, key, references
from schema.history import HISTORY_DESCRIPTION, Revision, history_of
from schema.ids import encode_id
from schema.pagination import Connection, connection, page_request

SourceKind = strawberry.enum(enums.SourceKind, description="What kind of agent a source is.")
SourceReliability = strawberry.enum(
    enums.SourceReliability,
    description=(
        "Source reliability on the NATO Admiralty scale: A completely reliable, B usually"
        " reliable, C fairly reliable, D not usually reliable, E unreliable, F reliability"
        " cannot be judged."
    ),
)
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


VERSION = "Starts at 1 and grows with every edit; edits must name the current one."


@strawberry.interface(
    description="Relay global object identification: every object can be refetched by id."
)
class Node(Row):
    pk: strawberry.Private[int] = key("id")

    @strawberry.field(metadata=GLOBAL_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id(type(self).__name__, self.pk))


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


@strawberry.type(
    description="An agent that reports or asserts claims: an agency, outlet, government, person."
)
class Source(Node):
    name: str = column()
    kind: SourceKind = column()  # type: ignore[valid-type]
    aliases: list[str] = column(
        description="Other names and spellings of this source, in any language."
    )
    reliability: SourceReliability | None = column()  # type: ignore[valid-type]
    state_affiliated: bool = column(
        description="True for state-run or state-controlled sources (KCNA, TASS)."
    )
    version: int = column(description=VERSION)
    affiliation_pk: strawberry.Private[int | None] = key("affiliation_id")

    @strawberry.field(
        description="The organisation this source belongs to (Jack Watling -> RUSI).",
        metadata=references("affiliation_pk"),
    )
    async def affiliation(self, info: Info) -> Source | None:
        return await load_source(info, self.affiliation_pk)

    @strawberry.field(description="Attributions whose chain contains this source, newest first.")
    async def attributions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Attribution]:
        return await attributions_of(info, "source", SOURCE_ATTRIBUTIONS, self.pk, first, after)

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Revision]:
        return await history_of(info, "Source", self.pk, first, after)


@strawberry.type(
    description=(
        "A published document (an article, a statement, a broadcast transcript) that carries"
        " claims."
    )
)
class Document(Node):
    url: str | None = column()
    title: str = column()
    language: str = column(description="BCP 47 language code of the text, e.g. de.")
    published_at: datetime | None = column()
    text: str | None = column()
    version: int = column(description=VERSION)
    publisher_pk: strawberry.Private[int | None] = key("publisher_id")

    @strawberry.field(
        description="The outlet that published the document.", metadata=references("publisher_pk")
    )
    async def publisher(self, info: Info) -> Source | None:
        return await load_source(info, self.publisher_pk)

    @strawberry.field(
        description=(
            "Attributions found in this document, in the order of their place in the text"
            " (those without a quote last)."
        )
    )
    async def attributions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Attribution]:
        return await attributions_of(info, "document", DOCUMENT_ATTRIBUTIONS, self.pk, first, after)

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Revision]:
        return await history_of(info, "Document", self.pk, first, after)


@strawberry.type(
    description=(
        "A proposition that sources report, such as 'Putin accepted Kim's invitation to visit"
        " North Korea'."
    )
)
class Claim(Node):
    statement: str = column(description="The proposition, stated once in normal form.")
    language: str = column(description="BCP 47 language code of the statement.")
    created_at: datetime = column()
    version: int = column(description=VERSION)

    @strawberry.field(
        description=(
            "Every report of this claim, earliest first (by reportedAt, then storage order;"
            " undated reports last)."
        )
    )
    async def attributions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Attribution]:
        return await attributions_of(info, "claim", CLAIM_ATTRIBUTIONS, self.pk, first, after)

    @strawberry.field(
        description=(
            "How the sources that report this claim agree. Rejected attributions never count;"
            " unconfirmed machine suggestions count unless includeSuggested is false."
        )
    )
    async def comparison(self, info: Info, include_suggested: bool = True) -> ClaimComparison:
        found = await info.context.loaders.comparison.load((self.pk, include_suggested))
        return ClaimComparison.from_domain(found)

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Revision]:
        return await history_of(info, "Claim", self.pk, first, after)

    @strawberry.field(description=interchange.CLAIM_REVIEW)
    async def claim_review(self, info: Info, include_suggested: bool = True) -> JSON:
        return await interchange.claim_review(info, self.pk, include_suggested)

    @strawberry.field(description=interchange.PROV)
    async def prov(
        self,
        info: Info,
        include_suggested: bool = True,
        format: interchange.ProvFormat = interchange.ProvFormat.PROV_JSON,
    ) -> JSON:
        return await interchange.prov(info, self.pk, include_suggested, format)

    @strawberry.field(description=interchange.COMPARISON_CSV)
    async def comparison_csv(self, info: Info, include_suggested: bool = True) -> str:
        return await interchange.comparison_csv(info, self.pk, include_suggested)


@strawberry.type(description="How the sources of one claim agree with one another.")
class ClaimComparison:
    report_count: int = strawberry.field(description="The attributions this comparison counted.")
    suggestion_count: int = strawberry.field(
        description="Of those, unconfirmed machine suggestions (0 when they were left out)."
    )
    left_out_count: int = strawberry.field(
        description=(
            "Attributions of the claim left out: rejected or retracted ones, and unconfirmed"
            " suggestions when includeSuggested is false."
        )
    )
    source_count: int = strawberry.field(
        description="Distinct attributed sources (Attribution.source)."
    )
    independent_origin_count: int = strawberry.field(
        description=(
            "Distinct origins, each taken at its top-most affiliation: ten outlets repeating"
            " KCNA count once. An anonymous origin without affiliation counts once per source"
            " citing it."
        )
    )
    affirm_count: int = strawberry.field(
        description=(
            "Distinct sources whose attributions affirm the claim (a source's stance is that of"
            " its latest attribution of the claim)."
        )
    )
    deny_count: int = strawberry.field(
        description="Distinct sources whose attributions deny the claim (latest stance)."
    )
    contested: bool = strawberry.field(
        description=(
            "True when some source affirms and another denies, or their quantities cannot all"
            " be true."
        )
    )
    consensus_confidence: float = strawberry.field(
        description="The weight of all reports together, from 0 to 1 (docs/confidence.md)."
    )
    explanation: str = strawberry.field(
        description="In plain words, how consensusConfidence was reached from the reports."
    )
    quantity_min: float | None = strawberry.field(
        description=(
            "The smallest quantity affirming reports give, in the claim's most often reported unit."
        )
    )
    quantity_max: float | None = strawberry.field(
        description=(
            "The largest quantity affirming reports give, in the claim's most often reported unit."
        )
    )
    first_report_pk: strawberry.Private[int | None]

    @classmethod
    def from_domain(cls, found: Comparison) -> ClaimComparison:
        return cls(
            report_count=found.report_count,
            suggestion_count=found.suggestion_count,
            left_out_count=found.left_out_count,
            source_count=found.source_count,
            independent_origin_count=found.independent_origin_count,
            affirm_count=found.affirm_count,
            deny_count=found.deny_count,
            contested=found.contested,
            consensus_confidence=found.consensus_confidence,
            explanation=found.explanation,
            quantity_min=found.quantity_min,
            quantity_max=found.quantity_max,
            first_report_pk=found.first_report_id,
        )

    @strawberry.field(
        description="The earliest report, by reportedAt (ties: the one stored first)."
    )
    async def first_report(self, info: Info) -> Attribution | None:
        if self.first_report_pk is None:
            return None
        row = await info.context.loaders.attribution.load(self.first_report_pk)
        return None if row is None else Attribution.from_row(row)


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


async def load_source(info: Info, pk: int | None) -> Source | None:
    if pk is None:
        return None
    row = await info.context.loaders.source.load(pk)
    return Source.from_row(row) if row is not None else None


async def require_source(info: Info, pk: int) -> Source:
    source = await load_source(info, pk)
    assert source is not None  # foreign keys guarantee every referenced source exists
    return source


async def sources_of(info: Info, entries: list[ChainEntry]) -> list[Source]:
    rows = await info.context.loaders.source.load_many([e.source_id for e in entries])
    return [Source.from_row(row) for row in rows if row is not None]
