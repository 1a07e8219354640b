"""Batch fetchers shared by every domain: rows by primary key, in one statement."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import RowMapping, Table, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

Executor = AsyncConnection | AsyncSession


async def rows_by_id(db: Executor, table: Table, ids: Iterable[int]) -> dict[int, RowMapping]:
    """Every row of `table` whose id is in `ids`, keyed by id; missing ids are simply absent."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    result = await db.execute(select(table).where(table.c.id.in_(wanted)))
    return {row["id"]: row for row in result.mappings()}


async def existing_ids(db: Executor, table: Table, ids: Sequence[int]) -> set[int]:
    if not ids:
        return set()
    result = await db.execute(select(table.c.id).where(table.c.id.in_(set(ids))))
    return set(result.scalars())


def first_or_none(rows: dict[int, RowMapping], key: int | None) -> Any:
    return None if key is None else rows.get(key)
