"""Reads of sources: keyset-paginated lists, searchable by name and alias."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select, true

from api.db import table_of
from api.pagination import SOURCES, Page, PageRequest
from api.repository import Executor
from api.search import like_pattern
from api.sources.models import Source

source = table_of(Source)


def _matching(search: str | None) -> ColumnElement[bool]:
    """Name or any alias contains the term; aliases are joined with a unit separator."""
    if search is None:
        return true()
    pattern = like_pattern(search)
    aliases = func.array_to_string(source.c.aliases, "\x1f")
    return source.c.name.ilike(pattern, escape="\\") | aliases.ilike(pattern, escape="\\")


async def sources_page(db: Executor, request: PageRequest, search: str | None) -> Page:
    """Sources newest first (by creation, then id)."""
    key: Any = source.c.created_at
    query = (
        select(source, key.label("sort_key"))
        .where(_matching(search), SOURCES.after(key, source.c.id, request.cursor))
        .order_by(*SOURCES.order_by(key, source.c.id))
        .limit(request.first + 1)
    )
    return Page.of((await db.execute(query)).mappings().all(), request, SOURCES)


async def sources_count(db: Executor, search: str | None) -> int:
    query = select(func.count()).select_from(source).where(_matching(search))
    return int((await db.execute(query)).scalar_one())
