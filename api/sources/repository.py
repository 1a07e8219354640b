"""Reads of sources: keyset-paginated lists, ranked when searched (name and aliases)."""

from __future__ import annotations

from api.db import table_of
from api.pagination import SOURCE_SEARCH, SOURCES, Page, PageRequest
from api.repository import Executor
from api.search import SearchSupport, searchable_count, searchable_page
from api.sources.models import Source

source = table_of(Source)


async def sources_page(
    db: Executor, request: PageRequest, search: str | None, support: SearchSupport
) -> Page:
    """Sources newest first; when searched, most relevant first, then newest."""
    return await searchable_page(db, source, (SOURCES, SOURCE_SEARCH), request, search, support)


async def sources_count(db: Executor, search: str | None, support: SearchSupport) -> int:
    return await searchable_count(db, source, search, support)
