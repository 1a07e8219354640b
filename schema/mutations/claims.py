"""createClaim."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api.claims.service import create_claim
from schema.context import Info
from schema.errors import UserError
from schema.mutations.base import run_mutation
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
