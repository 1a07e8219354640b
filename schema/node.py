"""The Relay Node interface, which every stored type implements."""

from __future__ import annotations

import strawberry

from schema.fields import GLOBAL_ID, Row, key
from schema.ids import encode_id

VERSION = "Starts at 1 and grows with every edit; edits must name the current one."


@strawberry.interface(
    description="Relay global object identification: every object can be refetched by id."
)
class Node(Row):
    pk: strawberry.Private[int] = key("id")

    @strawberry.field(metadata=GLOBAL_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id(type(self).__name__, self.pk))
