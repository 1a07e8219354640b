"""createApiKey (the secret shown once) and revokeApiKey, for admins.

The CLI (`claimgraph keys`) does the same on the server's shell; both call api/auth.
"""

from __future__ import annotations

from dataclasses import replace

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import service
from api.auth.roles import Role
from api.errors import DomainError
from schema.auth.types import ApiKey, KeyRole
from schema.context import Info
from schema.errors import UserError
from schema.mutation_runner import MutationInput, MutationPayload, run_mutation


async def _listing(info: Info, pk: int | None) -> ApiKey | None:
    if pk is None:
        return None
    async with info.context.session_factory() as session:
        found = await service.list_keys(session, key_id=pk)
    return ApiKey.from_listing(found[0]) if found else None


def _under_input(error: DomainError) -> DomainError:
    """The service names fields as the CLI sees them; here they sit under `input`."""
    return DomainError(
        [replace(p, field=("input", *(p.field or ("name",)))) for p in error.problems]
    )


@strawberry.input
class CreateApiKeyInput(MutationInput):
    name: str = strawberry.field(description="Unique, 1 to 200 characters: who holds the key.")
    role: KeyRole  # type: ignore[valid-type]


@strawberry.type
class CreateApiKeyPayload(MutationPayload):
    api_key: ApiKey | None
    key: str | None = strawberry.field(
        description="The key itself, shown this once: send it as 'Authorization: Bearer …'."
    )
    errors: list[UserError]


async def resolve_create_api_key(info: Info, input: CreateApiKeyInput) -> CreateApiKeyPayload:
    if (shared := info.context.shared) is not None:
        # Under an Idempotency-Key the answer, key included, would be stored to replay
        # it: no key is made, and the gate answers 400 (api/web/secret_answers.py).
        shared.refuse_secret_answer(info.field_name)
        return CreateApiKeyPayload(
            api_key=None, key=None, errors=[], client_mutation_id=input.client_mutation_id
        )
    created: list[service.CreatedKey] = []

    async def work(session: AsyncSession) -> int:
        try:
            created.append(await service.create_key(session, name=input.name, role=input.role))
        except DomainError as error:
            raise _under_input(error) from error
        return created[-1].id

    outcome = await run_mutation(info, work, input=input, needed=Role.ADMIN)
    return CreateApiKeyPayload(
        api_key=await _listing(info, outcome.pk),
        # A replayed clientMutationId cannot show the secret again: it was never stored.
        key=created[-1].key if outcome.pk is not None and created else None,
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )


@strawberry.input
class RevokeApiKeyInput(MutationInput):
    name: str = strawberry.field(description="The key's name, or its prefix.")


@strawberry.type
class RevokeApiKeyPayload(MutationPayload):
    api_key: ApiKey | None
    errors: list[UserError]


async def resolve_revoke_api_key(info: Info, input: RevokeApiKeyInput) -> RevokeApiKeyPayload:
    async def work(session: AsyncSession) -> int:
        try:
            name = await service.revoke_key(session, name_or_prefix=input.name)
        except DomainError as error:
            raise _under_input(error) from error
        [revoked] = await service.list_keys(session, name=name)
        return revoked.id

    outcome = await run_mutation(info, work, input=input, needed=Role.ADMIN)
    return RevokeApiKeyPayload(
        api_key=await _listing(info, outcome.pk),
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )
