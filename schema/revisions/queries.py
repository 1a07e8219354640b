"""history: every revision of the object an id names, even when it is gone."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import ClientError
from schema.ids import BadId, decode_id
from schema.pagination import Connection
from schema.revisions.types import Revision, history_of

HISTORY_QUERY_DESCRIPTION = (
    "Every revision of the object with this id, oldest first, even when the object"
    " itself is gone (an admin's hard retraction); a merged claim's own revisions."
    " Empty when the id never named anything."
)


async def resolve_history(
    info: Info, id: strawberry.ID, first: int | None = None, after: str | None = None
) -> Connection[Revision]:
    try:
        type_name, pk = decode_id(id)
    except BadId as exc:
        raise ClientError(str(exc)) from exc
    return await history_of(info, type_name, pk, first, after, with_merged=False)
