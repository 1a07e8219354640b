"""Reads of sources: keyset-paginated lists, ranked when searched (name and aliases)."""

from __future__ import annotations

from sqlalchemy import true

from api.db import table_of
from api.pagination import SOURCE_SEARCH, SOURCES, Page, PageRequest
from api.repository import Executor, count_rows, fetch_page, fetch_ranked_page
from api.search import SearchSupport, match
from api.sources.models import Source

source = table_of(Source)


async def sources_page(
    db: Executor, request: PageRequest, search: str | None, support: SearchSupport
) -> Page:
    """Sources newest first; when searched, most relevant first, then newest."""
    if search is None:
        return await fetch_page(db, source, SOURCES, true(), request)
    found = match(search, source.c.search_vector, source.c.search_folded, support)
    return await fetch_ranked_page(db, source, SOURCE_SEARCH, found.where, found.rank, request)


async def sources_count(db: Executor, search: str | None, support: SearchSupport) -> int:
    if search is None:
        return await count_rows(db, source, true())
    found = match(search, source.c.search_vector, source.c.search_folded, support)
    return await count_rows(db, source, found.where)
