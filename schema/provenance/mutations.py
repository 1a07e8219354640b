"""addAttribution, updateAttribution, reviewAttribution and retractAttribution."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api import enums
from api.auth.roles import Role
from api.provenance.edit import AttributionEdit, update_attribution
from api.provenance.review import (
    hard_retract_attribution,
    retract_attribution,
    review_attribution,
)
from api.provenance.service import NewAttribution, NewQuantity, add_attribution
from schema.context import Info
from schema.errors import UserError
from schema.mutation_runner import Ids, MutationInput, MutationPayload, run_mutation
from schema.provenance.types import Attribution, QuantityBound, ReviewStatus, Stance
from schema.written import ATTRIBUTION

AttributionField = strawberry.enum(
    enums.AttributionField, description="An optional field an update may clear (set to null)."
)


@strawberry.input
class QuantityInput:
    value: float
    unit: str | None = None
    bound: QuantityBound | None = None  # type: ignore[valid-type]


@strawberry.input
class AddAttributionInput(MutationInput):
    claim_id: strawberry.ID
    document_id: strawberry.ID
    source_id: strawberry.ID
    via: list[strawberry.ID] | None = None
    stance: Stance | None = None  # type: ignore[valid-type]
    confidence: float | None = None
    hedges: list[str] | None = None
    quote: str | None = strawberry.field(
        default=None,
        description=(
            "Found in document.text when offsets are not given; with offsets it must equal that"
            " slice."
        ),
    )
    quote_start: int | None = None
    quote_end: int | None = None
    quantity: QuantityInput | None = None
    reported_at: datetime | None = None


@strawberry.type
class AddAttributionPayload(MutationPayload):
    attribution: Attribution | None
    errors: list[UserError]


async def resolve_add_attribution(info: Info, input: AddAttributionInput) -> AddAttributionPayload:
    ids = Ids()
    new = NewAttribution(
        claim_id=ids.required(input.claim_id, "Claim", "input", "claimId"),
        document_id=ids.required(input.document_id, "Document", "input", "documentId"),
        source_id=ids.required(input.source_id, "Source", "input", "sourceId"),
        via=ids.many(input.via, "Source", "input", "via"),
        stance=input.stance,
        confidence=input.confidence,
        hedges=input.hedges,
        quote=input.quote,
        quote_start=input.quote_start,
        quote_end=input.quote_end,
        quantity=_quantity(input.quantity),
        reported_at=input.reported_at,
    )

    async def work(session: AsyncSession) -> int:
        return await add_attribution(session, new)

    outcome = await run_mutation(info, work, ids, input, read_back=ATTRIBUTION)
    attribution = outcome.node(Attribution.from_row)
    return AddAttributionPayload(
        attribution=attribution,
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )


def _quantity(quantity: QuantityInput | None) -> NewQuantity | None:
    if quantity is None:
        return None
    return NewQuantity(value=quantity.value, unit=quantity.unit, bound=quantity.bound)


@strawberry.input(
    description="The fields to change; left out, a field stays as it is. The quote cannot change."
)
class UpdateAttributionInput(MutationInput):
    id: strawberry.ID
    version: int = strawberry.field(
        description="The version the edit was based on; CONFLICT if it is no longer current."
    )
    stance: Stance | None = None  # type: ignore[valid-type]
    confidence: float | None = None
    hedges: list[str] | None = strawberry.field(
        default=None, description="Replaces the hedges as a whole."
    )
    reported_at: datetime | None = None
    quantity: QuantityInput | None = None
    clear: list[AttributionField] = strawberry.field(  # type: ignore[valid-type]
        default_factory=list,
        description="Fields to set to null; a field cannot be both given and cleared.",
    )


@strawberry.type
class UpdateAttributionPayload(MutationPayload):
    attribution: Attribution | None
    errors: list[UserError]


async def resolve_update_attribution(
    info: Info, input: UpdateAttributionInput
) -> UpdateAttributionPayload:
    ids = Ids()
    pk = ids.required(input.id, "Attribution", "input", "id")
    edit = AttributionEdit(
        stance=input.stance,
        confidence=input.confidence,
        hedges=input.hedges,
        reported_at=input.reported_at,
        quantity=_quantity(input.quantity),
        clear=frozenset(input.clear),
    )

    async def work(session: AsyncSession) -> int:
        return await update_attribution(
            session, attribution_id=pk, version=input.version, edit=edit
        )

    outcome = await run_mutation(info, work, ids, input, read_back=ATTRIBUTION)
    attribution = outcome.node(Attribution.from_row)
    return UpdateAttributionPayload(
        attribution=attribution,
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )


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
