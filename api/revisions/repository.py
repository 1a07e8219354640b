"""Reading nodes' histories, oldest first, in keyset pages: many nodes in one statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    and_,
    bindparam,
    column,
    func,
    or_,
    select,
    table,
    true,
)

from api.db import table_of
from api.pagination import Keyset, Page, PageRequest
from api.repository import Executor
from api.revisions.models import Revision

revision = table_of(Revision)
# Named, not imported: every package writes revisions, so this one stays below them all
# (claims import it); tests/test_architecture.py checks the columns against the model.
claim = table("claim", column("id", BigInteger), column("merged_into_id", BigInteger))
HISTORY = Keyset("history", "int", descending=False, nullable=False)


@dataclass(frozen=True)
class Of:
    """Whose history: a node type, and for claims whether merged claims' count too."""

    node_type: str
    with_merged: bool = True


async def history_pages(
    db: Executor, of: Of, node_ids: Sequence[int], request: PageRequest
) -> dict[int, Page]:
    """One page of revisions per node, in one LATERAL query.

    Revision ids order a node's revisions as they were committed: two writers of one
    node serialise on its row lock, so the later one always has the higher id.
    """
    ids = bindparam("node_ids", sorted(set(node_ids)), type_=ARRAY(BigInteger))
    nodes = func.unnest(ids).table_valued("node_id").render_derived(name="nodes")
    node_id = nodes.c.node_id
    per_node = (
        select(revision, revision.c.id.label("sort_key"))
        .where(
            _of_node(of, node_id),
            HISTORY.after(revision.c.id, revision.c.id, request.cursor),
        )
        .order_by(*HISTORY.order_by(revision.c.id, revision.c.id))
        .limit(request.first + 1)
        .correlate_except(revision, claim)
        .lateral("page")
    )
    query = select(node_id.label("asked_id"), per_node).select_from(nodes.join(per_node, true()))
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in (await db.execute(query)).mappings():
        grouped[row["asked_id"]].append(row)
    return {pk: Page.of(grouped.get(pk, []), request, HISTORY) for pk in node_ids}


async def history_counts(db: Executor, of: Of, node_ids: Sequence[int]) -> dict[int, int]:
    ids = bindparam("node_ids", sorted(set(node_ids)), type_=ARRAY(BigInteger))
    nodes = func.unnest(ids).table_valued("node_id").render_derived(name="nodes")
    node_id = nodes.c.node_id
    count = (
        select(func.count().label("n"))
        .where(_of_node(of, node_id))
        .correlate_except(revision, claim)
        .lateral("counted")
    )
    query = select(node_id, count.c.n).select_from(nodes.join(count, true()))
    found = {int(pk): int(n) for pk, n in (await db.execute(query)).all()}
    return {pk: found.get(pk, 0) for pk in node_ids}


def _of_node(of: Of, node_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """The node's revisions; a claim's include those of the claims merged into it, whose
    ids resolve to it and whose history would otherwise be out of reach."""
    if of.node_type != "Claim" or not of.with_merged:
        return and_(revision.c.node_type == of.node_type, revision.c.node_id == node_id)
    merged = select(claim.c.id).where(claim.c.merged_into_id == node_id).correlate_except(claim)
    return and_(
        revision.c.node_type == of.node_type,
        or_(revision.c.node_id == node_id, revision.c.node_id.in_(merged)),
    )
