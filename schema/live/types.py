"""Change and ChangeKind: one committed change, as a subscription event shows it."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.live import changes, kinds
from schema.claims.types import Claim
from schema.context import Info
from schema.provenance.types import Attribution
from schema.sources.types import Source

ChangeKind = strawberry.enum(
    kinds.ChangeKind,
    description=(
        "What happened. One write can cause several changes (an attribution added may also"
        " make its claim contested)."
    ),
)


@strawberry.type(
    description=(
        "One committed change. Its id is the same in a subscription event, a webhook delivery"
        " and a replay."
    )
)
class Change:
    id: strawberry.ID = strawberry.field(
        description='Its position in commit order, as a decimal string such as "1042".'
    )
    kind: kinds.ChangeKind = strawberry.field(description="What happened.")
    at: datetime = strawberry.field(description="When it was committed.")
    claim_id: strawberry.Private[int | None]
    attribution_id: strawberry.Private[int | None]
    source_id: strawberry.Private[int | None]

    @strawberry.field(
        description=(
            "The claim concerned, as it is now; null for a source's own change, or when it is"
            " gone. A claim merged since reads as the claim it was merged into."
        )
    )
    async def claim(self, info: Info) -> Claim | None:
        if self.claim_id is None:
            return None
        row = await info.context.loaders.claim.load(self.claim_id)
        return None if row is None else Claim.from_row(row)

    @strawberry.field(
        description="The attribution concerned, when there is one and it still exists."
    )
    async def attribution(self, info: Info) -> Attribution | None:
        if self.attribution_id is None:
            return None
        row = await info.context.loaders.attribution.load(self.attribution_id)
        return None if row is None else Attribution.from_row(row)

    @strawberry.field(
        description="The source concerned: the attribution's source, or the source that changed."
    )
    async def source(self, info: Info) -> Source | None:
        if self.source_id is None:
            return None
        row = await info.context.loaders.source.load(self.source_id)
        return None if row is None else Source.from_row(row)

    @classmethod
    def of(cls, change: changes.Change) -> Change:
        return cls(
            kind=change.kind,
            at=change.at,
            id=strawberry.ID(str(change.position)),
            claim_id=change.claim_id,
            attribution_id=change.attribution_id,
            source_id=change.source_id,
        )
