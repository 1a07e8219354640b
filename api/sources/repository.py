"""Reads of sources: keyset-paginated lists, searchable by name and alias."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, true

from api.db import table_of
from api.pagination import SOURCES, Page, PageRequest
from api.repository import Executor, count_rows, fetch_page
from api.search import contains
from api.sources.models import Source

source = table_of(Source)


def _matching(search: str | None) -> ColumnElement[bool]:
    """Name or any alias contains the term; aliases are joined with a unit separator."""
    if search is None:
        return true()
    aliases = func.array_to_string(source.c.aliases, "\x1f")
    return contains(source.c.name, search) | contains(aliases, search)


async def sources_page(db: Executor, request: PageRequest, search: str | None) -> Page:
    """Sources newest first (by creation, then id)."""
    return await fetch_page(db, source, SOURCES, _matching(search), request)


async def sources_count(db: Executor, search: str | None) -> int:
    return await count_rows(db, source, _matching(search))
