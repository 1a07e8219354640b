"""createSource."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api.sources.service import NewSource, create_source
from schema.context import Info
from schema.errors import UserError
from schema.mutations.base import Ids, run_mutation
from schema.types import Source, SourceKind, SourceReliability, load_source


@strawberry.input
class CreateSourceInput:
    name: str
    kind: SourceKind  # type: ignore[valid-type]
    aliases: list[str] | None = None
    affiliation_id: strawberry.ID | None = None
    reliability: SourceReliability | None = None  # type: ignore[valid-type]
    state_affiliated: bool | None = None


@strawberry.type
class CreateSourcePayload:
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

    outcome = await run_mutation(info, work, ids)
    return CreateSourcePayload(source=await load_source(info, outcome.pk), errors=outcome.errors)
