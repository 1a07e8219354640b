"""Reads of documents: keyset-paginated lists, ranked when searched (title, url and text)."""

from __future__ import annotations

from sqlalchemy import true

from api.db import table_of
from api.documents.models import Document
from api.pagination import DOCUMENT_SEARCH, DOCUMENTS, Page, PageRequest
from api.repository import Executor, count_rows, fetch_page, fetch_ranked_page
from api.search import SearchSupport, match

document = table_of(Document)


async def documents_page(
    db: Executor, request: PageRequest, search: str | None, support: SearchSupport
) -> Page:
    """Documents newest first; when searched, most relevant first, then newest."""
    if search is None:
        return await fetch_page(db, document, DOCUMENTS, true(), request)
    found = match(search, document.c.search_vector, document.c.search_folded, support)
    return await fetch_ranked_page(db, document, DOCUMENT_SEARCH, found.where, found.rank, request)


async def documents_count(db: Executor, search: str | None, support: SearchSupport) -> int:
    if search is None:
        return await count_rows(db, document, true())
    found = match(search, document.c.search_vector, document.c.search_folded, support)
    return await count_rows(db, document, found.where)
