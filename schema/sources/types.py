"""Source, its enums, and the loads other types make of sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from api import enums
from api.pagination import SOURCE_ATTRIBUTIONS
from api.provenance.repository import ChainEntry
from schema.context import Info
from schema.fields import column, key, references
from schema.node import VERSION, Node
from schema.pagination import Connection
from schema.revisions.types import HISTORY_DESCRIPTION, Revision, history_of

if TYPE_CHECKING:
    from schema.provenance.types import Attribution

SourceKind = strawberry.enum(enums.SourceKind, description="What kind of agent a source is.")
SourceReliability = strawberry.enum(
    enums.SourceReliability,
    description=(
        "Source reliability on the NATO Admiralty scale: A completely reliable, B usually"
        " reliable, C fairly reliable, D not usually reliable, E unreliable, F reliability"
        " cannot be judged."
    ),
)


@strawberry.type(
    description="An agent that reports or asserts claims: an agency, outlet, government, person."
)
class Source(Node):
    name: str = column()
    kind: SourceKind = column()  # type: ignore[valid-type]
    aliases: list[str] = column(
        description="Other names and spellings of this source, in any language."
    )
    reliability: SourceReliability | None = column()  # type: ignore[valid-type]
    state_affiliated: bool = column(
        description="True for state-run or state-controlled sources (KCNA, TASS)."
    )
    version: int = column(description=VERSION)
    affiliation_pk: strawberry.Private[int | None] = key("affiliation_id")

    @strawberry.field(
        description="The organisation this source belongs to (Jack Watling -> RUSI).",
        metadata=references("affiliation_pk"),
    )
    async def affiliation(self, info: Info) -> Source | None:
        return await load_source(info, self.affiliation_pk)

    @strawberry.field(description="Attributions whose chain contains this source, newest first.")
    async def attributions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Attribution, strawberry.lazy("schema.provenance.types")]]:
        # Imported here: schema.provenance.types imports this module for its own fields.
        from schema.provenance.types import attributions_of

        return await attributions_of(info, "source", SOURCE_ATTRIBUTIONS, self.pk, first, after)

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Revision]:
        return await history_of(info, "Source", self.pk, first, after)


async def load_source(info: Info, pk: int | None) -> Source | None:
    if pk is None:
        return None
    row = await info.context.loaders.source.load(pk)
    return Source.from_row(row) if row is not None else None


async def require_source(info: Info, pk: int) -> Source:
    source = await load_source(info, pk)
    assert source is not None  # foreign keys guarantee every referenced source exists
    return source


async def sources_of(info: Info, entries: list[ChainEntry]) -> list[Source]:
    rows = await info.context.loaders.source.load_many([e.source_id for e in entries])
    return [Source.from_row(row) for row in rows if row is not None]
