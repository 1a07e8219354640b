"""createSource and updateSource."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api import enums
from api.sources.service import NewSource, SourceEdit, create_source, update_source
from schema.context import Info
from schema.errors import UserError
from schema.mutation_runner import Ids, MutationInput, MutationPayload, run_mutation
from schema.sources.types import Source, SourceKind, SourceReliability
from schema.written import SOURCE

SourceField = strawberry.enum(
    enums.SourceField, description="An optional field an update may clear (set to null)."
)


@strawberry.input
class CreateSourceInput(MutationInput):
    name: str
    kind: SourceKind  # type: ignore[valid-type]
    aliases: list[str] | None = None
    affiliation_id: strawberry.ID | None = None
    reliability: SourceReliability | None = None  # type: ignore[valid-type]
    state_affiliated: bool | None = None


@strawberry.type
class CreateSourcePayload(MutationPayload):
    source: Source | None
    errors: list[UserError]


async def resolve_create_source(info: Info, input: CreateSourceInput) -> CreateSourcePayload:
    ids = Ids()
    affiliation = ids.optional(input.affiliation_id, "Source", "input", "affiliationId")

    async def work(session: AsyncSession) -> int:
        new = NewSource(
            name=input.name,
            kind=input.kind,
            aliases=input.aliases,
            affiliation_id=affiliation,
            reliability=input.reliability,
            state_affiliated=input.state_affiliated,
        )
        return await create_source(session, new)

    outcome = await run_mutation(info, work, ids, input, read_back=SOURCE)
    return CreateSourcePayload(
        source=outcome.node(Source.from_row),
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )


@strawberry.input
class UpdateSourceInput(MutationInput):
    id: strawberry.ID
    version: int = strawberry.field(
        description="The version the edit was based on; CONFLICT if it is no longer current."
    )
    name: str | None = None
    kind: SourceKind | None = None  # type: ignore[valid-type]
    aliases: list[str] | None = strawberry.field(
        default=None, description="Replaces the aliases as a whole."
    )
    affiliation_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="INVALID when it would make a cycle (the source or one affiliated to it).",
    )
    reliability: SourceReliability | None = None  # type: ignore[valid-type]
    state_affiliated: bool | None = None
    clear: list[SourceField] = strawberry.field(  # type: ignore[valid-type]
        default_factory=list,
        description="Fields to set to null; a field cannot be both given and cleared.",
    )


@strawberry.type
class UpdateSourcePayload(MutationPayload):
    source: Source | None
    errors: list[UserError]


async def resolve_update_source(info: Info, input: UpdateSourceInput) -> UpdateSourcePayload:
    ids = Ids()
    pk = ids.required(input.id, "Source", "input", "id")
    affiliation = ids.optional(input.affiliation_id, "Source", "input", "affiliationId")
    edit = SourceEdit(
        name=input.name,
        kind=input.kind,
        aliases=input.aliases,
        affiliation_id=affiliation,
        reliability=input.reliability,
        state_affiliated=input.state_affiliated,
        clear=frozenset(input.clear),
    )

    async def work(session: AsyncSession) -> int:
        return await update_source(session, source_id=pk, version=input.version, edit=edit)

    outcome = await run_mutation(info, work, ids, input, read_back=SOURCE)
    return UpdateSourcePayload(
        source=outcome.node(Source.from_row),
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )
