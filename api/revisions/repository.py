"""Reading a node's history, oldest first, in keyset pages."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, or_, select

from api.claims.models import Claim
from api.db import table_of
from api.pagination import Keyset, Page, PageRequest
from api.repository import Executor
from api.revisions.models import Revision

revision = table_of(Revision)
claim = table_of(Claim)
HISTORY = Keyset("history", "int", descending=False, nullable=False)


async def history_page(
    db: Executor, node_type: str, node_id: int, request: PageRequest, with_merged: bool = True
) -> Page:
    """One page of a node's revisions; the id orders them as they were committed per node.

    Two writers of one node serialise on its row lock, so a later revision of the
    same node always has the higher id.
    """
    query = (
        select(revision, revision.c.id.label("sort_key"))
        .where(
            _of_node(node_type, node_id, with_merged),
            HISTORY.after(revision.c.id, revision.c.id, request.cursor),
        )
        .order_by(*HISTORY.order_by(revision.c.id, revision.c.id))
        .limit(request.first + 1)
    )
    rows = (await db.execute(query)).mappings().all()
    return Page.of(rows, request, HISTORY)


async def history_count(
    db: Executor, node_type: str, node_id: int, with_merged: bool = True
) -> int:
    query = select(func.count()).where(_of_node(node_type, node_id, with_merged))
    return int((await db.execute(query)).scalar_one())


def _of_node(node_type: str, node_id: int, with_merged: bool) -> ColumnElement[bool]:
    """The node's revisions; a claim's include those of the claims merged into it, whose
    ids resolve to it and whose history would otherwise be out of reach."""
    if node_type != "Claim" or not with_merged:
        return and_(revision.c.node_type == node_type, revision.c.node_id == node_id)
    merged = select(claim.c.id).where(claim.c.merged_into_id == node_id)
    return and_(
        revision.c.node_type == node_type,
        or_(revision.c.node_id == node_id, revision.c.node_id.in_(merged)),
    )
