"""createClaim, updateClaim and mergeClaims."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api.claims.merge import merge_claims
from api.claims.service import create_claim, update_claim
from schema.claims.types import Claim
from schema.context import Info
from schema.errors import UserError
from schema.mutation_runner import Ids, MutationInput, MutationPayload, run_mutation
from schema.written import CLAIM


@strawberry.input
class CreateClaimInput(MutationInput):
    statement: str
    language: str


@strawberry.type
class CreateClaimPayload(MutationPayload):
    claim: Claim | None
    errors: list[UserError]


async def resolve_create_claim(info: Info, input: CreateClaimInput) -> CreateClaimPayload:
    async def work(session: AsyncSession) -> int:
        return await create_claim(session, statement=input.statement, language=input.language)

    outcome = await run_mutation(info, work, input=input, read_back=CLAIM)
    claim = outcome.node(Claim.from_row)
    return CreateClaimPayload(
        claim=claim,
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )


@strawberry.input
class UpdateClaimInput(MutationInput):
    id: strawberry.ID
    version: int = strawberry.field(
        description="The version the edit was based on; CONFLICT if it is no longer current."
    )
    statement: str | None = None
    language: str | None = None


@strawberry.type
class UpdateClaimPayload(MutationPayload):
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

    outcome = await run_mutation(info, work, ids, input, read_back=CLAIM)
    claim = outcome.node(Claim.from_row)
    return UpdateClaimPayload(
        claim=claim,
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )


@strawberry.input
class MergeClaimsInput(MutationInput):
    keep: strawberry.ID = strawberry.field(description="The claim that stays.")
    keep_version: int = strawberry.field(description="The version of `keep` the editor read.")
    merge: strawberry.ID = strawberry.field(
        description="The claim merged into `keep`: the same proposition, stated twice."
    )
    merge_version: int = strawberry.field(description="The version of `merge` the editor read.")


@strawberry.type
class MergeClaimsPayload(MutationPayload):
    claim: Claim | None = strawberry.field(description="The kept claim, with every attribution.")
    errors: list[UserError]


async def resolve_merge_claims(info: Info, input: MergeClaimsInput) -> MergeClaimsPayload:
    ids = Ids()
    keep = ids.required(input.keep, "Claim", "input", "keep")
    merge = ids.required(input.merge, "Claim", "input", "merge")

    async def work(session: AsyncSession) -> int:
        return await merge_claims(
            session,
            keep_id=keep,
            keep_version=input.keep_version,
            merge_id=merge,
            merge_version=input.merge_version,
        )

    outcome = await run_mutation(info, work, ids, input, read_back=CLAIM)
    claim = outcome.node(Claim.from_row)
    return MergeClaimsPayload(
        claim=claim,
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )
