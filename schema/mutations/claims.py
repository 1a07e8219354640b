"""createClaim and updateClaim."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api.claims.service import create_claim, update_claim
from schema.context import Info
from schema.errors import UserError
from schema.mutations.base import Ids, run_mutation
from schema.types import Claim


@strawberry.input
class CreateClaimInput:
    statement: str
    language: str


@strawberry.type
class CreateClaimPayload:
    claim: Claim | None
    errors: list[UserError]


async def resolve_create_claim(info: Info, input: CreateClaimInput) -> CreateClaimPayload:
    async def work(session: AsyncSession) -> int:
        return await create_claim(session, statement=input.statement, language=input.language)

    outcome = await run_mutation(info, work)
    claim = await outcome.node(info.context.loaders.claim, Claim.from_row)
    return CreateClaimPayload(claim=claim, errors=outcome.errors)


@strawberry.input
class UpdateClaimInput:
    id: strawberry.ID
    version: int = strawberry.field(
        description="The version the edit was based on; CONFLICT if it is no longer current."
    )
    statement: str | None = None
    language: str | None = None


@strawberry.type
class UpdateClaimPayload:
    claim: Claim | None
    errors: list[UserError]


async def resolve_update_claim(info: Info, input: UpdateClaimInput) -> UpdateClaimPayload:
    ids = Ids()
    pk = ids.required(input.id, "Claim", "input", "id")

    async def work(session: AsyncSession) -> int:
        return await update_claim(
            session,
            claim_id=pk,
            version=input.version,
            statement=input.statement,
            language=input.language,
        )

    outcome = await run_mutation(info, work, ids)
    claim = await outcome.node(info.context.loaders.claim, Claim.from_row)
    return UpdateClaimPayload(claim=claim, errors=outcome.errors)
