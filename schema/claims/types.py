"""Claim, and ClaimComparison: how the sources of one claim agree."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from api.pagination import CLAIM_ATTRIBUTIONS
from api.provenance.claim_comparison import Comparison
from schema.context import Info
from schema.fields import column
from schema.interchange import resolvers as interchange
from schema.node import VERSION, Node
from schema.pagination import Connection
from schema.revisions.types import HISTORY_DESCRIPTION, Revision, history_of

if TYPE_CHECKING:
    from schema.provenance.types import Attribution


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
    ) -> Connection[Annotated[Attribution, strawberry.lazy("schema.provenance.types")]]:
        # Imported here: schema.provenance.types imports this module for its own fields.
        from schema.provenance.types import attributions_of

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
    async def first_report(
        self, info: Info
    ) -> Annotated[Attribution, strawberry.lazy("schema.provenance.types")] | None:
        if self.first_report_pk is None:
            return None
        # Imported here: schema.provenance.types imports this module for Attribution.claim.
        from schema.provenance.types import Attribution

        row = await info.context.loaders.attribution.load(self.first_report_pk)
        return None if row is None else Attribution.from_row(row)
