"""reviewAttribution and retractAttribution."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.roles import Role
from api.provenance.review import (
    hard_retract_attribution,
    retract_attribution,
    review_attribution,
)
from schema.context import Info
from schema.errors import UserError
from schema.mutations.base import Ids, MutationInput, MutationPayload, run_mutation
from schema.mutations.written import ATTRIBUTION
from schema.types import Attribution, ReviewStatus


@strawberry.input
class ReviewAttributionInput(MutationInput):
    attribution_id: strawberry.ID
    status: ReviewStatus = strawberry.field(  # type: ignore[valid-type]
        description="CONFIRMED or REJECTED."
    )


@strawberry.type
class ReviewAttributionPayload(MutationPayload):
    attribution: Attribution | None
    errors: list[UserError]


async def resolve_review_attribution(
    info: Info, input: ReviewAttributionInput
) -> ReviewAttributionPayload:
    ids = Ids()
    pk = ids.required(input.attribution_id, "Attribution", "input", "attributionId")

    async def work(session: AsyncSession) -> int:
        return await review_attribution(session, attribution_id=pk, status=input.status)

    outcome = await run_mutation(info, work, ids, input, read_back=ATTRIBUTION)
    attribution = outcome.node(Attribution.from_row)
    return ReviewAttributionPayload(
        attribution=attribution,
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )


@strawberry.input
class RetractAttributionInput(MutationInput):
    id: strawberry.ID
    version: int = strawberry.field(
        description="The version the retraction was based on; CONFLICT if it is no longer current."
    )
    reason: str = strawberry.field(description="Why the attribution is withdrawn; kept with it.")
    hard: bool = strawberry.field(
        default=False,
        description=(
            "Admins only: also remove the attribution from current data (it no longer"
            " resolves by id; the payload's attribution is null). Its history stays,"
            " readable with Query.history, the removal recorded as HARD_RETRACT."
        ),
    )


@strawberry.type
class RetractAttributionPayload(MutationPayload):
    attribution: Attribution | None
    errors: list[UserError]


async def resolve_retract_attribution(
    info: Info, input: RetractAttributionInput
) -> RetractAttributionPayload:
    ids = Ids()
    pk = ids.required(input.id, "Attribution", "input", "id")

    retract = hard_retract_attribution if input.hard else retract_attribution

    async def work(session: AsyncSession) -> int:
        return await retract(session, attribution_id=pk, version=input.version, reason=input.reason)

    needed = Role.ADMIN if input.hard else Role.EDITOR
    outcome = await run_mutation(info, work, ids, input, needed=needed, read_back=ATTRIBUTION)
    attribution = outcome.node(Attribution.from_row)
    return RetractAttributionPayload(
        attribution=attribution,
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )
