"""Document."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.pagination import DOCUMENT_ATTRIBUTIONS
from schema.context import Info
from schema.fields import column, key, references
from schema.node import VERSION, Node
from schema.pagination import Connection
from schema.revisions.types import HISTORY_DESCRIPTION, Revision, history_of
from schema.sources.types import Source, load_source

if TYPE_CHECKING:
    from schema.provenance.types import Attribution


@strawberry.type(
    description=(
        "A published document (an article, a statement, a broadcast transcript) that carries"
        " claims."
    )
)
class Document(Node):
    url: str | None = column()
    title: str = column()
    language: str = column(description="BCP 47 language code of the text, e.g. de.")
    published_at: datetime | None = column()
    text: str | None = column()
    version: int = column(description=VERSION)
    publisher_pk: strawberry.Private[int | None] = key("publisher_id")

    @strawberry.field(
        description="The outlet that published the document.", metadata=references("publisher_pk")
    )
    async def publisher(self, info: Info) -> Source | None:
        return await load_source(info, self.publisher_pk)

    @strawberry.field(
        description=(
            "Attributions found in this document, in the order of their place in the text"
            " (those without a quote last)."
        )
    )
    async def attributions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Attribution, strawberry.lazy("schema.provenance.types")]]:
        # Imported here: schema.provenance.types imports this module for its own fields.
        from schema.provenance.types import attributions_of

        return await attributions_of(info, "document", DOCUMENT_ATTRIBUTIONS, self.pk, first, after)

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Revision]:
        return await history_of(info, "Document", self.pk, first, after)
