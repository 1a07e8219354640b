"""Batch fetchers shared by every domain: rows by primary key, in one statement."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, FromClause, RowMapping, Table, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from api.pagination import Keyset, Page, PageRequest, RankedKeyset

Executor = AsyncConnection | AsyncSession


def stored_columns(table: Table) -> list[Any]:
    """The columns clients read: not the search columns PostgreSQL derives from them."""
    return [column for column in table.c if column.computed is None]


async def rows_by_id(db: Executor, table: Table, ids: Iterable[int]) -> dict[int, RowMapping]:
    """Every row of `table` whose id is in `ids`, keyed by id; missing ids are simply absent."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    result = await db.execute(select(*stored_columns(table)).where(table.c.id.in_(wanted)))
    return {row["id"]: row for row in result.mappings()}


async def existing_ids(db: Executor, table: Table, ids: Sequence[int]) -> set[int]:
    if not ids:
        return set()
    result = await db.execute(select(table.c.id).where(table.c.id.in_(set(ids))))
    return set(result.scalars())


async def fetch_page(
    db: Executor, table: Table, keyset: Keyset, where: ColumnElement[bool], request: PageRequest
) -> Page:
    """One keyset page of a top-level list, newest first by creation (then id)."""
    key: Any = table.c.created_at
    query = (
        select(*stored_columns(table), key.label("sort_key"))
        .where(where, keyset.after(key, table.c.id, request.cursor))
        .order_by(*keyset.order_by(key, table.c.id))
        .limit(request.first + 1)
    )
    return Page.of((await db.execute(query)).mappings().all(), request, keyset)


async def fetch_ranked_page(
    db: Executor,
    table: Table,
    keyset: RankedKeyset,
    where: ColumnElement[bool],
    rank: ColumnElement[Any],
    request: PageRequest,
    source: FromClause | None = None,
) -> Page:
    """One page of search results: most relevant first, then newest, then by id.

    `source` is what to select from when the search columns live in a joined table.
    """
    created: Any = table.c.created_at
    query = (
        select(*stored_columns(table), created.label("sort_key"), rank.label("rank"))
        .select_from(source if source is not None else table)
        .where(where, keyset.ranked_after(rank, created, table.c.id, request.cursor))
        .order_by(*keyset.ranked_order(rank, created, table.c.id))
        .limit(request.first + 1)
    )
    return Page.of((await db.execute(query)).mappings().all(), request, keyset)


async def count_rows(
    db: Executor, table: Table, where: ColumnElement[bool], source: FromClause | None = None
) -> int:
    query = select(func.count()).select_from(source if source is not None else table).where(where)
    return int((await db.execute(query)).scalar_one())
