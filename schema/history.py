"""Revision, and the `history` connection every node type carries."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import RowMapping
from strawberry.scalars import JSON

from api import enums
from api.revisions import repository
from schema.context import Info
from schema.ids import encode_id
from schema.pagination import Connection, connection, page_request

Operation = strawberry.enum(
    enums.Operation,
    description=(
        "What a revision did: CREATE, UPDATE (an edit), REVIEW (confirmed or rejected), RETRACT"
        " or MERGE (a claim merged into another, and the attributions it moved)."
    ),
)

HISTORY_DESCRIPTION = (
    "Every stored version of this object, oldest first: who wrote it, when, and the"
    " stored fields before and after."
)


@strawberry.type(description="One write of an object, kept for ever (the history is append-only).")
class Revision:
    pk: strawberry.Private[int]
    operation: Operation  # type: ignore[valid-type]
    actor: str = strawberry.field(
        description="The name of the API key that wrote it; 'anonymous' or 'system' (the CLI)."
    )
    at: datetime = strawberry.field(description="When the writing transaction began.")
    before: JSON | None = strawberry.field(
        description="The stored fields before the write; null for CREATE."
    )
    after: JSON | None = strawberry.field(description="The stored fields after the write.")

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("Revision", self.pk))

    @classmethod
    def from_row(cls, row: RowMapping) -> Revision:
        return cls(
            pk=row["id"],
            operation=enums.Operation(row["operation"]),
            actor=row["actor"],
            at=row["at"],
            before=row["before"],
            after=row["after"],
        )


async def history_of(
    info: Info,
    node_type: str,
    pk: int,
    first: int | None,
    after: str | None,
    *,
    with_merged: bool = True,
) -> Connection[Revision]:
    """One page of a node's revisions, batched with those of its siblings.

    A claim's include those of the claims merged into it unless `with_merged` is off.
    """
    request = page_request(repository.HISTORY, first, after)
    loaders = info.context.loaders
    of = repository.Of(node_type, with_merged)
    page = await loaders.history_page.load((of, pk, request))
    return connection(page, Revision.from_row, lambda: loaders.history_count.load((of, pk)))
