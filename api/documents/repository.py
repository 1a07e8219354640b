"""Reads of documents: keyset-paginated lists, ranked when searched (title, url and text)."""

from __future__ import annotations

from api.db import table_of
from api.documents.models import Document
from api.pagination import DOCUMENT_SEARCH, DOCUMENTS, Page, PageRequest
from api.repository import Executor
from api.search import SearchSupport, searchable_count, searchable_page

document = table_of(Document)


async def documents_page(
    db: Executor, request: PageRequest, search: str | None, support: SearchSupport
) -> Page:
    """Documents newest first; when searched, most relevant first, then newest."""
    return await searchable_page(
        db, document, (DOCUMENTS, DOCUMENT_SEARCH), request, search, support
    )


async def documents_count(db: Executor, search: str | None, support: SearchSupport) -> int:
    return await searchable_count(db, document, search, support)
