"""Reads of attributions: per-parent pages in one statement, counts and chains."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import BigInteger, ColumnElement, bindparam, func, select, true
from sqlalchemy.dialects.postgresql import ARRAY

from api.db import table_of
from api.enums import ChainRole
from api.pagination import (
    CLAIM_ATTRIBUTIONS,
    DOCUMENT_ATTRIBUTIONS,
    SOURCE_ATTRIBUTIONS,
    Keyset,
    Page,
    PageRequest,
)
from api.provenance.models import Attribution, ChainLink
from api.repository import Executor

attribution = table_of(Attribution)
chain = table_of(ChainLink)

Parent = Literal["claim", "document", "source"]


@dataclass(frozen=True)
class _ParentOrder:
    keyset: Keyset
    key: ColumnElement[Any]


ORDERS: dict[Parent, _ParentOrder] = {
    "claim": _ParentOrder(CLAIM_ATTRIBUTIONS, attribution.c.reported_at),
    "source": _ParentOrder(SOURCE_ATTRIBUTIONS, attribution.c.reported_at),
    "document": _ParentOrder(DOCUMENT_ATTRIBUTIONS, attribution.c.quote_start),
}


def _belongs_to(parent: Parent, parent_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """A claim's and a document's attributions by column; a source's by its chain."""
    if parent == "claim":
        return attribution.c.claim_id == parent_id
    if parent == "document":
        return attribution.c.document_id == parent_id
    # correlate_except: the parent id comes from the enclosing LATERAL join, not a new FROM.
    in_chain = (
        select(chain.c.attribution_id).where(chain.c.source_id == parent_id).correlate_except(chain)
    )
    return attribution.c.id.in_(in_chain)


async def attribution_pages(
    db: Executor, parent: Parent, parent_ids: Sequence[int], request: PageRequest
) -> dict[int, Page]:
    """One page of attributions for each parent, all in one LATERAL query."""
    order = ORDERS[parent]
    ids = bindparam("parent_ids", list(parent_ids), type_=ARRAY(BigInteger))
    parents = func.unnest(ids).table_valued("parent_id").render_derived(name="parents")
    parent_id = parents.c.parent_id
    per_parent = (
        select(attribution, order.key.label("sort_key"))
        .where(
            _belongs_to(parent, parent_id),
            order.keyset.after(order.key, attribution.c.id, request.cursor),
        )
        .order_by(*order.keyset.order_by(order.key, attribution.c.id))
        .limit(request.first + 1)
        .lateral("page")
    )
    query = select(parent_id.label("parent_id"), per_parent).select_from(
        parents.join(per_parent, true())
    )
    result = await db.execute(query)
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in result.mappings():
        grouped[row["parent_id"]].append(row)
    return {pid: Page.of(grouped.get(pid, []), request, order.keyset) for pid in parent_ids}


async def attribution_counts(
    db: Executor, parent: Parent, parent_ids: Sequence[int]
) -> dict[int, int]:
    """How many attributions each parent has, in one grouped query."""
    ids = list(set(parent_ids))
    if parent == "source":
        query = (
            select(chain.c.source_id, func.count(func.distinct(chain.c.attribution_id)))
            .where(chain.c.source_id.in_(ids))
            .group_by(chain.c.source_id)
        )
    else:
        column = attribution.c.claim_id if parent == "claim" else attribution.c.document_id
        query = select(column, func.count()).where(column.in_(ids)).group_by(column)
    counts = {int(k): int(n) for k, n in (await db.execute(query)).all()}
    return {pid: counts.get(pid, 0) for pid in parent_ids}


@dataclass(frozen=True)
class ChainEntry:
    role: ChainRole
    source_id: int


async def chains(db: Executor, attribution_ids: Sequence[int]) -> dict[int, list[ChainEntry]]:
    """Each attribution's chain, outermost first."""
    query = (
        select(chain.c.attribution_id, chain.c.role, chain.c.source_id)
        .where(chain.c.attribution_id.in_(set(attribution_ids)))
        .order_by(chain.c.attribution_id, chain.c.position)
    )
    found: dict[int, list[ChainEntry]] = defaultdict(list)
    for attribution_id, role, source_id in (await db.execute(query)).all():
        found[attribution_id].append(ChainEntry(ChainRole(role), source_id))
    return {aid: found.get(aid, []) for aid in attribution_ids}
