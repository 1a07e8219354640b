"""Reads of claims: filtered, keyset-paginated lists (ranked when searched) and counts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    RowMapping,
    and_,
    literal,
    not_,
    or_,
    select,
    true,
    tuple_,
)

from api.claims import merged
from api.claims.filter import ClaimFilter
from api.claims.models import Claim
from api.claims.summary import ClaimSearch
from api.db import table_of
from api.pagination import CLAIM_SEARCH, CLAIMS, Cursor, Page, PageRequest
from api.repository import Executor, count_rows, fetch_page, stored_columns

claim = table_of(Claim)
searchable = table_of(ClaimSearch)
with_search: FromClause = claim.join(searchable, searchable.c.claim_id == claim.c.id)


async def claims_page(db: Executor, request: PageRequest, where: ClaimFilter) -> Page:
    """Claims newest first; when searched, statement matches first, then the rest, each
    tier newest first (so a page is a short walk down the newest-first index)."""
    if where.search is None:
        return await fetch_page(db, claim, CLAIMS, where.where(), request)
    tiers = where.tiers()
    rows: list[RowMapping] = []
    cursor = request.cursor
    if cursor is None or cursor.key[0] == FIRST_TIER:
        rows += await _tier(db, where, tiers.statement, FIRST_TIER, request.first + 1, cursor)
        cursor = None
    if len(rows) <= request.first:
        rest = and_(tiers.anywhere, not_(tiers.statement))
        rows += await _tier(db, where, rest, SECOND_TIER, request.first + 1 - len(rows), cursor)
    return Page.of(rows, request, CLAIM_SEARCH)


FIRST_TIER, SECOND_TIER = 2.0, 1.0


async def _tier(
    db: Executor,
    where: ClaimFilter,
    matches: ColumnElement[bool],
    tier: float,
    limit: int,
    cursor: Cursor | None,
) -> list[RowMapping]:
    created: Any = searchable.c.created_at
    after: ColumnElement[bool] = true()
    if cursor is not None:
        after = tuple_(created, searchable.c.claim_id) < tuple_(
            literal(cursor.key[1], created.type), literal(cursor.id, searchable.c.claim_id.type)
        )
    query = (
        select(*stored_columns(claim), created.label("sort_key"), literal(tier).label("rank"))
        .select_from(with_search)
        .where(where.where(), matches, after)
        .order_by(created.desc(), searchable.c.claim_id.desc())
        .limit(limit)
    )
    return list((await db.execute(query)).mappings().all())


async def claims_count(db: Executor, where: ClaimFilter) -> int:
    if where.search is None:
        return await count_rows(db, claim, where.where())
    tiers = where.tiers()
    return await count_rows(
        db, claim, and_(where.where(), or_(tiers.statement, tiers.anywhere)), source=with_search
    )


async def claims_by_id(db: Executor, ids: Iterable[int]) -> dict[int, RowMapping]:
    """Claims by id, where a merged claim's id gives the claim it was merged into."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = merged.read_as_kept().add_columns(claim.c.id.label("asked_id"))
    rows = (await db.execute(query.where(claim.c.id.in_(wanted)))).mappings()
    return {row["asked_id"]: row for row in rows}
